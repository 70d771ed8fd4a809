//===- FuseReluMaxPool.cpp - ReLU after max pooling, on the pooled tensor -===//
//
// `MaxPool2d(ReLU(x)) == ReLU(MaxPool2d(x))`: ReLU is monotone, so the
// window's maximum commutes with it, exactly. Run after pooling, ReLU and its
// backward touch a quarter of the elements (a 2x2 pool), and the full-size
// ReLU output is never written. The backward pair swaps with it: PyTorch
// routes a window's gradient to the argmax of ReLU(x) and masks it where
// that output is 0; here it masks where the pooled output is 0 and routes
// to the argmax of x. Where the window's maximum is positive both argmaxes
// are the first element equal to it; where it is not, both give the window
// a zero gradient. The results are bit-identical.
//
// Runs after autodiff, on the ops it left: the rewrite applies where the
// ReLU's output is used by the pooling and by relu_grad ops that mask the
// pooling's own max_pool2d_grad, and by nothing else (a probe reading the
// ReLU output keeps it).
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_NNFUSERELUMAXPOOL
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {

/// The backward pair this rewrite swaps: relu_grad(max_pool2d_grad(dp, i), r).
struct BackwardPair {
  nn::MaxPool2dGradOp poolGrad;
  nn::ReluGradOp reluGrad;
};

/// Every use of the ReLU output `r` and of `pool`'s indices fits the rewrite;
/// `pairs` gets the backward pairs.
bool collectUses(nn::ReluOp relu, nn::MaxPool2dOp pool,
                 SmallVectorImpl<BackwardPair> &pairs) {
  for (OpOperand &use : relu.getResult().getUses()) {
    if (use.getOwner() == pool)
      continue;
    auto reluGrad = dyn_cast<nn::ReluGradOp>(use.getOwner());
    if (!reluGrad || use.get() != reluGrad.getOutput() ||
        reluGrad.getGrad() == relu.getResult())
      return false;
    auto poolGrad = reluGrad.getGrad().getDefiningOp<nn::MaxPool2dGradOp>();
    if (!poolGrad || poolGrad.getIndices() != pool.getIndices() ||
        !poolGrad->hasOneUse())
      return false;
    pairs.push_back({poolGrad, reluGrad});
  }
  // The indices feed only these pairs' gradients: a max_pool2d_grad whose
  // result is used unmasked would route to the other argmax.
  for (Operation *user : pool.getIndices().getUsers())
    if (llvm::none_of(pairs, [&](BackwardPair p) {
          return p.poolGrad.getOperation() == user;
        }))
      return false;
  return true;
}

void swap(nn::ReluOp relu, nn::MaxPool2dOp pool,
          MutableArrayRef<BackwardPair> pairs) {
  OpBuilder b(pool);
  auto pooled = b.create<nn::MaxPool2dOp>(
      pool.getLoc(), relu.getInput(), pool.getKernelAttr(),
      pool.getStrideAttr(), pool.getPaddingAttr());
  auto activated = b.create<nn::ReluOp>(relu.getLoc(), pooled.getResult());
  pool.getResult().replaceAllUsesWith(activated.getResult());
  pool.getIndices().replaceAllUsesWith(pooled.getIndices());
  for (BackwardPair pair : pairs) {
    b.setInsertionPoint(pair.reluGrad);
    auto masked = b.create<nn::ReluGradOp>(
        pair.reluGrad.getLoc(), pair.poolGrad.getGrad(), activated.getResult());
    auto routed = b.create<nn::MaxPool2dGradOp>(
        pair.poolGrad.getLoc(), pair.poolGrad.getType(), masked.getResult(),
        pooled.getIndices(), pair.poolGrad.getKernelAttr(),
        pair.poolGrad.getStrideAttr(), pair.poolGrad.getPaddingAttr());
    pair.reluGrad.getResult().replaceAllUsesWith(routed.getResult());
    pair.reluGrad.erase();
    pair.poolGrad.erase();
  }
  pool.erase();
  relu.erase();
}

struct NNFuseReluMaxPool
    : nncc::impl::NNFuseReluMaxPoolBase<NNFuseReluMaxPool> {
  void runOnOperation() override {
    SmallVector<nn::MaxPool2dOp> pools;
    getOperation().walk([&](nn::MaxPool2dOp pool) { pools.push_back(pool); });
    for (nn::MaxPool2dOp pool : pools) {
      auto relu = pool.getInput().getDefiningOp<nn::ReluOp>();
      SmallVector<BackwardPair> pairs;
      if (relu && collectUses(relu, pool, pairs))
        swap(relu, pool, pairs);
    }
  }
};

} // namespace
