//===- NNGradients.cpp - vector-Jacobian product of each nn op
//-------------===//
//
// One small rule per op: given the cotangent `g` of the op's result, build the
// cotangent of each operand that needs one. Rules emit nn ops only, so the
// backward pass is optimised and lowered like the forward one. nn-autodiff
// decides which operands need gradients (frozen parameters and data do not).
//
//===----------------------------------------------------------------------===//
#include "dialects/nn/NNDialect.h"

using namespace mlir;
using namespace nncc::nn;

using Grads = SmallVector<Value>;

// flatten ↔ unflatten: the gradient is reshaped back.
Grads FlattenOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<UnflattenOp>(getLoc(), getInput().getType(), g[0],
                                getStartDimAttr(), getEndDimAttr())};
}

Grads UnflattenOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {
      b.create<FlattenOp>(getLoc(), g[0], getStartDimAttr(), getEndDimAttr())};
}

// y = x W^T + b:  dx = g W,  dW = g^T x,  db = sum_n g.
Grads LinearOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool> need) {
  Grads grads(getNumOperands());
  if (need[0])
    grads[0] = b.create<LinearGradInputOp>(getLoc(), g[0], getWeight());
  if (need[1])
    grads[1] = b.create<LinearGradWeightOp>(getLoc(), g[0], getInput());
  if (getBias() && need[2])
    grads[2] = b.create<LinearGradBiasOp>(getLoc(), g[0]);
  return grads;
}

// relu: pass the gradient where the output is positive.
Grads ReluOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<ReluGradOp>(getLoc(), getType(), g[0], getResult())};
}

// a + b: both operands receive the cotangent unchanged.
Grads AddOp::buildVJP(OpBuilder &, ValueRange g, ArrayRef<bool>) {
  return {g[0], g[0]};
}

// cross entropy: softmax minus the (smoothed) one-hot target; no gradient
// flows to the integer targets.
Grads CrossEntropyOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  Value dx =
      b.create<CrossEntropyGradOp>(getLoc(), getLogits().getType(), getLogits(),
                                   getTarget(), g[0], getLabelSmoothingAttr());
  return {dx, Value()};
}
