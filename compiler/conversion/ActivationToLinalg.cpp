//===- ActivationToLinalg.cpp - activations, softmax and their grads
//-------===//
//
// Elementwise formulas as PyTorch's CPU kernels compute them; softmax and
// log-softmax subtract the maximum along `dim` first, as PyTorch does.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

namespace {
using ScalarFn = std::function<Value(OpBuilder &, Location, ValueRange)>;

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
  return b.create<arith::DivFOp>(
      loc, f32(b, loc, 1.0), b.create<arith::AddFOp>(loc, f32(b, loc, 1.0), e));
}

/// Rewrites a one-result op into an elementwise generic over its operands.
template <typename Op> struct ElementwiseLowering : OpRewritePattern<Op> {
  ElementwiseLowering(MLIRContext *context, ScalarFn fn)
      : OpRewritePattern<Op>(context), fn(std::move(fn)) {}
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), op.getType(),
                                       op->getOperands(), fn));
    return success();
  }
  ScalarFn fn;
};

/// Reduction of `x` along `dim` into a tensor without it.
Value reduceAlong(OpBuilder &b, Location loc, ValueRange inputs, int64_t dim,
                  double init, BodyFn body) {
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> kept;
  for (int64_t i = 0; i < rank; ++i)
    if (i != dim) {
      shape.push_back(type.getDimSize(i));
      kept.push_back(b.getAffineDimExpr(i));
    }
  auto reducedType = RankedTensorType::get(shape, type.getElementType());
  // The reduced tensor keeps the batch dimension unless dim is 0.
  Value initTensor = filledLike(b, loc, reducedType,
                                dim == 0 ? Value() : inputs.front(), init);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters[dim] = utils::IteratorType::reduction;
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  return generic(b, loc, inputs, maps, initTensor,
                 AffineMap::get(rank, 0, kept, b.getContext()), iters, body);
}

/// The map that broadcasts a reduced tensor back along `dim`.
AffineMap broadcastMap(OpBuilder &b, int64_t rank, int64_t dim) {
  SmallVector<AffineExpr> kept;
  for (int64_t i = 0; i < rank; ++i)
    if (i != dim)
      kept.push_back(b.getAffineDimExpr(i));
  return AffineMap::get(rank, 0, kept, b.getContext());
}

/// Elementwise over `type` with `full` inputs at identity and `reduced`
/// inputs broadcast along `dim`.
Value combine(OpBuilder &b, Location loc, RankedTensorType type,
              ValueRange full, ValueRange reduced, int64_t dim, BodyFn body) {
  int64_t rank = type.getRank();
  SmallVector<Value> inputs(full);
  llvm::append_range(inputs, reduced);
  SmallVector<AffineMap> maps(full.size(), b.getMultiDimIdentityMap(rank));
  maps.append(reduced.size(), broadcastMap(b, rank, dim));
  return generic(
      b, loc, inputs, maps, emptyLike(b, loc, type, full.front()),
      b.getMultiDimIdentityMap(rank),
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      body);
}

Value add(OpBuilder &b, Location loc, ValueRange a) {
  return b.create<arith::AddFOp>(loc, a[0], a[1]);
}

/// max along dim, then the sum of exp(x - max) along dim.
std::pair<Value, Value> softmaxStats(OpBuilder &b, Location loc, Value x,
                                     int64_t dim) {
  Value max = reduceAlong(
      b, loc, x, dim, -std::numeric_limits<double>::infinity(),
      [](OpBuilder &b, Location loc, ValueRange a) {
        return b.create<arith::MaximumFOp>(loc, a[0], a[1]).getResult();
      });
  auto type = cast<RankedTensorType>(x.getType());
  Value shifted = combine(
      b, loc, type, x, max, dim, [](OpBuilder &b, Location loc, ValueRange a) {
        return b.create<arith::SubFOp>(loc, a[0], a[1]).getResult();
      });
  Value sum = reduceAlong(
      b, loc, shifted, dim, 0.0, [](OpBuilder &b, Location loc, ValueRange a) {
        Value e = b.create<math::ExpOp>(loc, a[0]);
        return b.create<arith::AddFOp>(loc, a[1], e).getResult();
      });
  return {shifted, sum};
}

/// softmax (log = false) and log-softmax (log = true) along `dim`, from the
/// shifted input x - max and the sum of its exponentials.
template <typename Op, bool log>
struct SoftmaxFamilyLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [shifted, sum] =
        softmaxStats(rewriter, op.getLoc(), op.getInput(), op.getDim());
    rewriter.replaceOp(
        op, combine(rewriter, op.getLoc(), op.getType(), shifted, sum,
                    op.getDim(), [](OpBuilder &b, Location loc, ValueRange a) {
                      if (log)
                        return b
                            .create<arith::SubFOp>(
                                loc, a[0], b.create<math::LogOp>(loc, a[1]))
                            .getResult();
                      return b
                          .create<arith::DivFOp>(
                              loc, b.create<math::ExpOp>(loc, a[0]), a[1])
                          .getResult();
                    }));
    return success();
  }
};
using SoftmaxLowering = SoftmaxFamilyLowering<nn::SoftmaxOp, false>;
using LogSoftmaxLowering = SoftmaxFamilyLowering<nn::LogSoftmaxOp, true>;

// softmax: dx = y * (dy - sum(dy * y)).
struct SoftmaxGradLowering : OpRewritePattern<nn::SoftmaxGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::SoftmaxGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    Value sum = reduceAlong(
        rewriter, loc, ValueRange{op.getGrad(), op.getOutput()}, dim, 0.0,
        [](OpBuilder &b, Location loc, ValueRange a) {
          return b
              .create<arith::AddFOp>(loc, a[2],
                                     b.create<arith::MulFOp>(loc, a[0], a[1]))
              .getResult();
        });
    rewriter.replaceOp(
        op, combine(rewriter, loc, op.getType(),
                    ValueRange{op.getGrad(), op.getOutput()}, sum, dim,
                    [](OpBuilder &b, Location loc, ValueRange a) {
                      return b
                          .create<arith::MulFOp>(
                              loc, a[1],
                              b.create<arith::SubFOp>(loc, a[0], a[2]))
                          .getResult();
                    }));
    return success();
  }
};

// log-softmax: dx = dy - exp(y) * sum(dy).
struct LogSoftmaxGradLowering : OpRewritePattern<nn::LogSoftmaxGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LogSoftmaxGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    Value sum = reduceAlong(rewriter, loc, op.getGrad(), dim, 0.0,
                            [](OpBuilder &b, Location loc, ValueRange a) {
                              return add(b, loc, a);
                            });
    rewriter.replaceOp(
        op, combine(rewriter, loc, op.getType(),
                    ValueRange{op.getGrad(), op.getOutput()}, sum, dim,
                    [](OpBuilder &b, Location loc, ValueRange a) {
                      Value p = b.create<math::ExpOp>(loc, a[1]);
                      return b
                          .create<arith::SubFOp>(
                              loc, a[0], b.create<arith::MulFOp>(loc, p, a[2]))
                          .getResult();
                    }));
    return success();
  }
};
/// `value` where `test` > 0, else `value` * slope: leaky_relu(x) is (x, x),
/// its gradient (x, dy) — PyTorch's leaky_relu_backward tests the input too.
Value leaky(OpBuilder &b, Location loc, Value test, Value value, double slope) {
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, test,
                                           f32(b, loc, 0.0));
  Value scaled = b.create<arith::MulFOp>(loc, value, f32(b, loc, slope));
  return b.create<arith::SelectOp>(loc, positive, value, scaled);
}

struct LeakyReluLowering : OpRewritePattern<nn::LeakyReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LeakyReluOp op,
                                PatternRewriter &rewriter) const override {
    double slope = op.getSlope().convertToDouble();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange x) {
                          return leaky(b, loc, x[0], x[0], slope);
                        }));
    return success();
  }
};

struct LeakyReluGradLowering : OpRewritePattern<nn::LeakyReluGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LeakyReluGradOp op,
                                PatternRewriter &rewriter) const override {
    double slope = op.getSlope().convertToDouble();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(),
                        ValueRange{op.getGrad(), op.getInput()},
                        [&](OpBuilder &b, Location loc, ValueRange a) {
                          return leaky(b, loc, a[1], a[0], slope);
                        }));
    return success();
  }
};
} // namespace

void nncc::populateActivationToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseLowering<nn::SigmoidOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange x) {
        return sigmoid(b, loc, x[0]);
      });
  patterns.add<ElementwiseLowering<nn::TanhOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange x) {
        return b.create<math::TanhOp>(loc, x[0]).getResult();
      });
  // gelu(x) = x/2 * (1 + erf(x / sqrt(2)))
  patterns.add<ElementwiseLowering<nn::GeluOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange x) {
        Value erf = b.create<math::ErfOp>(
            loc, b.create<arith::MulFOp>(loc, x[0], f32(b, loc, M_SQRT1_2)));
        Value half = b.create<arith::MulFOp>(loc, x[0], f32(b, loc, 0.5));
        return b
            .create<arith::MulFOp>(
                loc, half, b.create<arith::AddFOp>(loc, f32(b, loc, 1.0), erf))
            .getResult();
      });
  patterns.add<ElementwiseLowering<nn::SiluOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange x) {
        return b.create<arith::MulFOp>(loc, x[0], sigmoid(b, loc, x[0]))
            .getResult();
      });
  // Backward ops; `a` is (grad, value).
  patterns.add<ElementwiseLowering<nn::SigmoidGradOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange a) {
        Value oneMinus = b.create<arith::SubFOp>(loc, f32(b, loc, 1.0), a[1]);
        return b
            .create<arith::MulFOp>(loc, a[0],
                                   b.create<arith::MulFOp>(loc, a[1], oneMinus))
            .getResult();
      });
  patterns.add<ElementwiseLowering<nn::TanhGradOp>>(
      ctx, [](OpBuilder &b, Location loc, ValueRange a) {
        Value sq = b.create<arith::MulFOp>(loc, a[1], a[1]);
        return b
            .create<arith::MulFOp>(
                loc, a[0], b.create<arith::SubFOp>(loc, f32(b, loc, 1.0), sq))
            .getResult();
      });
  // gelu'(x) = Phi(x) + x phi(x)
  patterns.add<ElementwiseLowering<nn::GeluGradOp>>(ctx, [](OpBuilder &b,
                                                            Location loc,
                                                            ValueRange a) {
    Value x = a[1];
    Value cdf = b.create<arith::MulFOp>(
        loc, f32(b, loc, 0.5),
        b.create<arith::AddFOp>(
            loc, f32(b, loc, 1.0),
            b.create<math::ErfOp>(
                loc, b.create<arith::MulFOp>(loc, x, f32(b, loc, M_SQRT1_2)))));
    Value pdf = b.create<arith::MulFOp>(
        loc, f32(b, loc, 0.5 * M_2_SQRTPI * M_SQRT1_2),
        b.create<math::ExpOp>(
            loc, b.create<arith::MulFOp>(loc, f32(b, loc, -0.5),
                                         b.create<arith::MulFOp>(loc, x, x))));
    Value d =
        b.create<arith::AddFOp>(loc, cdf, b.create<arith::MulFOp>(loc, x, pdf));
    return b.create<arith::MulFOp>(loc, a[0], d).getResult();
  });
  // silu'(x) = s (1 + x (1 - s))
  patterns.add<ElementwiseLowering<nn::SiluGradOp>>(ctx, [](OpBuilder &b,
                                                            Location loc,
                                                            ValueRange a) {
    Value s = sigmoid(b, loc, a[1]);
    Value d = b.create<arith::MulFOp>(
        loc, s,
        b.create<arith::AddFOp>(
            loc, f32(b, loc, 1.0),
            b.create<arith::MulFOp>(
                loc, a[1], b.create<arith::SubFOp>(loc, f32(b, loc, 1.0), s))));
    return b.create<arith::MulFOp>(loc, a[0], d).getResult();
  });
  patterns
      .add<SoftmaxLowering, LogSoftmaxLowering, SoftmaxGradLowering,
           LogSoftmaxGradLowering, LeakyReluLowering, LeakyReluGradLowering>(
          ctx);
}
