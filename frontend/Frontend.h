//===- Frontend.h - read and check a model file -----------------*- C++ -*-===//
//
// The frontend's public interface: model text in, checked Graph out, with
// every problem reported to a DiagnosticEngine. The library has no LLVM or
// MLIR dependency, so it builds and fuzzes on its own; MLIRGen consumes the
// Graph.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_FRONTEND_H
#define NNCC_FRONTEND_FRONTEND_H

#include "frontend/Diagnostics.h"
#include "frontend/Graph.h"

#include <functional>
#include <optional>
#include <string>

namespace nncc {

/// Reads an imported file: its text, or nullopt with `error` saying why.
/// The file system by default; the fuzzer and tests supply their own.
using SourceReader = std::function<std::optional<std::string>(
    const std::string &path, std::string &error)>;

/// Reads `path` from the file system (a directory is an error).
std::optional<std::string> readSourceFile(const std::string &path,
                                          std::string &error);

/// Reads and checks the model file at `path` and what it imports, each
/// through `reader`. Returns nullopt after reporting errors; a file that
/// cannot be read is an error too.
std::optional<Graph> loadModel(const std::string &path, DiagnosticEngine &diags,
                               const SourceReader &reader = readSourceFile);

/// Checks model text; `path` names the file in diagnostics and is where
/// `import "file.nn"` looks (relative to its directory) through `reader`.
std::optional<Graph>
checkModelSource(const std::string &path, std::string source,
                 DiagnosticEngine &diags,
                 const SourceReader &reader = readSourceFile);

/// A human-readable dump of `graph`, printed by `nncc --emit=ast`.
std::string printGraph(const Graph &graph);
/// "Conv2d", "BatchNorm", ... as PyTorch names the layer class.
const char *nodeKindName(Node::Kind kind);
/// A torchsummary-like table: layer path, type, output shape, parameters and
/// forward FLOPs per batch of `batch` samples, with totals.
std::string summarizeGraph(const Graph &graph, int64_t batch);
/// FLOPs of one training step (forward, loss and the backward pass autodiff
/// builds) at `batch` samples; Summary.cpp says what is counted.
int64_t trainingStepFlops(const Graph &graph, int64_t batch);

} // namespace nncc

#endif // NNCC_FRONTEND_FRONTEND_H
