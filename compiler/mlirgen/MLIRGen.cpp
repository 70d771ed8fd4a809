//===- MLIRGen.cpp - checked model to nn dialect
//---------------------------===//
//
// A Graph is already checked, so translation is one nn op per node; any
// inconsistency here is an internal error, caught by the nn verifiers.
// Parameters become function arguments carrying their state_dict names and
// init rules, which later phases turn into the ABI's tensor table.
//
//===----------------------------------------------------------------------===//
#include "compiler/mlirgen/MLIRGen.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace nn = nncc::nn;

using namespace mlir;
using nncc::DType;
using nncc::Graph;
using nncc::Input;
using nncc::Node;
using nncc::Parameter;
using nncc::SourceLoc;

namespace {
class NNEmitter {
public:
  NNEmitter(MLIRContext &context, const Graph &graph)
      : context(context), graph(graph), builder(&context) {}

  OwningOpRef<ModuleOp> emit() {
    auto module = ModuleOp::create(location(graph.loc, ""));
    module->setAttr("nn.model", builder.getStringAttr(graph.name));
    builder.setInsertionPointToEnd(module.getBody());
    emitFunction("train_step", /*withLoss=*/true)
        ->setAttr(nn::kDifferentiateAttr, builder.getUnitAttr());
    emitFunction("eval_step", /*withLoss=*/true);
    emitFunction("predict", /*withLoss=*/false);
    return module;
  }

private:
  Location location(const SourceLoc &loc, StringRef name) {
    Location fileLoc =
        FileLineColLoc::get(&context, loc.file, loc.line, loc.col);
    if (name.empty())
      return fileLoc;
    return NameLoc::get(builder.getStringAttr(name), fileLoc);
  }

  RankedTensorType tensorType(const nncc::TensorType &type) {
    SmallVector<int64_t> shape;
    for (int64_t d : type.shape)
      shape.push_back(d == nncc::kBatchDim ? ShapedType::kDynamic : d);
    Type element = type.dtype == DType::F32 ? Type(builder.getF32Type())
                                            : Type(builder.getI64Type());
    return RankedTensorType::get(shape, element);
  }

  /// Values the given root depends on, so @predict takes only what it needs.
  std::vector<bool> valuesNeededBy(int root) {
    std::vector<bool> needed(graph.values.size(), false);
    needed[root] = true;
    for (auto it = graph.nodes.rbegin(); it != graph.nodes.rend(); ++it)
      if (needed[it->result])
        for (int operand : it->operands)
          needed[operand] = true;
    return needed;
  }

  func::FuncOp emitFunction(StringRef name, bool withLoss) {
    std::vector<bool> needed =
        valuesNeededBy(withLoss ? graph.loss : graph.output);
    if (withLoss)
      needed[graph.output] = true;

    SmallVector<Type> argTypes;
    for (const Parameter &p : graph.params)
      argTypes.push_back(RankedTensorType::get(p.shape, builder.getF32Type()));
    SmallVector<const Input *> inputs;
    for (const Input &in : graph.inputs)
      if (needed[in.value]) {
        inputs.push_back(&in);
        argTypes.push_back(tensorType(graph.values[in.value].type));
      }
    SmallVector<Type> resultTypes{tensorType(graph.values[graph.output].type)};
    if (withLoss)
      resultTypes.push_back(tensorType(graph.values[graph.loss].type));

    auto func = builder.create<func::FuncOp>(
        location(graph.loc, ""), name,
        builder.getFunctionType(argTypes, resultTypes));
    annotateSignature(func, inputs, withLoss);

    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(func.addEntryBlock());
    std::vector<Value> values(graph.values.size());
    for (auto [i, in] : llvm::enumerate(inputs))
      values[in->value] = func.getArgument(graph.params.size() + i);
    for (const Node &node : graph.nodes)
      if (needed[node.result])
        values[node.result] = emitNode(node, values, func);
    SmallVector<Value> results{values[graph.output]};
    if (withLoss)
      results.push_back(values[graph.loss]);
    builder.create<func::ReturnOp>(location(graph.loc, ""), results);
    return func;
  }

  void annotateSignature(func::FuncOp func, ArrayRef<const Input *> inputs,
                         bool withLoss) {
    for (auto [i, p] : llvm::enumerate(graph.params)) {
      func.setArgAttr(i, nn::kParamAttr, builder.getStringAttr(p.name));
      func.setArgAttr(i, nn::kInitAttr,
                      builder.getStringAttr(nncc::initKindName(p.init)));
      func.setArgAttr(i, nn::kFanInAttr, builder.getI64IntegerAttr(p.fanIn));
      func.setArgAttr(i, nn::kFanOutAttr, builder.getI64IntegerAttr(p.fanOut));
      if (p.frozen)
        func.setArgAttr(i, nn::kFrozenAttr, builder.getUnitAttr());
    }
    for (auto [i, in] : llvm::enumerate(inputs))
      func.setArgAttr(graph.params.size() + i, nn::kInputAttr,
                      builder.getStringAttr(in->name));
    func.setResultAttr(0, nn::kOutputAttr,
                       builder.getStringAttr(graph.values[graph.output].name));
    if (withLoss)
      func.setResultAttr(1, nn::kOutputAttr, builder.getStringAttr("loss"));
  }

  Value emitNode(const Node &node, ArrayRef<Value> values, func::FuncOp func) {
    Location loc = location(node.loc, node.path);
    auto operand = [&](unsigned i) { return values[node.operands[i]]; };
    auto param = [&](unsigned i) { return func.getArgument(node.params[i]); };
    auto intAttr = [&](StringRef key, int64_t dflt) {
      auto it = node.intAttrs.find(key.str());
      return it == node.intAttrs.end() ? dflt : it->second;
    };
    switch (node.kind) {
    case Node::Kind::Flatten: {
      int64_t rank = cast<RankedTensorType>(operand(0).getType()).getRank();
      int64_t start = intAttr("start_dim", 1), end = intAttr("end_dim", -1);
      if (start < 0)
        start += rank;
      if (end < 0)
        end += rank;
      return builder.create<nn::FlattenOp>(loc, operand(0),
                                           builder.getI64IntegerAttr(start),
                                           builder.getI64IntegerAttr(end));
    }
    case Node::Kind::Linear:
      return builder.create<nn::LinearOp>(loc, operand(0), param(0),
                                          node.params.size() > 1 ? param(1)
                                                                 : Value());
    case Node::Kind::ReLU:
      return builder.create<nn::ReluOp>(loc, operand(0));
    case Node::Kind::CrossEntropyLoss: {
      auto it = node.floatAttrs.find("label_smoothing");
      double smoothing = it == node.floatAttrs.end() ? 0.0 : it->second;
      return builder.create<nn::CrossEntropyOp>(
          loc, operand(0), operand(1), builder.getF64FloatAttr(smoothing));
    }
    }
    llvm_unreachable("unknown node kind");
  }

  MLIRContext &context;
  const Graph &graph;
  OpBuilder builder;
};
} // namespace

OwningOpRef<ModuleOp> nncc::emitNNModule(MLIRContext &context,
                                         const Graph &graph) {
  return NNEmitter(context, graph).emit();
}
