//===- Layers.h - the layer types a model can use ---------------*- C++ -*-===//
//
// One table row per layer type: its PyTorch name and constructor signature.
// Binding a call such as `Linear(784, 256, bias=false)` against its row
// follows Python's rules (positional, then keyword, defaults, no argument
// twice) so that a model reads like the PyTorch module it mirrors.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_LAYERS_H
#define NNCC_FRONTEND_LAYERS_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

enum class LayerKind { Flatten, Linear, ReLU, CrossEntropyLoss, Sequential };

enum class ArgType { Int, Float, Bool, String };

struct ArgValue {
  ArgType type = ArgType::Int;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string stringValue;
  SourceLoc loc; ///< the argument as written, or the call for a default
};

struct ParamInfo {
  const char *name;
  ArgType type;
  bool required;
  bool keywordOnly; ///< as PyTorch, where earlier parameters are unsupported
  ArgValue defaultValue;
};

struct LayerInfo {
  LayerKind kind;
  const char *name;
  std::vector<ParamInfo> params;
  unsigned numInputs; ///< tensors the layer is applied to
  bool isLoss;
};

/// The row for `name`, or null if no layer has that name.
const LayerInfo *findLayer(const std::string &name);
std::vector<std::string> layerNames();

using BoundArgs = std::map<std::string, ArgValue>;

/// Describes an argument for "found X" messages, e.g. "integer 3".
std::string describeExpr(const ast::Expr &expr);

/// Binds the arguments of `call` to the parameters of `layer`, filling in
/// defaults. Reports every problem it finds and returns nullopt if any.
std::optional<BoundArgs> bindArguments(const ast::Expr &call,
                                       const LayerInfo &layer,
                                       DiagnosticEngine &diags);

} // namespace nncc

#endif // NNCC_FRONTEND_LAYERS_H
