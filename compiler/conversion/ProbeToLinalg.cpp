//===- ProbeToLinalg.cpp - nn.count_nonfinite -----------------------------===//
//
// One reduction per input: sum over all elements of (isnan(x) or |x| == inf
// ? 1 : 0) into a 0-d f32, then the counts packed into the 1-d result.
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
using namespace nncc::lowering;
namespace nn = nncc::nn;

namespace {

Value countNonFinite(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value init = filledLike(b, loc, scalar, Value(), 0.0);
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  return generic(
      b, loc, tensor, maps, init, AffineMap::get(rank, 0, {}, b.getContext()),
      iterators, [](OpBuilder &b, Location loc, ValueRange a) {
        Value x = a[0];
        Value nan =
            b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
        Value isInf = b.create<arith::CmpFOp>(
            loc, arith::CmpFPredicate::OEQ, b.create<math::AbsFOp>(loc, x),
            f32(b, loc, std::numeric_limits<float>::infinity()));
        Value bad = b.create<arith::OrIOp>(loc, nan, isInf);
        Value one = b.create<arith::SelectOp>(loc, bad, f32(b, loc, 1.0),
                                              f32(b, loc, 0.0));
        return accumulate(b, loc, a[1], one);
      });
}

struct CountNonFiniteLowering : OpRewritePattern<nn::CountNonFiniteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::CountNonFiniteOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Value> counts;
    for (Value input : op.getInputs())
      counts.push_back(rewriter.create<tensor::ExtractOp>(
          loc, countNonFinite(rewriter, loc, input), ValueRange{}));
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, op.getType(),
                                                        counts);
    return success();
  }
};

} // namespace

void nncc::populateProbeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<CountNonFiniteLowering>(patterns.getContext());
}
