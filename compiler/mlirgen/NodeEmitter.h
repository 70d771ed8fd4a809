//===- NodeEmitter.h - one Graph node to nn ops ----------------*- C++ -*-===//
#ifndef NNCC_COMPILER_MLIRGEN_NODEEMITTER_H
#define NNCC_COMPILER_MLIRGEN_NODEEMITTER_H

#include "frontend/Graph.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <map>

namespace nncc::mlirgen {
// Inside nncc, `Value` would name the Graph's value record.
using Value = mlir::Value;

enum class Mode { Train, Eval, Predict };

mlir::Location location(mlir::OpBuilder &b, const SourceLoc &loc,
                        llvm::StringRef name);
mlir::RankedTensorType tensorType(mlir::OpBuilder &b, const TensorType &type);

/// Emits nodes into the body of one entry point. Parameter i and buffer j
/// are arguments i and params.size() + j of `func`.
class NodeEmitter {
public:
  NodeEmitter(mlir::OpBuilder &builder, const Graph &graph,
              mlir::func::FuncOp func, Mode mode)
      : b(builder), graph(graph), func(func), mode(mode),
        values(graph.values.size()) {}

  void setValue(int id, mlir::Value v) { values[id] = v; }
  mlir::Value value(int id) const { return values[id]; }
  void setSeed(mlir::Value s) { seed = s; }
  void emit(const Node &node);
  /// New values of buffers (index into Graph::buffers), in train mode.
  const std::map<int, mlir::Value> &bufferUpdates() const { return updates; }

private:
  mlir::Value emitConv(const Node &node, mlir::Location loc);
  mlir::Value emitBatchNorm(const Node &node, mlir::Location loc);
  mlir::Value emitPool(const Node &node, mlir::Location loc);
  mlir::Value operand(const Node &node, unsigned i) {
    return values[node.operands[i]];
  }
  mlir::Value param(const Node &node, unsigned i) {
    return func.getArgument(node.params[i]);
  }
  mlir::Value buffer(const Node &node, unsigned i) {
    return func.getArgument(graph.params.size() + node.buffers[i]);
  }
  mlir::Value constant(mlir::RankedTensorType type, float value);

  mlir::OpBuilder &b;
  const Graph &graph;
  mlir::func::FuncOp func;
  Mode mode;
  std::vector<mlir::Value> values;
  mlir::Value seed;
  std::map<int, mlir::Value> updates;
};
} // namespace nncc::mlirgen

#endif // NNCC_COMPILER_MLIRGEN_NODEEMITTER_H
