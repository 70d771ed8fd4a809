//===- PoolToLinalg.cpp - max/avg pooling and their gradients -> linalg
//----===//
//
// Forward passes are window reductions over a padded input with affine maps
// (n, c, oh, ow, kh, kw) -> (n, c, oh*sh + kh, ow*sw + kw). Backward passes
// gather: each input pixel sums the gradients of the windows that contain it
// (checking, for max pooling, that it was the window's argmax), so no
// scatter or atomics are needed.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

namespace {
struct Window {
  int64_t kh, kw, sh, sw, ph, pw;
};

template <typename Op> Window windowOf(Op op) {
  return {op.getKernel()[0], op.getKernel()[1],  op.getStride()[0],
          op.getStride()[1], op.getPadding()[0], op.getPadding()[1]};
}

/// Maps of the (n, c, oh, ow, kh, kw) space: padded input, output.
std::pair<AffineMap, AffineMap> windowMaps(OpBuilder &b, const Window &w) {
  MLIRContext *ctx = b.getContext();
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx),
             kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
  return {AffineMap::get(6, 0, {n, c, oh * w.sh + kh, ow * w.sw + kw}, ctx),
          AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
}

SmallVector<utils::IteratorType> windowIterators() {
  using It = utils::IteratorType;
  return {It::parallel, It::parallel,  It::parallel,
          It::parallel, It::reduction, It::reduction};
}

/// The window's kernel-size-only "shape" operand: linalg needs the kh/kw loop
/// bounds from an operand, so pass an empty [kh, kw] tensor.
Value kernelShape(OpBuilder &b, Location loc, const Window &w) {
  return b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{w.kh, w.kw},
                                   b.getF32Type());
}

AffineMap kernelMap(OpBuilder &b) {
  return AffineMap::get(6, 0, {b.getAffineDimExpr(4), b.getAffineDimExpr(5)},
                        b.getContext());
}

Value indexValue(OpBuilder &b, Location loc, int64_t dim) {
  return b.create<linalg::IndexOp>(loc, dim);
}

Value cmpi(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x,
           Value y) {
  return b.create<arith::CmpIOp>(loc, p, x, y);
}

/// Windows that tile the plane exactly (stride = kernel, no padding, sizes
/// divisible): each input pixel lies in exactly one window, (h / kh, w / kw),
/// so the backward is elementwise over the input with affine maps — no
/// gather, and LLVM vectorizes it.
/// A window the size of the whole plane (global pooling) tiles it too,
/// whatever its stride.
bool tilesPlane(const Window &w, RankedTensorType input) {
  int64_t h = input.getDimSize(2), wd = input.getDimSize(3);
  return (w.sh == w.kh || h == w.kh) && (w.sw == w.kw || wd == w.kw) &&
         w.ph == 0 && w.pw == 0 && h % w.kh == 0 && wd % w.kw == 0;
}

AffineMap windowOfPixel(OpBuilder &b, const Window &w) {
  MLIRContext *ctx = b.getContext();
  return AffineMap::get(4, 0,
                        {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                         getAffineDimExpr(2, ctx).floorDiv(w.kh),
                         getAffineDimExpr(3, ctx).floorDiv(w.kw)},
                        ctx);
}

/// Max pooling over windows that tile the plane, as one generic over the
/// output with the kh * kw window elements as separate operands (scanned in
/// PyTorch's order): no inner 2x2 loops, so LLVM vectorizes along the row.
Value maxPoolTiled(OpBuilder &b, Location loc, nn::MaxPool2dOp op,
                   const Window &w, Value maxInit, Value idxInit) {
  MLIRContext *ctx = b.getContext();
  int64_t width = op.getInput().getType().getDimSize(3);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx);
  for (int64_t i = 0; i < w.kh; ++i)
    for (int64_t j = 0; j < w.kw; ++j) {
      inputs.push_back(op.getInput());
      maps.push_back(
          AffineMap::get(4, 0, {n, c, oh * w.sh + i, ow * w.sw + j}, ctx));
    }
  AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
  maps.append({id, id});
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{maxInit.getType(), idxInit.getType()}, inputs,
      ValueRange{maxInit, idxInit}, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange a) {
        Value h0 = b.create<arith::MulIOp>(loc, indexValue(b, loc, 2),
                                           index(b, loc, w.sh));
        Value w0 = b.create<arith::MulIOp>(loc, indexValue(b, loc, 3),
                                           index(b, loc, w.sw));
        Value base = b.create<arith::AddIOp>(
            loc, b.create<arith::MulIOp>(loc, h0, index(b, loc, width)), w0);
        Value base64 = b.create<arith::IndexCastOp>(loc, b.getI64Type(), base);
        Value best = a[0], bestIdx = base64;
        for (int64_t k = 1; k < w.kh * w.kw; ++k) {
          int64_t offset = (k / w.kw) * width + k % w.kw;
          Value v = a[k];
          Value take = b.create<arith::OrIOp>(
              loc,
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, v, best),
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, v, v));
          best = b.create<arith::SelectOp>(loc, take, v, best);
          bestIdx = b.create<arith::SelectOp>(
              loc, take,
              b.create<arith::AddIOp>(loc, base64, i64(b, loc, offset)),
              bestIdx);
        }
        b.create<linalg::YieldOp>(loc, ValueRange{best, bestIdx});
      });
  return generic->getResult(0);
}

struct MaxPoolLowering : OpRewritePattern<nn::MaxPool2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::MaxPool2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Window w = windowOf(op);
    int64_t width = op.getInput().getType().getDimSize(3);
    Value padded = padPlanes(rewriter, loc, op.getInput(), w.ph, w.pw,
                             -std::numeric_limits<double>::infinity());
    auto [inMap, outMap] = windowMaps(rewriter, w);
    Value idxEmpty =
        emptyLike(rewriter, loc, op.getIndices().getType(), op.getInput());
    if (tilesPlane(w, op.getInput().getType())) {
      // Every output is written from its window alone: no initial values,
      // so no fill passes over the outputs before the pooling.
      Value maxEmpty =
          emptyLike(rewriter, loc, op.getResult().getType(), op.getInput());
      Value result = maxPoolTiled(rewriter, loc, op, w, maxEmpty, idxEmpty);
      rewriter.replaceOp(op, {result, result.getDefiningOp()->getResult(1)});
      return success();
    }
    Value maxInit =
        filledLike(rewriter, loc, op.getResult().getType(), op.getInput(),
                   -std::numeric_limits<double>::infinity());
    Value idxInit =
        rewriter
            .create<linalg::FillOp>(loc, ValueRange{i64(rewriter, loc, -1)},
                                    ValueRange{idxEmpty})
            .getResult(0);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{maxInit.getType(), idxInit.getType()},
        ValueRange{padded, kernelShape(rewriter, loc, w)},
        ValueRange{maxInit, idxInit},
        ArrayRef<AffineMap>{inMap, kernelMap(rewriter), outMap, outMap},
        windowIterators(), [&](OpBuilder &b, Location loc, ValueRange a) {
          // PyTorch's CPU kernel: take the value if greater, or if NaN.
          Value v = a[0], best = a[2], bestIdx = a[3];
          Value greater =
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, v, best);
          Value isNan =
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, v, v);
          Value take = b.create<arith::OrIOp>(loc, greater, isNan);
          // Flat index in the unpadded plane: h * W + w.
          auto coord = [&](int64_t out, int64_t k, int64_t s, int64_t p) {
            Value o = b.create<arith::MulIOp>(loc, indexValue(b, loc, out),
                                              index(b, loc, s));
            Value sum = b.create<arith::AddIOp>(loc, o, indexValue(b, loc, k));
            return b.create<arith::SubIOp>(loc, sum, index(b, loc, p));
          };
          Value h = coord(2, 4, w.sh, w.ph), col = coord(3, 5, w.sw, w.pw);
          Value flat = b.create<arith::AddIOp>(
              loc, b.create<arith::MulIOp>(loc, h, index(b, loc, width)), col);
          Value flat64 =
              b.create<arith::IndexCastOp>(loc, b.getI64Type(), flat);
          b.create<linalg::YieldOp>(
              loc, ValueRange{
                       b.create<arith::SelectOp>(loc, take, v, best),
                       b.create<arith::SelectOp>(loc, take, flat64, bestIdx)});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// For input pixel coordinate `x` (already in the padded frame) and kernel
/// offset `k`: the output coordinate whose window puts k on x, and whether
/// one exists: o = (x - k) / s with x - k >= 0, divisible, o < outSize.
std::pair<Value, Value> windowAt(OpBuilder &b, Location loc, Value x, Value k,
                                 int64_t s, int64_t outSize) {
  Value num = b.create<arith::SubIOp>(loc, x, k);
  Value o = b.create<arith::DivSIOp>(loc, num, index(b, loc, s));
  Value rem = b.create<arith::RemSIOp>(loc, num, index(b, loc, s));
  Value ok = b.create<arith::AndIOp>(
      loc, cmpi(b, loc, arith::CmpIPredicate::sge, num, index(b, loc, 0)),
      cmpi(b, loc, arith::CmpIPredicate::eq, rem, index(b, loc, 0)));
  ok = b.create<arith::AndIOp>(
      loc, ok,
      cmpi(b, loc, arith::CmpIPredicate::slt, o, index(b, loc, outSize)));
  Value safe = b.create<arith::SelectOp>(loc, ok, o, index(b, loc, 0));
  return {safe, ok};
}

/// dx[n, c, h, w] = sum over (kh, kw) of term(window (oh, ow)) where that
/// window covers (h, w); iteration space (n, c, h, w, kh, kw).
Value gatherWindows(OpBuilder &b, Location loc, RankedTensorType inputType,
                    Value like, Value grad, const Window &w,
                    function_ref<Value(OpBuilder &, Location, Value n, Value c,
                                       Value oh, Value ow, Value h, Value wc)>
                        term) {
  auto gradType = cast<RankedTensorType>(grad.getType());
  int64_t outH = gradType.getDimSize(2), outW = gradType.getDimSize(3);
  MLIRContext *ctx = b.getContext();
  AffineMap outMap =
      AffineMap::get(6, 0,
                     {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                      getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)},
                     ctx);
  Value init = filledLike(b, loc, inputType, like, 0.0);
  return generic(
      b, loc, kernelShape(b, loc, w), {kernelMap(b)}, init, outMap,
      windowIterators(), [&](OpBuilder &b, Location loc, ValueRange a) {
        Value n = indexValue(b, loc, 0), c = indexValue(b, loc, 1);
        Value h = indexValue(b, loc, 2), wc = indexValue(b, loc, 3);
        Value hp = b.create<arith::AddIOp>(loc, h, index(b, loc, w.ph));
        Value wp = b.create<arith::AddIOp>(loc, wc, index(b, loc, w.pw));
        auto [oh, okH] =
            windowAt(b, loc, hp, indexValue(b, loc, 4), w.sh, outH);
        auto [ow, okW] =
            windowAt(b, loc, wp, indexValue(b, loc, 5), w.sw, outW);
        Value ok = b.create<arith::AndIOp>(loc, okH, okW);
        Value contribution = term(b, loc, n, c, oh, ow, h, wc);
        Value masked =
            b.create<arith::SelectOp>(loc, ok, contribution, f32(b, loc, 0.0));
        return b.create<arith::AddFOp>(loc, a[1], masked).getResult();
      });
}

struct MaxPoolGradLowering : OpRewritePattern<nn::MaxPool2dGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::MaxPool2dGradOp op,
                                PatternRewriter &rewriter) const override {
    Window w = windowOf(op);
    int64_t width = op.getType().getDimSize(3);
    Value grad = op.getGrad(), indices = op.getIndices();
    if (tilesPlane(w, op.getType())) {
      AffineMap pixel = windowOfPixel(rewriter, w);
      AffineMap id = rewriter.getMultiDimIdentityMap(4);
      rewriter.replaceOp(
          op,
          generic(
              rewriter, op.getLoc(), ValueRange{grad, indices}, {pixel, pixel},
              emptyLike(rewriter, op.getLoc(), op.getType(), grad), id,
              SmallVector<utils::IteratorType>(4,
                                               utils::IteratorType::parallel),
              [&](OpBuilder &b, Location loc, ValueRange a) {
                Value flat = b.create<arith::AddIOp>(
                    loc,
                    b.create<arith::MulIOp>(loc, indexValue(b, loc, 2),
                                            index(b, loc, width)),
                    indexValue(b, loc, 3));
                Value mine = cmpi(
                    b, loc, arith::CmpIPredicate::eq, a[1],
                    b.create<arith::IndexCastOp>(loc, b.getI64Type(), flat));
                return b
                    .create<arith::SelectOp>(loc, mine, a[0], f32(b, loc, 0.0))
                    .getResult();
              }));
      return success();
    }
    rewriter.replaceOp(
        op,
        gatherWindows(
            rewriter, op.getLoc(), op.getType(), grad, grad, w,
            [&](OpBuilder &b, Location loc, Value n, Value c, Value oh,
                Value ow, Value h, Value wc) {
              Value g = b.create<tensor::ExtractOp>(loc, grad,
                                                    ValueRange{n, c, oh, ow});
              Value argmax = b.create<tensor::ExtractOp>(
                  loc, indices, ValueRange{n, c, oh, ow});
              Value flat = b.create<arith::AddIOp>(
                  loc, b.create<arith::MulIOp>(loc, h, index(b, loc, width)),
                  wc);
              Value mine =
                  cmpi(b, loc, arith::CmpIPredicate::eq, argmax,
                       b.create<arith::IndexCastOp>(loc, b.getI64Type(), flat));
              return b.create<arith::SelectOp>(loc, mine, g, f32(b, loc, 0.0))
                  .getResult();
            }));
    return success();
  }
};

struct AvgPoolLowering : OpRewritePattern<nn::AvgPool2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::AvgPool2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Window w = windowOf(op);
    Value padded = padPlanes(rewriter, loc, op.getInput(), w.ph, w.pw, 0.0);
    auto [inMap, outMap] = windowMaps(rewriter, w);
    Value sum = generic(
        rewriter, loc, ValueRange{padded, kernelShape(rewriter, loc, w)},
        {inMap, kernelMap(rewriter)},
        filledLike(rewriter, loc, op.getType(), op.getInput(), 0.0), outMap,
        windowIterators(), [](OpBuilder &b, Location loc, ValueRange a) {
          return b.create<arith::AddFOp>(loc, a[2], a[0]).getResult();
        });
    // count_include_pad: every window counts kh * kw elements.
    double area = static_cast<double>(w.kh * w.kw);
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, op.getType(), sum,
                [&](OpBuilder &b, Location loc, ValueRange a) {
                  return b.create<arith::DivFOp>(loc, a[0], f32(b, loc, area))
                      .getResult();
                }));
    return success();
  }
};

struct AvgPoolGradLowering : OpRewritePattern<nn::AvgPool2dGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::AvgPool2dGradOp op,
                                PatternRewriter &rewriter) const override {
    Window w = windowOf(op);
    double area = static_cast<double>(w.kh * w.kw);
    Value grad = op.getGrad();
    if (tilesPlane(w, op.getType())) {
      // Each pixel lies in one window: its share of that window's gradient,
      // elementwise (a global pool's backward is a broadcast).
      AffineMap pixel = windowOfPixel(rewriter, w);
      rewriter.replaceOp(
          op, generic(rewriter, op.getLoc(), ValueRange{grad}, {pixel},
                      emptyLike(rewriter, op.getLoc(), op.getType(), grad),
                      rewriter.getMultiDimIdentityMap(4),
                      SmallVector<utils::IteratorType>(
                          4, utils::IteratorType::parallel),
                      [&](OpBuilder &b, Location loc, ValueRange a) {
                        return b
                            .create<arith::DivFOp>(loc, a[0], f32(b, loc, area))
                            .getResult();
                      }));
      return success();
    }
    rewriter.replaceOp(
        op, gatherWindows(
                rewriter, op.getLoc(), op.getType(), grad, grad, w,
                [&](OpBuilder &b, Location loc, Value n, Value c, Value oh,
                    Value ow, Value, Value) {
                  Value g = b.create<tensor::ExtractOp>(
                      loc, grad, ValueRange{n, c, oh, ow});
                  return b.create<arith::DivFOp>(loc, g, f32(b, loc, area))
                      .getResult();
                }));
    return success();
  }
};
} // namespace

void nncc::populatePoolToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, MaxPoolGradLowering, AvgPoolLowering,
               AvgPoolGradLowering>(patterns.getContext());
}
