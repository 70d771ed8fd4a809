//===- Layers.h - the layer types and functions a model can use -*- C++ -*-===//
//
// One table row per layer type (`Conv2d`) and per function (`relu`): its
// PyTorch name and signature. Binding a call such as
// `Conv2d(1, 32, 3, padding=1)` against its row follows Python's rules
// (positional, then keyword, defaults, no argument twice), so that a model
// reads like the PyTorch module it mirrors. Blocks bind their arguments by
// the same rules.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_LAYERS_H
#define NNCC_FRONTEND_LAYERS_H

#include "frontend/AST.h"
#include "frontend/Const.h"
#include "frontend/Diagnostics.h"

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

enum class LayerKind {
  Flatten,
  Linear,
  ReLU,
  CrossEntropyLoss,
  Sequential,
  Conv2d,
  BatchNorm1d,
  BatchNorm2d,
  LeakyReLU,
  Sigmoid,
  Tanh,
  GELU,
  SiLU,
  Identity,
  Dropout,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  Softmax,
  LogSoftmax,
  Add, ///< `a + b` on tensors; not a layer the user can name
};

enum class ArgType {
  Int,
  Float,
  Bool,
  String,
  IntPair, ///< an int or a pair (h, w), as torch's _pair
  Padding, ///< IntPair, "same" or "valid"
  OptIntPair,
  OptInt,
  OptFloat,
  OptString,
  Any,    ///< block parameters
  Tensor, ///< a function's input; the caller evaluates it
};

struct ArgValue {
  Const value;
  SourceLoc loc;      ///< the argument as written, or the call for a default
  bool given = false; ///< written in the call rather than defaulted
  const ast::Expr *expr = nullptr; ///< Tensor arguments only
};

struct ParamInfo {
  std::string name;
  ArgType type;
  bool required;
  bool keywordOnly; ///< as PyTorch, where earlier parameters are unsupported
  Const defaultValue;
};

struct LayerInfo {
  LayerKind kind;
  const char *name;
  std::vector<ParamInfo> params;
  unsigned numInputs; ///< tensors the layer is applied to
  bool isLoss;
  bool functional; ///< `relu(x)`: applied where it is written
};

/// The layer type named `name` (`Conv2d`), or null.
const LayerInfo *findLayer(const std::string &name);
/// The function named `name` (`relu`), or null.
const LayerInfo *findFunction(const std::string &name);
/// The row of an internal operation such as Add.
const LayerInfo &internalLayer(LayerKind kind);
std::vector<std::string> layerNames();
std::vector<std::string> functionNames();

using BoundArgs = std::map<std::string, ArgValue>;

int64_t intArg(const BoundArgs &args, const std::string &name);
/// An Int or Float argument as a double.
double floatArg(const BoundArgs &args, const std::string &name);
bool boolArg(const BoundArgs &args, const std::string &name);
std::string stringArg(const BoundArgs &args, const std::string &name);
bool isNoneArg(const BoundArgs &args, const std::string &name);
/// An IntPair argument as (h, w); an int n is (n, n).
std::array<int64_t, 2> pairArg(const BoundArgs &args, const std::string &name);

/// Describes an argument for "found X" messages, e.g. "integer 3".
std::string describeExpr(const ast::Expr &expr);

/// `Name(p1, p2, *, k1)`, for messages about the call's shape.
std::string formatSignature(const std::string &name,
                            const std::vector<ParamInfo> &params);

/// A call as the user would write it, with its values: required arguments
/// positionally, given optional ones by keyword, e.g.
/// "Conv2d(1, 32, 3, padding=1)".
std::string formatCall(const std::string &name,
                       const std::vector<ParamInfo> &params,
                       const BoundArgs &args);

/// Evaluates an argument to a compile-time value, reporting any error.
using ArgEvaluator = std::function<std::optional<Const>(const ast::Expr &)>;

/// Binds the arguments of `call` to `params`, filling in defaults. Reports
/// every problem it finds and returns nullopt if any.
std::optional<BoundArgs> bindArguments(const ast::Expr &call,
                                       const std::string &callee,
                                       const std::vector<ParamInfo> &params,
                                       const ArgEvaluator &evaluate,
                                       DiagnosticEngine &diags);

} // namespace nncc

#endif // NNCC_FRONTEND_LAYERS_H
