//===- LossToLinalg.cpp - cross entropy and its gradient → linalg
//----------===//
//
// Numerically stable log-softmax: per row m = max_c x, s = sum_c exp(x - m),
// logsumexp = m + log s. The loss reduces rows into a 0-d accumulator; the
// gradient recomputes m and s (two cheap passes over [N, C]) rather than
// keeping forward intermediates alive across the whole backward pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

namespace {
struct RowStats {
  Value max;    // [N]
  Value sumExp; // [N], of exp(x - max)
  Value sum;    // [N], of x; only with label smoothing
};

RowStats rowStats(OpBuilder &b, Location loc, Value x, bool withSum) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  auto rowType =
      RankedTensorType::get({xType.getDimSize(0)}, xType.getElementType());
  AffineMap all = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  SmallVector<utils::IteratorType> iters{utils::IteratorType::parallel,
                                         utils::IteratorType::reduction};
  RowStats stats;
  stats.max = generic(
      b, loc, x, {all},
      filledLike(b, loc, rowType, x, -std::numeric_limits<double>::infinity()),
      row, iters, [](OpBuilder &b, Location loc, ValueRange a) {
        return b.create<arith::MaximumFOp>(loc, a[0], a[1]);
      });
  stats.sumExp = generic(b, loc, ValueRange{x, stats.max}, {all, row},
                         filledLike(b, loc, rowType, x, 0.0), row, iters,
                         [](OpBuilder &b, Location loc, ValueRange a) {
                           Value shifted =
                               b.create<arith::SubFOp>(loc, a[0], a[1]);
                           Value e = b.create<math::ExpOp>(loc, shifted);
                           return b.create<arith::AddFOp>(loc, a[2], e);
                         });
  if (withSum)
    stats.sum =
        generic(b, loc, x, {all}, filledLike(b, loc, rowType, x, 0.0), row,
                iters, [](OpBuilder &b, Location loc, ValueRange a) {
                  return b.create<arith::AddFOp>(loc, a[0], a[1]);
                });
  return stats;
}

struct CrossEntropyLowering : OpRewritePattern<nn::CrossEntropyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::CrossEntropyOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getLogits();
    double e = op.getLabelSmoothing().convertToDouble();
    int64_t classes = op.getLogits().getType().getDimSize(1);
    RowStats stats = rowStats(rewriter, loc, x, e > 0.0);

    AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
    AffineMap scalar = AffineMap::get(1, 0, {}, ctx);
    SmallVector<Value> inputs{stats.max, stats.sumExp, op.getTarget()};
    if (e > 0.0)
      inputs.push_back(stats.sum);
    SmallVector<AffineMap> maps(inputs.size(), id);
    Value zero = filledLike(rewriter, loc, op.getType(), Value(), 0.0);
    Value total = generic(
        rewriter, loc, inputs, maps, zero, scalar,
        {utils::IteratorType::reduction},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          // loss_n = m + log s - (1-e) x[n, t_n] - e/C sum_c x[n, c]
          Value n = b.create<linalg::IndexOp>(loc, 0);
          Value t = b.create<arith::IndexCastOp>(loc, b.getIndexType(), a[2]);
          Value xt = b.create<tensor::ExtractOp>(loc, x, ValueRange{n, t});
          Value lse = b.create<arith::AddFOp>(loc, a[0],
                                              b.create<math::LogOp>(loc, a[1]));
          Value loss = b.create<arith::SubFOp>(
              loc, lse, b.create<arith::MulFOp>(loc, f32(b, loc, 1.0 - e), xt));
          if (e > 0.0)
            loss = b.create<arith::SubFOp>(
                loc, loss,
                b.create<arith::MulFOp>(loc, f32(b, loc, e / classes), a[3]));
          return b.create<arith::AddFOp>(loc, a.back(), loss);
        });
    Value count = batchSizeF32(rewriter, loc, x);
    Value mean = lowering::elementwise(
        rewriter, loc, op.getType(), total,
        [&](OpBuilder &b, Location loc, ValueRange a) {
          return b.create<arith::DivFOp>(loc, a[0], count);
        });
    rewriter.replaceOp(op, mean);
    return success();
  }
};

struct CrossEntropyGradLowering : OpRewritePattern<nn::CrossEntropyGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::CrossEntropyGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getLogits();
    double e = op.getLabelSmoothing().convertToDouble();
    int64_t classes = op.getType().getDimSize(1);
    RowStats stats = rowStats(rewriter, loc, x, /*withSum=*/false);

    // d loss_mean / d x = (softmax - target distribution) * g / N
    Value g = rewriter.create<tensor::ExtractOp>(loc, op.getGrad());
    Value scale =
        rewriter.create<arith::DivFOp>(loc, g, batchSizeF32(rewriter, loc, x));
    AffineMap all = AffineMap::getMultiDimIdentityMap(2, ctx);
    AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
    Value dx = generic(
        rewriter, loc, ValueRange{x, stats.max, stats.sumExp, op.getTarget()},
        {all, row, row, row}, emptyLike(rewriter, loc, op.getType(), x), all,
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value p = b.create<arith::DivFOp>(
              loc,
              b.create<math::ExpOp>(loc,
                                    b.create<arith::SubFOp>(loc, a[0], a[1])),
              a[2]);
          Value c = b.create<arith::IndexCastOp>(
              loc, b.getI64Type(), b.create<linalg::IndexOp>(loc, 1));
          Value isTarget =
              b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, a[3]);
          Value hot = b.create<arith::SelectOp>(
              loc, isTarget, f32(b, loc, 1.0 - e), f32(b, loc, 0.0));
          Value target =
              b.create<arith::AddFOp>(loc, hot, f32(b, loc, e / classes));
          return b.create<arith::MulFOp>(
              loc, b.create<arith::SubFOp>(loc, p, target), scale);
        });
    rewriter.replaceOp(op, dx);
    return success();
  }
};
} // namespace

void nncc::populateLossToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<CrossEntropyLowering, CrossEntropyGradLowering>(
      patterns.getContext());
}
