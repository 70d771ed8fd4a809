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

// conv: dx is a transposed convolution of g, dW correlates g with x, db sums
// g per channel.
Grads Conv2dOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool> need) {
  Grads grads(getNumOperands());
  if (need[0])
    grads[0] = b.create<Conv2dGradInputOp>(
        getLoc(), getInput().getType(), g[0], getWeight(), getStrideAttr(),
        getPaddingAttr(), getDilationAttr(), getGroupsAttr());
  if (need[1])
    grads[1] = b.create<Conv2dGradWeightOp>(
        getLoc(), getWeight().getType(), g[0], getInput(), getStrideAttr(),
        getPaddingAttr(), getDilationAttr(), getGroupsAttr());
  if (getBias() && need[2])
    grads[2] = b.create<ChannelSumOp>(getLoc(), g[0]);
  return grads;
}

// max pool: each window's gradient goes to its argmax (saved as indices).
Grads MaxPool2dOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  if (!g[0])
    return {Value()};
  return {b.create<MaxPool2dGradOp>(getLoc(), getInput().getType(), g[0],
                                    getIndices(), getKernelAttr(),
                                    getStrideAttr(), getPaddingAttr())};
}

// avg pool: each window's gradient spread evenly over the window.
Grads AvgPool2dOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<AvgPool2dGradOp>(getLoc(), getInput().getType(), g[0],
                                    getKernelAttr(), getStrideAttr(),
                                    getPaddingAttr())};
}

// batch norm (training): through the batch statistics; the running
// statistics are state, not differentiated.
Grads BatchNormTrainOp::buildVJP(OpBuilder &b, ValueRange g,
                                 ArrayRef<bool> need) {
  Grads grads(getNumOperands());
  if (!g[0])
    return grads;
  auto backward = b.create<BatchNormGradOp>(
      getLoc(), g[0], getInput(), getWeight(), getMean(), getInvstd());
  for (unsigned i = 0; i < 3; ++i)
    if (need[i])
      grads[i] = backward->getResult(i);
  return grads;
}

// dropout: the same mask (recomputed from the seed) and scale.
Grads DropoutOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<DropoutGradOp>(getLoc(), getType(), g[0], getSeed(),
                                  getPAttr(), getSaltAttr()),
          Value()};
}

// Activations whose derivative is cheapest from the output...
Grads SigmoidOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<SigmoidGradOp>(getLoc(), getType(), g[0], getResult())};
}

Grads TanhOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<TanhGradOp>(getLoc(), getType(), g[0], getResult())};
}

// ... and from the input.
Grads GeluOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<GeluGradOp>(getLoc(), getType(), g[0], getInput())};
}

Grads SiluOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<SiluGradOp>(getLoc(), getType(), g[0], getInput())};
}

Grads LeakyReluOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<LeakyReluGradOp>(getLoc(), getType(), g[0], getInput(),
                                    getSlopeAttr())};
}

// softmax: y * (g - sum(g * y)); log-softmax: g - exp(y) * sum(g).
Grads SoftmaxOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<SoftmaxGradOp>(getLoc(), getType(), g[0], getResult(),
                                  getDimAttr())};
}

Grads LogSoftmaxOp::buildVJP(OpBuilder &b, ValueRange g, ArrayRef<bool>) {
  return {b.create<LogSoftmaxGradOp>(getLoc(), getType(), g[0], getResult(),
                                     getDimAttr())};
}
