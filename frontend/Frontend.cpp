//===- Frontend.cpp - read and check a model file -------------------------===//
//
// Runs the stages in order. Each stage runs even after earlier errors, so
// one run reports every independent problem; poisoning in the parser and in
// Sema keeps later stages from repeating earlier errors.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"

#include "frontend/Imports.h"
#include "frontend/Lexer.h"
#include "frontend/Parser.h"
#include "frontend/Sema.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nncc {

std::optional<std::string> readSourceFile(const std::string &path,
                                          std::string &error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return text.str();
}

std::optional<Graph> loadModel(const std::string &path, DiagnosticEngine &diags,
                               const SourceReader &reader) {
  std::string error;
  std::optional<std::string> text = reader(path, error);
  if (!text) {
    diags.error({path, 0, 0}, "cannot open model file: " + error);
    return std::nullopt;
  }
  return checkModelSource(path, std::move(*text), diags, reader);
}

std::optional<Graph> checkModelSource(const std::string &path,
                                      std::string source,
                                      DiagnosticEngine &diags,
                                      const SourceReader &reader) {
  unsigned errorsBefore = diags.errorCount();
  std::vector<Token> tokens = lex(path, source, diags);
  diags.addSource(path, std::move(source));
  ast::File file = parse(std::move(tokens), diags);
  resolveImports(file, path, diags, reader);
  std::optional<Graph> graph = Sema(path, diags).check(file);
  if (diags.errorCount() != errorsBefore)
    return std::nullopt;
  return graph;
}

} // namespace nncc
