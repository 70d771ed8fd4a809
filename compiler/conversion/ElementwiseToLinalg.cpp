//===- ElementwiseToLinalg.cpp - activations and additions → linalg
//--------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

static Value zeroLike(OpBuilder &b, Location loc, Value v) {
  return b.create<arith::ConstantOp>(loc, b.getZeroAttr(v.getType()));
}

namespace {
// relu(x) = max(x, 0); arith.maximumf propagates NaN as torch.relu does.
struct ReluLowering : OpRewritePattern<nn::ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ReluOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                        [](OpBuilder &b, Location loc, ValueRange x) {
                          return b.create<arith::MaximumFOp>(
                              loc, x[0], zeroLike(b, loc, x[0]));
                        }));
    return success();
  }
};

// relu backward: dy where y > 0 (PyTorch's threshold_backward on the output).
struct ReluGradLowering : OpRewritePattern<nn::ReluGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ReluGradOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(),
                        ValueRange{op.getGrad(), op.getOutput()},
                        [](OpBuilder &b, Location loc, ValueRange args) {
                          Value zero = zeroLike(b, loc, args[0]);
                          Value positive = b.create<arith::CmpFOp>(
                              loc, arith::CmpFPredicate::OGT, args[1], zero);
                          return b.create<arith::SelectOp>(loc, positive,
                                                           args[0], zero);
                        }));
    return success();
  }
};

struct AddLowering : OpRewritePattern<nn::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::AddOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(),
                        ValueRange{op.getLhs(), op.getRhs()},
                        [](OpBuilder &b, Location loc, ValueRange args) {
                          return b.create<arith::AddFOp>(loc, args[0], args[1]);
                        }));
    return success();
  }
};
} // namespace

void nncc::populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReluLowering, ReluGradLowering, AddLowering>(
      patterns.getContext());
}
