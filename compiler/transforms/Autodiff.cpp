//===- Autodiff.cpp - reverse-mode differentiation of nn functions
//---------===//
//
// Classic reverse mode over one basic block of pure nn ops:
//  1. activity: a value is *varied* if it depends on a trainable parameter and
//     *useful* if the loss depends on it; only active (both) values get
//     cotangents, so data inputs and frozen layers get no gradient code;
//  2. seed d loss = 1 and visit ops in reverse, asking each op's
//     GradientOpInterface for its operands' cotangents;
//  3. a value used several times (fan-out) sums its cotangents with nn.add.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_NNAUTODIFF
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {

/// Index of the result named "loss" (see MLIRGen), or -1.
int lossResultIndex(func::FuncOp func) {
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (auto name = func.getResultAttrOfType<StringAttr>(i, nn::kOutputAttr))
      if (name.getValue() == "loss")
        return i;
  return -1;
}

bool isTrainableParam(func::FuncOp func, unsigned argIndex) {
  return func.getArgAttr(argIndex, nn::kParamAttr) &&
         !func.getArgAttr(argIndex, nn::kFrozenAttr);
}

class ReverseModeBuilder {
public:
  explicit ReverseModeBuilder(func::FuncOp func) : func(func) {}

  LogicalResult run() {
    int lossIndex = lossResultIndex(func);
    if (lossIndex < 0)
      return func.emitError("nn.differentiate function has no loss result");
    Block &body = func.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value loss = ret.getOperand(lossIndex);
    computeActivity(body, loss);

    OpBuilder builder(ret);
    auto lossType = cast<RankedTensorType>(loss.getType());
    cotangents[loss] = builder.create<arith::ConstantOp>(
        func.getLoc(), DenseElementsAttr::get(lossType, 1.0f));

    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops))
      if (failed(pullBack(op, builder)))
        return failure();

    appendGradientResults(ret, builder);
    return success();
  }

private:
  void computeActivity(Block &body, Value loss) {
    for (BlockArgument arg : body.getArguments())
      if (isTrainableParam(func, arg.getArgNumber()))
        varied.insert(arg);
    for (Operation &op : body.without_terminator())
      if (llvm::any_of(op.getOperands(),
                       [&](Value v) { return varied.contains(v); }))
        for (Value r : op.getResults())
          varied.insert(r);
    useful.insert(loss);
    for (Operation &op : llvm::reverse(body.without_terminator()))
      if (llvm::any_of(op.getResults(),
                       [&](Value v) { return useful.contains(v); }))
        for (Value operand : op.getOperands())
          useful.insert(operand);
  }

  bool isActive(Value v) const {
    return varied.contains(v) && useful.contains(v);
  }

  LogicalResult pullBack(Operation *op, OpBuilder &builder) {
    SmallVector<Value> resultGrads;
    bool any = false;
    for (Value r : op->getResults()) {
      resultGrads.push_back(cotangents.lookup(r));
      any |= static_cast<bool>(resultGrads.back());
    }
    if (!any)
      return success();
    SmallVector<bool> need;
    for (Value operand : op->getOperands())
      need.push_back(isActive(operand));
    if (llvm::none_of(need, [](bool b) { return b; }))
      return success();
    auto differentiable = dyn_cast<nn::GradientOpInterface>(op);
    if (!differentiable)
      return op->emitError("cannot differentiate '")
             << op->getName() << "': it has no gradient rule";
    SmallVector<Value> grads =
        differentiable.buildVJP(builder, resultGrads, need);
    for (auto [operand, grad, needed] :
         llvm::zip(op->getOperands(), grads, need))
      if (needed && grad)
        accumulate(operand, grad, builder, op->getLoc());
    return success();
  }

  void accumulate(Value v, Value grad, OpBuilder &builder, Location loc) {
    Value &slot = cotangents[v];
    slot = slot ? builder.create<nn::AddOp>(loc, slot.getType(), slot, grad)
                : grad;
  }

  /// Returns the gradient of every trainable parameter after the existing
  /// results; an unused parameter gets zeros.
  void appendGradientResults(func::ReturnOp ret, OpBuilder &builder) {
    SmallVector<Value> results(ret.getOperands());
    SmallVector<StringAttr> gradNames;
    for (BlockArgument arg : func.getArguments()) {
      if (!isTrainableParam(func, arg.getArgNumber()))
        continue;
      Value grad = cotangents.lookup(arg);
      if (!grad)
        grad = builder.create<arith::ConstantOp>(
            func.getLoc(), DenseElementsAttr::get(
                               cast<RankedTensorType>(arg.getType()), 0.0f));
      gradNames.push_back(func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                            nn::kParamAttr));
      results.push_back(grad);
    }
    builder.create<func::ReturnOp>(ret.getLoc(), results);
    ret.erase();
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    SmallVector<DictionaryAttr> resultAttrs;
    func.getAllResultAttrs(resultAttrs);
    for (StringAttr name : gradNames)
      resultAttrs.push_back(
          builder.getDictionaryAttr(builder.getNamedAttr(nn::kGradAttr, name)));
    func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
    func.setAllResultAttrs(resultAttrs);
  }

  func::FuncOp func;
  DenseSet<Value> varied, useful;
  DenseMap<Value, Value> cotangents;
};

struct NNAutodiff : nncc::impl::NNAutodiffBase<NNAutodiff> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(nn::kDifferentiateAttr))
        continue;
      if (!func.getBody().hasOneBlock()) {
        func.emitError("nn-autodiff expects a single-block function");
        return signalPassFailure();
      }
      if (failed(ReverseModeBuilder(func).run()))
        return signalPassFailure();
      func->removeAttr(nn::kDifferentiateAttr);
    }
  }
};
} // namespace
