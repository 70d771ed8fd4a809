//===- NormToLinalg.cpp - batch norm, channel sums and dropout -> linalg
//---===//
//
// Batch norm over [N, C, ...] reduces every dimension but the channel: mean,
// then the biased variance from (x - mean)^2 (two passes, as stable as
// PyTorch's), then one elementwise pass. Dropout masks come from a stateless
// hash of (seed, salt, element position), so the backward pass recomputes
// them instead of storing them.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

namespace {
/// Maps of an [N, C, ...] iteration space: identity and the channel.
struct ChannelMaps {
  AffineMap all, channel;
  SmallVector<utils::IteratorType> reduce, parallel;
};

ChannelMaps channelMaps(OpBuilder &b, Value x) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  ChannelMaps m;
  m.all = b.getMultiDimIdentityMap(rank);
  m.channel = AffineMap::get(rank, 0, b.getAffineDimExpr(1), b.getContext());
  m.reduce.assign(rank, utils::IteratorType::reduction);
  m.reduce[1] = utils::IteratorType::parallel;
  m.parallel.assign(rank, utils::IteratorType::parallel);
  return m;
}

RankedTensorType channelType(Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  return RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
}

/// Sum over everything but the channel of body(inputs...), per channel, in
/// f64, as PyTorch's CPU batch norm accumulates (its acc type): an f32 chain
/// over N*H*W elements loses ~1e-4 of the mean at batch 64 (worse as the
/// batch grows), which showed in running statistics and gradients. `term`
/// may compute in f32 or f64.
///
/// Each shard of the batch first sums over its images into one partial per
/// channel and spatial position ([C, H*W], the spatial dimensions collapsed):
/// the innermost loop then runs along contiguous memory with no dependence
/// between iterations, so it vectorizes, where one running sum per channel
/// would be a chain of dependent adds through memory. The partials are then
/// summed over the positions in order. Inputs without spatial dimensions
/// ([N, C]) sum into [C] directly, their innermost loop being the channel.
Value channelSum64(OpBuilder &b, Location loc, ValueRange inputs,
                   ValueRange perChannel, BodyFn term) {
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = type.getRank();
  bool spatial = rank > 2;
  int64_t positions = 1;
  for (int64_t d = 2; d < rank; ++d)
    positions *= type.getDimSize(d);
  RankedTensorType f32Type = channelType(inputs.front());
  auto f64Type = RankedTensorType::get(f32Type.getShape(), b.getF64Type());
  // In the fixed shards of the batch, each summed on its own, then added in
  // shard order: the same bits for every thread count.
  return sumOverShards(
      b, loc, inputs.front(), f64Type,
      [&](OpBuilder &b, Location loc, Value begin, Value end) {
        SmallVector<Value> all;
        for (Value in : inputs) {
          Value slice = batchSlice(b, loc, in, begin, end);
          if (spatial) {
            SmallVector<ReassociationIndices> groups{{0}, {1}, {}};
            for (int64_t d = 2; d < rank; ++d)
              groups.back().push_back(d);
            slice = b.create<tensor::CollapseShapeOp>(loc, slice, groups);
          }
          all.push_back(slice);
        }
        llvm::append_range(all, perChannel);
        int64_t dims = spatial ? 3 : 2;
        MLIRContext *ctx = b.getContext();
        AffineMap identity = b.getMultiDimIdentityMap(dims);
        AffineMap channel = AffineMap::get(dims, 0, b.getAffineDimExpr(1), ctx);
        SmallVector<AffineMap> maps(inputs.size(), identity);
        maps.append(perChannel.size(), channel);
        SmallVector<utils::IteratorType> iterators(
            dims, utils::IteratorType::parallel);
        iterators[0] = utils::IteratorType::reduction;
        AffineMap out = spatial ? identity.dropResult(0) : channel;
        auto partialType =
            spatial ? RankedTensorType::get({type.getDimSize(1), positions},
                                            b.getF64Type())
                    : f64Type;
        Value init = filledLike(b, loc, partialType, Value(), 0.0);
        Value partial =
            generic(b, loc, all, maps, init, out, iterators,
                    [&](OpBuilder &b, Location loc, ValueRange a) {
                      Value t = term(b, loc, a.drop_back());
                      if (t.getType().isF32())
                        t = b.create<arith::ExtFOp>(loc, b.getF64Type(), t);
                      return accumulate(b, loc, a.back(), t);
                    });
        if (!spatial)
          return partial;
        // The positions in order, per channel.
        return sumInOrder(b, loc, partial, 1, f64Type);
      });
}

/// f32(f(sum)) per channel: what is computed from an f64 sum stays in f64
/// until it is rounded once (dividing first keeps a mean that fits in f32
/// from overflowing through its sum).
Value fromSum64(OpBuilder &b, Location loc, Value sum64,
                function_ref<Value(OpBuilder &, Location, Value)> f) {
  auto f32Type = RankedTensorType::get(
      cast<RankedTensorType>(sum64.getType()).getShape(), b.getF32Type());
  return elementwise(
      b, loc, f32Type, sum64, [&](OpBuilder &b, Location loc, ValueRange a) {
        return b.create<arith::TruncFOp>(loc, b.getF32Type(), f(b, loc, a[0]))
            .getResult();
      });
}

Value channelReduce(OpBuilder &b, Location loc, ValueRange inputs,
                    ValueRange perChannel, BodyFn term) {
  return fromSum64(b, loc, channelSum64(b, loc, inputs, perChannel, term),
                   [](OpBuilder &, Location, Value sum) { return sum; });
}

/// Elementwise over [N, C, ...] with per-channel operands broadcast.
Value channelMap(OpBuilder &b, Location loc, ValueRange inputs,
                 ValueRange perChannel, BodyFn body) {
  ChannelMaps m = channelMaps(b, inputs.front());
  auto type = cast<RankedTensorType>(inputs.front().getType());
  SmallVector<Value> all(inputs);
  llvm::append_range(all, perChannel);
  SmallVector<AffineMap> maps(inputs.size(), m.all);
  maps.append(perChannel.size(), m.channel);
  return generic(b, loc, all, maps, emptyLike(b, loc, type, inputs.front()),
                 m.all, m.parallel,
                 [&](OpBuilder &b, Location loc, ValueRange a) {
                   return body(b, loc, a.drop_back());
                 });
}

/// Elementwise over [C] tensors.
Value perChannel(OpBuilder &b, Location loc, ValueRange inputs, BodyFn body) {
  return elementwise(b, loc, cast<RankedTensorType>(inputs.front().getType()),
                     inputs, body);
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::MulFOp>(loc, x, y);
}
Value sub(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::SubFOp>(loc, x, y);
}
Value addf(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::AddFOp>(loc, x, y);
}

struct BatchNormTrainLowering : OpRewritePattern<nn::BatchNormTrainOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::BatchNormTrainOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    Value count = elementsPerChannel(rewriter, loc, x);
    auto identity = [](OpBuilder &, Location, ValueRange a) { return a[0]; };
    auto ext = [](OpBuilder &b, Location loc, Value v) -> Value {
      return b.create<arith::ExtFOp>(loc, b.getF64Type(), v);
    };
    Value count64 = ext(rewriter, loc, count);
    Value mean =
        fromSum64(rewriter, loc, channelSum64(rewriter, loc, x, {}, identity),
                  [&](OpBuilder &b, Location loc, Value sum) -> Value {
                    return b.create<arith::DivFOp>(loc, sum, count64);
                  });
    // Squared deviations, the variance and invstd in f64 too, as PyTorch
    // computes them: in f32 the squares overflow for outputs above ~1e19,
    // where PyTorch's variance is still finite.
    Value sumSq = channelSum64(
        rewriter, loc, x, mean, [&](OpBuilder &b, Location loc, ValueRange a) {
          Value d = b.create<arith::SubFOp>(loc, ext(b, loc, a[0]),
                                            ext(b, loc, a[1]));
          return b.create<arith::MulFOp>(loc, d, d).getResult();
        });
    double eps = op.getEps().convertToDouble();
    double m = op.getMomentum().convertToDouble();
    Value invstd = fromSum64(
        rewriter, loc, sumSq, [&](OpBuilder &b, Location loc, Value sum) {
          Value var = b.create<arith::DivFOp>(loc, sum, count64);
          Value eps64 =
              b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(eps));
          return b.create<math::RsqrtOp>(loc, addf(b, loc, var, eps64))
              .getResult();
        });
    Value unbiasedVar = fromSum64(
        rewriter, loc, sumSq, [&](OpBuilder &b, Location loc, Value sum) {
          Value one = b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(1.0));
          return b.create<arith::DivFOp>(loc, sum, sub(b, loc, count64, one))
              .getResult();
        });
    Value y = channelMap(rewriter, loc, x,
                         ValueRange{mean, invstd, op.getWeight(), op.getBias()},
                         [](OpBuilder &b, Location loc, ValueRange a) {
                           Value xhat =
                               mul(b, loc, sub(b, loc, a[0], a[1]), a[2]);
                           return addf(b, loc, mul(b, loc, xhat, a[3]), a[4]);
                         });
    // running = (1 - m) running + m stat; the variance is unbiased here.
    Value newMean = perChannel(
        rewriter, loc, ValueRange{op.getRunningMean(), mean},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          return addf(b, loc, mul(b, loc, a[0], f32(b, loc, 1.0 - m)),
                      mul(b, loc, a[1], f32(b, loc, m)));
        });
    Value newVar = perChannel(
        rewriter, loc, ValueRange{op.getRunningVar(), unbiasedVar},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          return addf(b, loc, mul(b, loc, a[0], f32(b, loc, 1.0 - m)),
                      mul(b, loc, a[1], f32(b, loc, m)));
        });
    rewriter.replaceOp(op, {y, mean, invstd, newMean, newVar});
    return success();
  }
};

struct BatchNormEvalLowering : OpRewritePattern<nn::BatchNormEvalOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::BatchNormEvalOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    double eps = op.getEps().convertToDouble();
    Value invstd = perChannel(
        rewriter, loc, op.getRunningVar(),
        [&](OpBuilder &b, Location loc, ValueRange a) {
          return b
              .create<math::RsqrtOp>(loc, addf(b, loc, a[0], f32(b, loc, eps)))
              .getResult();
        });
    rewriter.replaceOp(
        op, channelMap(rewriter, loc, op.getInput(),
                       ValueRange{op.getRunningMean(), invstd, op.getWeight(),
                                  op.getBias()},
                       [](OpBuilder &b, Location loc, ValueRange a) {
                         Value xhat =
                             mul(b, loc, sub(b, loc, a[0], a[1]), a[2]);
                         return addf(b, loc, mul(b, loc, xhat, a[3]), a[4]);
                       }));
    return success();
  }
};

// db = sum dy, dw = sum dy xhat, dx = w invstd (dy - db/M - xhat dw/M).
struct BatchNormGradLowering : OpRewritePattern<nn::BatchNormGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::BatchNormGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value dy = op.getGrad(), x = op.getInput();
    Value count = elementsPerChannel(rewriter, loc, x);
    Value db =
        channelReduce(rewriter, loc, dy, {},
                      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    Value dw = channelReduce(rewriter, loc, ValueRange{dy, x},
                             ValueRange{op.getMean(), op.getInvstd()},
                             [](OpBuilder &b, Location loc, ValueRange a) {
                               Value xhat =
                                   mul(b, loc, sub(b, loc, a[1], a[2]), a[3]);
                               return mul(b, loc, a[0], xhat);
                             });
    // The per-channel factors once per channel, not once per element (a
    // division per element cost more than the rest of the op): the same
    // operations on the same values as computing them in the loop.
    Value scale =
        perChannel(rewriter, loc, ValueRange{op.getWeight(), op.getInvstd()},
                   [](OpBuilder &b, Location loc, ValueRange a) {
                     return mul(b, loc, a[0], a[1]);
                   });
    auto perCount = [&](Value sum) {
      return perChannel(
          rewriter, loc, sum, [&](OpBuilder &b, Location loc, ValueRange a) {
            return b.create<arith::DivFOp>(loc, a[0], count).getResult();
          });
    };
    Value meanDb = perCount(db), meanDw = perCount(dw);
    Value dx = channelMap(
        rewriter, loc, ValueRange{dy, x},
        ValueRange{op.getMean(), op.getInvstd(), scale, meanDb, meanDw},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value xhat = mul(b, loc, sub(b, loc, a[1], a[2]), a[3]);
          Value centered = sub(b, loc, a[0], a[5]);
          Value inner = sub(b, loc, centered, mul(b, loc, xhat, a[6]));
          return mul(b, loc, a[4], inner);
        });
    rewriter.replaceOp(op, {dx, dw, db});
    return success();
  }
};

struct ChannelSumLowering : OpRewritePattern<nn::ChannelSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ChannelSumOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       channelReduce(rewriter, op.getLoc(), op.getInput(), {},
                                     [](OpBuilder &, Location, ValueRange a) {
                                       return a[0];
                                     }));
    return success();
  }
};

/// splitmix64's finaliser: a well-mixed 64-bit hash.
Value mix(OpBuilder &b, Location loc, Value z) {
  auto step = [&](Value v, int shift, uint64_t mult) {
    Value s = b.create<arith::ShRUIOp>(loc, v, i64(b, loc, shift));
    Value x = b.create<arith::XOrIOp>(loc, v, s);
    return mult ? b.create<arith::MulIOp>(loc, x, i64(b, loc, (int64_t)mult))
                      .getResult()
                : x;
  };
  z = step(z, 30, 0xbf58476d1ce4e5b9ull);
  z = step(z, 27, 0x94d049bb133111ebull);
  return step(z, 31, 0);
}

/// x * keep / (1 - p), keep = hash(seed, salt, position) >= p.
Value dropout(OpBuilder &b, Location loc, Value x, Value seed, double p,
              int64_t salt) {
  auto type = cast<RankedTensorType>(x.getType());
  double scale = p < 1.0 ? 1.0 / (1.0 - p) : 0.0;
  return elementwise(
      b, loc, type, x, [&](OpBuilder &b, Location loc, ValueRange a) {
        Value h = b.create<arith::XOrIOp>(
            loc, seed,
            i64(b, loc,
                static_cast<int64_t>(0x9e3779b97f4a7c15ull * (salt + 1))));
        for (int64_t d = 0; d < type.getRank(); ++d) {
          Value i = b.create<arith::IndexCastOp>(
              loc, b.getI64Type(), b.create<linalg::IndexOp>(loc, d));
          h = mix(b, loc, b.create<arith::AddIOp>(loc, h, i));
        }
        // 24 uniformly distributed bits -> [0, 1)
        Value bits = b.create<arith::ShRUIOp>(loc, h, i64(b, loc, 40));
        Value u = b.create<arith::MulFOp>(
            loc, b.create<arith::UIToFPOp>(loc, b.getF32Type(), bits),
            f32(b, loc, 1.0 / 16777216.0));
        Value keep = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, u,
                                             f32(b, loc, p));
        return b
            .create<arith::SelectOp>(loc, keep,
                                     mul(b, loc, a[0], f32(b, loc, scale)),
                                     f32(b, loc, 0.0))
            .getResult();
      });
}

struct DropoutLowering : OpRewritePattern<nn::DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::DropoutOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, dropout(rewriter, op.getLoc(), op.getInput(),
                                   op.getSeed(), op.getP().convertToDouble(),
                                   op.getSalt()));
    return success();
  }
};

struct DropoutGradLowering : OpRewritePattern<nn::DropoutGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::DropoutGradOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, dropout(rewriter, op.getLoc(), op.getGrad(),
                                   op.getSeed(), op.getP().convertToDouble(),
                                   op.getSalt()));
    return success();
  }
};
} // namespace

void nncc::populateNormToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<BatchNormTrainLowering, BatchNormEvalLowering, BatchNormGradLowering,
           ChannelSumLowering, DropoutLowering, DropoutGradLowering>(
          patterns.getContext());
}
