//===- NNToLinalgPass.cpp - the nn-to-linalg pass
//--------------------------===//
#include "compiler/Passes.h"
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Transforms/DialectConversion.h"

namespace nncc {
#define GEN_PASS_DEF_NNTOLINALG
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {
struct NNToLinalg : nncc::impl::NNToLinalgBase<NNToLinalg> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    // Every nn op that computes must be lowered; everything they lower to is
    // legal.
    target.addIllegalDialect<nn::NNDialect>();
    // Profile marks stay until nn-parallel-loops turns them into calls.
    target.addLegalOp<nn::ProfileMarkOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateLinearToLinalgPatterns(patterns);
    populateElementwiseToLinalgPatterns(patterns);
    populateLossToLinalgPatterns(patterns);
    populateReshapeToLinalgPatterns(patterns);
    populateActivationToLinalgPatterns(patterns);
    populateNormToLinalgPatterns(patterns);
    populatePoolToLinalgPatterns(patterns);
    populateConvToLinalgPatterns(patterns);
    populateProbeToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
