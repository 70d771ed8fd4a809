//===- Frontend.cpp - read and check a model file -------------------------===//
//
// Runs the stages in order. Each stage runs even after earlier errors, so
// one run reports every independent problem; poisoning in the parser and in
// Sema keeps later stages from repeating earlier errors.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"

#include "frontend/Lexer.h"
#include "frontend/Parser.h"
#include "frontend/Sema.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nncc {

std::optional<Graph> loadModel(const std::string &path,
                               DiagnosticEngine &diags) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    diags.error({path, 0, 0}, "cannot open model file: it is a directory");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({path, 0, 0},
                std::string("cannot open model file: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    diags.error({path, 0, 0}, "cannot read model file");
    return std::nullopt;
  }
  return checkModelSource(path, text.str(), diags);
}

std::optional<Graph> checkModelSource(const std::string &path,
                                      std::string source,
                                      DiagnosticEngine &diags) {
  unsigned errorsBefore = diags.errorCount();
  std::vector<Token> tokens = lex(path, source, diags);
  diags.addSource(path, std::move(source));
  ast::File file = parse(std::move(tokens), diags);
  std::optional<Graph> graph = Sema(path, diags).check(file);
  if (diags.errorCount() != errorsBefore)
    return std::nullopt;
  return graph;
}

} // namespace nncc
