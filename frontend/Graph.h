//===- Graph.h - checked model, the frontend's output -----------*- C++ -*-===//
//
// The frontend (lexer, parser, semantic checks) turns a `model.nn` file into a
// Graph: every layer application resolved to a node with known shapes, every
// parameter with its PyTorch state_dict name and init rule, values in
// topological order. MLIRGen translates a Graph one node per nn op, so the
// frontend stays free of MLIR (it builds and fuzzes on its own).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_GRAPH_H
#define NNCC_FRONTEND_GRAPH_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc {

/// A position in a model file; line and column count from 1.
struct SourceLoc {
  std::string file;
  unsigned line = 0;
  unsigned col = 0;
};

enum class DType { F32, I64 };

/// The batch dimension; every other dimension is static.
constexpr int64_t kBatchDim = -1;

struct TensorType {
  DType dtype = DType::F32;
  std::vector<int64_t> shape; ///< kBatchDim marks the runtime batch size
};

/// How a parameter is initialised; the runtime implements each rule as
/// PyTorch's `torch.nn.init` does. fanIn/fanOut are computed by the frontend.
enum class InitKind {
  KaimingUniformA5, ///< PyTorch's default for Linear/Conv weight, a = sqrt(5)
  UniformFanIn,     ///< PyTorch's default bias: U(-1/sqrt(fan_in), +)
  Zeros,
  Ones,
  // `init=` choices (torch.nn.init with its defaults: kaiming mode fan_in,
  // nonlinearity leaky_relu with a = Parameter::initParam (default 0);
  // xavier gain = Parameter::initParam (default 1)).
  KaimingUniform,
  KaimingNormal,
  XavierUniform,
  XavierNormal,
};

/// The rule's name in IR attributes and dumps (`nn.init = "zeros"`).
inline const char *initKindName(InitKind init) {
  switch (init) {
  case InitKind::KaimingUniformA5:
    return "kaiming_uniform_a5";
  case InitKind::UniformFanIn:
    return "uniform_fan_in";
  case InitKind::Zeros:
    return "zeros";
  case InitKind::Ones:
    return "ones";
  case InitKind::KaimingUniform:
    return "kaiming_uniform";
  case InitKind::KaimingNormal:
    return "kaiming_normal";
  case InitKind::XavierUniform:
    return "xavier_uniform";
  case InitKind::XavierNormal:
    return "xavier_normal";
  }
  return "?";
}

struct Parameter {
  std::string name; ///< state_dict name, e.g. "layers.1.weight"
  std::vector<int64_t> shape;
  InitKind init = InitKind::Zeros;
  int64_t fanIn = 0;      ///< as torch.nn.init computes it (in * kh * kw)
  int64_t fanOut = 0;     ///< out * kh * kw
  double initParam = 0.0; ///< kaiming `a`, xavier `gain`
  bool frozen = false;
  SourceLoc loc; ///< the layer that owns it
};

/// A tensor of module state that is not trained: BatchNorm's running_mean
/// (zeros), running_var (ones), num_batches_tracked (I64, zero).
struct Buffer {
  std::string name; ///< state_dict name, e.g. "bn1.running_mean"
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  InitKind init = InitKind::Zeros;
  SourceLoc loc;
};

/// One operation of the model. Operands and results are value ids.
///
/// Attributes by kind (all present, PyTorch's defaults filled in, padding
/// resolved to numbers; 'same' padding gives pad_h/pad_w, with stride 1):
///  Flatten: start_dim, end_dim (non-negative)
///  Linear: params {weight[, bias]}
///  Conv2d: stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups;
///          params {weight [out, in/groups, kh, kw][, bias [out]]}
///  BatchNorm (1d on [N,C] or [N,C,L], 2d on [N,C,H,W]): float eps, momentum;
///          int affine, track_running_stats; params {weight, bias} if affine;
///          buffers {running_mean, running_var, num_batches_tracked} if
///          track_running_stats
///  ReLU, Sigmoid, Tanh, SiLU, Identity: none;  GELU: none (erf form)
///  LeakyReLU: float negative_slope
///  MaxPool2d, AvgPool2d: kernel_h, kernel_w, stride_h, stride_w, pad_h,
///          pad_w (AvgPool2d: count_include_pad = 1, ceil_mode = 0 only)
///  AdaptiveAvgPool2d: output 1x1 only ([N,C,H,W] -> [N,C,1,1])
///  Dropout: float p (identity in eval, inverted scaling in training)
///  Add: two operands of the same shape (residual connections)
///  Softmax, LogSoftmax: dim (non-negative)
///  CrossEntropyLoss: float label_smoothing
struct Node {
  enum class Kind {
    Flatten,
    Linear,
    ReLU,
    CrossEntropyLoss,
    Conv2d,
    BatchNorm,
    LeakyReLU,
    Sigmoid,
    Tanh,
    GELU,
    SiLU,
    MaxPool2d,
    AvgPool2d,
    AdaptiveAvgPool2d,
    Identity,
    Dropout,
    Add,
    Softmax,
    LogSoftmax,
  };
  Kind kind;
  std::string path;          ///< module path, e.g. "layers.1"
  std::vector<int> operands; ///< value ids
  std::vector<int> params;   ///< indices into Graph::params (Linear: w[, b])
  std::vector<int> buffers;  ///< indices into Graph::buffers
  int result = -1;           ///< value id
  std::map<std::string, int64_t> intAttrs;  ///< e.g. Flatten start_dim
  std::map<std::string, double> floatAttrs; ///< e.g. label_smoothing
  SourceLoc loc;     ///< the layer's definition, e.g. `Linear(`
  SourceLoc callLoc; ///< the forward statement that applies it
};

struct Value {
  std::string name; ///< user's name when it has one
  TensorType type;
};

struct Input {
  std::string name;
  int value = -1;
  SourceLoc loc;
};

/// A model after semantic checks: everything MLIRGen needs, nothing more.
struct Graph {
  std::string name;              ///< model name as written, e.g. "MLP"
  std::vector<Input> inputs;     ///< in declaration order
  std::vector<Parameter> params; ///< in state_dict order
  std::vector<Buffer> buffers;   ///< in state_dict order
  std::vector<Value> values;
  std::vector<Node> nodes; ///< topological order
  int output = -1;         ///< the value `return`ed (logits)
  int loss = -1;           ///< the value `minimize`d (scalar f32)
  SourceLoc loc;
};

} // namespace nncc

#endif // NNCC_FRONTEND_GRAPH_H
