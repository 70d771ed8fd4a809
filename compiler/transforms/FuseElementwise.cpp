//===- FuseElementwise.cpp - one loop nest for chains of elementwise ops --===//
//
// nn-to-linalg lowers every nn op to its own linalg ops, so a chain such as
// batch norm's normalisation followed by ReLU, or ReLU's backward mask
// followed by batch norm's backward, reads and writes a whole activation
// tensor once per op. Most of a convolutional net's step outside the
// convolutions is such memory traffic (CPU_CODEGEN.md: about twenty passes
// over 3-6 MB tensors per cnn step). This pass fuses a producer linalg.generic
// into its consumer when the consumer is elementwise over the producer's
// iteration space and the producer has no other user: one loop nest, the
// intermediate value in a register. Fusion happens after autodiff, so the
// fused ops need no gradient rules, and the arithmetic of every element is
// the same, op by op, as before.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nncc {
#define GEN_PASS_DEF_NNFUSEELEMENTWISE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {

/// A producer is fused into its consumer only when nothing else reads it
/// (else its work would be done twice) and it does only elementwise work
/// (a reduction's result is needed whole before its consumer starts).
bool shouldFuse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(producer);
  if (!generic || !producer->hasOneUse())
    return false;
  return llvm::all_of(generic.getIteratorTypesArray(), [](auto t) {
    return t == utils::IteratorType::parallel;
  });
}

struct NNFuseElementwise
    : nncc::impl::NNFuseElementwiseBase<NNFuseElementwise> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
