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
  }
  return "?";
}

struct Parameter {
  std::string name; ///< state_dict name, e.g. "layers.1.weight"
  std::vector<int64_t> shape;
  InitKind init = InitKind::Zeros;
  int64_t fanIn = 0;
  int64_t fanOut = 0;
  bool frozen = false;
  SourceLoc loc; ///< the layer that owns it
};

/// One operation of the model. Operands and results are value ids.
struct Node {
  enum class Kind { Flatten, Linear, ReLU, CrossEntropyLoss };
  Kind kind;
  std::string path;          ///< module path, e.g. "layers.1"
  std::vector<int> operands; ///< value ids
  std::vector<int> params;   ///< indices into Graph::params (Linear: w[, b])
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
  std::vector<Value> values;
  std::vector<Node> nodes; ///< topological order
  int output = -1;         ///< the value `return`ed (logits)
  int loss = -1;           ///< the value `minimize`d (scalar f32)
  SourceLoc loc;
};

} // namespace nncc

#endif // NNCC_FRONTEND_GRAPH_H
