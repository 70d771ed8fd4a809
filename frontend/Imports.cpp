//===- Imports.cpp - resolve `import` into the importing file -------------===//
//
// Depth-first over the import graph, with the chain of files being imported
// kept for cycle errors and every file read once. Paths are joined and
// normalised lexically (`a/../b.nn` is `b.nn`), so a cycle through
// different spellings of one path is still found; cycles that only a
// symbolic link makes visible end at the depth limit instead.
//
//===----------------------------------------------------------------------===//
#include "frontend/Imports.h"

#include "frontend/Lexer.h"
#include "frontend/Parser.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

namespace nncc {

namespace {

/// Imports nest at most this deep (a chain of files importing the next).
constexpr size_t kMaxImportDepth = 64;

class ImportResolver {
public:
  ImportResolver(DiagnosticEngine &diags, const SourceReader &reader)
      : diags(diags), reader(reader) {}

  /// Collects the blocks of everything `file` (at `path`) imports.
  void resolve(const ast::File &file, const std::string &path);

  std::vector<ast::Definition> blocks;

private:
  void importOne(const ast::Import &import, const std::string &fromPath);

  DiagnosticEngine &diags;
  const SourceReader &reader;
  std::vector<std::string> chain; ///< files being imported, outermost first
  std::set<std::string> done;
};

std::string normalise(const std::string &path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
}

void ImportResolver::resolve(const ast::File &file, const std::string &path) {
  chain.push_back(normalise(path));
  for (const ast::Import &import : file.imports)
    importOne(import, path);
  chain.pop_back();
}

void ImportResolver::importOne(const ast::Import &import,
                               const std::string &fromPath) {
  std::string target;
  std::string source;
  if (import.isLibrary) {
    if (import.target != "std") {
      diags.error(import.targetLoc,
                  "unknown library '" + import.target +
                      "'; the standard library is 'std', and a file is "
                      "imported by its name in quotes: import \"" +
                      import.target + ".nn\"");
      return;
    }
    target = kStdLibraryPath;
  } else {
    if (import.target.empty()) {
      diags.error(import.targetLoc, "import needs a file name");
      return;
    }
    std::filesystem::path base = std::filesystem::path(fromPath).parent_path();
    target = normalise((base / import.target).generic_string());
  }
  auto inChain = std::find(chain.begin(), chain.end(), target);
  if (inChain != chain.end()) {
    std::string cycle;
    for (auto it = inChain; it != chain.end(); ++it)
      cycle += *it + " -> ";
    diags.error(import.targetLoc, inChain + 1 == chain.end()
                                      ? "file '" + target + "' imports itself"
                                      : "import cycle: " + cycle + target);
    return;
  }
  if (!done.insert(target).second)
    return; // imported already, through another file
  if (chain.size() >= kMaxImportDepth) {
    diags.error(import.targetLoc, "imports are nested too deeply; the limit "
                                  "is " +
                                      std::to_string(kMaxImportDepth) +
                                      " files");
    return;
  }
  if (import.isLibrary) {
    source = standardLibrarySource();
  } else {
    std::string error;
    std::optional<std::string> text = reader(target, error);
    if (!text) {
      diags.error(import.targetLoc, "cannot import '" + target + "': " + error);
      return;
    }
    source = std::move(*text);
  }
  std::vector<Token> tokens = lex(target, source, diags);
  diags.addSource(target, std::move(source));
  ast::File imported = parse(std::move(tokens), diags);
  for (const ast::Definition &model : imported.models) {
    diags.error(model.loc, "an imported file can only define blocks; '" +
                               model.name + "' is a model");
    diags.note(import.loc, "imported here");
  }
  resolve(imported, target);
  for (ast::Definition &block : imported.blocks) {
    block.imported = true;
    blocks.push_back(std::move(block));
  }
}

} // namespace

void resolveImports(ast::File &file, const std::string &path,
                    DiagnosticEngine &diags, const SourceReader &reader) {
  if (file.imports.empty())
    return;
  ImportResolver resolver(diags, reader);
  resolver.resolve(file, path);
  // Imported blocks first: a clash with the user's own block is reported at
  // the user's definition, with a note at the imported one.
  for (ast::Definition &block : file.blocks)
    resolver.blocks.push_back(std::move(block));
  file.blocks = std::move(resolver.blocks);
}

} // namespace nncc
