//===- Imports.h - resolve `import` into the importing file -----*- C++ -*-===//
//
// Private to the frontend. `import "blocks.nn"` reads a file relative to the
// importing one; `import std` the standard library compiled into nncc
// (frontend/lib/std.nn). Imported files may define blocks only; their
// blocks join the importing file's, ahead of its own, so a clash is
// reported at the user's definition. A file imported twice is read once; a
// file that imports itself, directly or through others, is an error naming
// the cycle.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_IMPORTS_H
#define NNCC_FRONTEND_IMPORTS_H

#include "frontend/AST.h"
#include "frontend/Frontend.h"

namespace nncc {

/// Parses every file `file` imports, recursively, and moves their blocks
/// into `file.blocks` (marked `imported`).
void resolveImports(ast::File &file, const std::string &path,
                    DiagnosticEngine &diags, const SourceReader &reader);

/// The text of the standard library, frontend/lib/std.nn.
const char *standardLibrarySource();

/// The name the standard library's locations carry.
constexpr const char *kStdLibraryPath = "nncc/std.nn";

} // namespace nncc

#endif // NNCC_FRONTEND_IMPORTS_H
