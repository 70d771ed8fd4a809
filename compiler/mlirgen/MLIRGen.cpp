//===- MLIRGen.cpp - checked model to nn dialect --------------------------===//
//
// A Graph is already checked, so translation is one nn op per node; any
// inconsistency here is an internal error, caught by the nn verifiers.
// Parameters and buffers become function arguments carrying their
// state_dict names and init rules, which later phases turn into the ABI's
// tensor tables. The three entry points differ in mode: @train_step uses
// batch statistics, updates the running ones (extra results marked
// nn.buffer_update) and applies dropout; @eval_step and @predict use the
// running statistics and no dropout. @probe runs the training forward and
// counts the non-finite values each layer outputs (nn.count_nonfinite).
//
//===----------------------------------------------------------------------===//
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/mlirgen/NodeEmitter.h"
#include "dialects/nn/NNDialect.h"
#include "frontend/Frontend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nn = nncc::nn;

using namespace mlir;
using namespace nncc::mlirgen;
using nncc::Graph;
using nncc::Node;

namespace {
class ModuleEmitter {
public:
  ModuleEmitter(MLIRContext &context, const Graph &graph)
      : context(context), graph(graph), builder(&context) {}

  OwningOpRef<ModuleOp> emit() {
    auto module = ModuleOp::create(location(builder, graph.loc, ""));
    module->setAttr("nn.model", builder.getStringAttr(graph.name));
    builder.setInsertionPointToEnd(module.getBody());
    emitFunction("train_step", Mode::Train)
        ->setAttr(nn::kDifferentiateAttr, builder.getUnitAttr());
    emitFunction("eval_step", Mode::Eval);
    emitFunction("predict", Mode::Predict);
    emitFunction("probe", Mode::Train, /*probe=*/true);
    return module;
  }

private:
  bool hasDropout() const {
    return llvm::any_of(graph.nodes, [](const Node &node) {
      return node.kind == Node::Kind::Dropout;
    });
  }

  /// Values the outputs of `mode` depend on, so @predict takes only the
  /// inputs it needs.
  std::vector<bool> neededValues(Mode mode) {
    std::vector<bool> needed(graph.values.size(), false);
    needed[graph.output] = true;
    if (mode != Mode::Predict)
      needed[graph.loss] = true;
    for (auto it = graph.nodes.rbegin(); it != graph.nodes.rend(); ++it)
      if (needed[it->result] || (mode == Mode::Train && !it->buffers.empty()))
        for (int operand : it->operands)
          needed[operand] = true;
    return needed;
  }

  func::FuncOp emitFunction(StringRef name, Mode mode, bool probe = false) {
    std::vector<bool> needed = neededValues(mode);
    if (probe) // every layer, the loss included
      needed.assign(needed.size(), true);
    SmallVector<Type> argTypes;
    for (const nncc::Parameter &p : graph.params)
      argTypes.push_back(RankedTensorType::get(p.shape, builder.getF32Type()));
    for (const nncc::Buffer &b : graph.buffers)
      argTypes.push_back(tensorType(builder, {b.dtype, b.shape}));
    SmallVector<const nncc::Input *> inputs;
    for (const nncc::Input &in : graph.inputs)
      if (needed[in.value]) {
        inputs.push_back(&in);
        argTypes.push_back(tensorType(builder, graph.values[in.value].type));
      }
    bool withSeed = mode == Mode::Train && hasDropout();
    if (withSeed)
      argTypes.push_back(builder.getI64Type());

    auto func =
        builder.create<func::FuncOp>(location(builder, graph.loc, ""), name,
                                     builder.getFunctionType(argTypes, {}));
    annotateArguments(func, inputs, withSeed);

    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(func.addEntryBlock());
    NodeEmitter nodes(builder, graph, func, mode);
    if (withSeed)
      nodes.setSeed(func.getArguments().back());
    unsigned firstInput = graph.params.size() + graph.buffers.size();
    for (auto [i, in] : llvm::enumerate(inputs))
      nodes.setValue(in->value, func.getArgument(firstInput + i));
    for (const Node &node : graph.nodes)
      if (needed[node.result])
        nodes.emit(node);

    if (probe)
      return finishProbe(func, nodes, argTypes);
    SmallVector<Value> results{nodes.value(graph.output)};
    SmallVector<NamedAttribute> resultNames{builder.getNamedAttr(
        nn::kOutputAttr,
        builder.getStringAttr(graph.values[graph.output].name))};
    if (mode != Mode::Predict) {
      results.push_back(nodes.value(graph.loss));
      resultNames.push_back(
          builder.getNamedAttr(nn::kOutputAttr, builder.getStringAttr("loss")));
    }
    for (auto [buffer, update] : nodes.bufferUpdates()) {
      results.push_back(update);
      resultNames.push_back(builder.getNamedAttr(
          nn::kBufferUpdateAttr,
          builder.getStringAttr(graph.buffers[buffer].name)));
    }
    builder.create<func::ReturnOp>(location(builder, graph.loc, ""), results);
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    func.setType(builder.getFunctionType(argTypes, resultTypes));
    for (auto [i, attr] : llvm::enumerate(resultNames))
      func.setResultAttr(i, attr.getName(), attr.getValue());
    return func;
  }

  /// @probe returns one count per node, and names the nodes in
  /// `nn.probe_names` ("layers.1 (Linear)") for the header. Run on a
  /// failing step's parameters, batch and seed, it sees exactly what the
  /// step saw (the forward is deterministic), so the first non-zero count
  /// names the layer whose output went non-finite first.
  func::FuncOp finishProbe(func::FuncOp func, NodeEmitter &nodes,
                           ArrayRef<Type> argTypes) {
    Location loc = location(builder, graph.loc, "");
    SmallVector<Value> outputs;
    SmallVector<Attribute> names;
    for (const Node &node : graph.nodes) {
      outputs.push_back(nodes.value(node.result));
      std::string where =
          node.path.empty() ? graph.values[node.result].name : node.path;
      names.push_back(builder.getStringAttr(
          where + " (" + nncc::nodeKindName(node.kind) + ")"));
    }
    auto countsType =
        RankedTensorType::get({int64_t(outputs.size())}, builder.getF32Type());
    Value counts =
        builder.create<nn::CountNonFiniteOp>(loc, countsType, outputs);
    builder.create<func::ReturnOp>(loc, counts);
    func.setType(builder.getFunctionType(argTypes, {countsType}));
    func.setResultAttr(0, nn::kOutputAttr, builder.getStringAttr("nonfinite"));
    func->setAttr("nn.probe_names", builder.getArrayAttr(names));
    return func;
  }

  void annotateArguments(func::FuncOp func,
                         ArrayRef<const nncc::Input *> inputs, bool withSeed) {
    unsigned arg = 0;
    for (const nncc::Parameter &p : graph.params) {
      func.setArgAttr(arg, nn::kParamAttr, builder.getStringAttr(p.name));
      func.setArgAttr(arg, nn::kInitAttr,
                      builder.getStringAttr(nncc::initKindName(p.init)));
      func.setArgAttr(arg, nn::kFanInAttr, builder.getI64IntegerAttr(p.fanIn));
      func.setArgAttr(arg, nn::kFanOutAttr,
                      builder.getI64IntegerAttr(p.fanOut));
      if (p.initParam != 0.0)
        func.setArgAttr(arg, nn::kInitParamAttr,
                        builder.getF64FloatAttr(p.initParam));
      if (p.frozen)
        func.setArgAttr(arg, nn::kFrozenAttr, builder.getUnitAttr());
      ++arg;
    }
    for (const nncc::Buffer &b : graph.buffers) {
      func.setArgAttr(arg, nn::kBufferAttr, builder.getStringAttr(b.name));
      func.setArgAttr(arg, nn::kInitAttr,
                      builder.getStringAttr(nncc::initKindName(b.init)));
      ++arg;
    }
    for (const nncc::Input *in : inputs)
      func.setArgAttr(arg++, nn::kInputAttr, builder.getStringAttr(in->name));
    if (withSeed)
      func.setArgAttr(arg, nn::kSeedAttr, builder.getUnitAttr());
  }

  MLIRContext &context;
  const Graph &graph;
  OpBuilder builder;
};
} // namespace

OwningOpRef<ModuleOp> nncc::emitNNModule(MLIRContext &context,
                                         const Graph &graph) {
  return ModuleEmitter(context, graph).emit();
}
