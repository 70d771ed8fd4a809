//===- ConvToLinalg.cpp - Conv2d and its gradients -> im2col + matmul
//------===//
//
// Convolutions reuse the matmul schedule: per image and per group, the
// input window is unfolded into a column matrix by a copy with affine maps
// (im2col; for stride-1 forward passes with few taps or wide planes, over
// rows of the padded width, see unfoldWide) and contracted with the weight
// as a static linalg.matmul whose result is already NCHW:
//   forward   y_n [O, OH*OW]   = W [O, C*KH*KW] . col_n [C*KH*KW, OH*OW]
//   weight    dW [O, C*KH*KW] += dy_n [O, OH*OW] . col_n^T
//   input     dcol_n = W^T . dy_n, folded back onto the input (col2im) by a
//             gather: each input pixel sums the columns that read it.
// The images are independent in the forward and input-gradient passes: an
// scf.forall over the batch, which runs on the caller's threads
// (nn-parallel-loops). The weight gradient sums over the batch: the batch is
// cut into kBatchShards fixed shards, each summed in image order in a forall
// over shards, then the shards are added in shard order, so the result is
// the same bits for every thread count.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

namespace {
struct Geometry {
  int64_t c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups;
  int64_t cg() const { return c / groups; }
  int64_t og() const { return o / groups; }
  int64_t ckk() const { return cg() * kh * kw; }
  int64_t p() const { return oh * ow; }
};

template <typename Op>
Geometry geometryOf(Op op, RankedTensorType input, RankedTensorType weight,
                    RankedTensorType output) {
  return {input.getDimSize(1),  input.getDimSize(2),  input.getDimSize(3),
          weight.getDimSize(0), weight.getDimSize(2), weight.getDimSize(3),
          output.getDimSize(2), output.getDimSize(3), op.getStride()[0],
          op.getStride()[1],    op.getPadding()[0],   op.getPadding()[1],
          op.getDilation()[0],  op.getDilation()[1],  op.getGroups()};
}

RankedTensorType f32Tensor(ArrayRef<int64_t> shape, OpBuilder &b) {
  return RankedTensorType::get(shape, b.getF32Type());
}

SmallVector<OpFoldResult> attrs(OpBuilder &b, ArrayRef<int64_t> values) {
  return getAsIndexOpFoldResult(b.getContext(), values);
}

/// A slice of `source` at `offsets` (the first may be the batch index)
/// dropping the unit dimensions that `type` leaves out.
Value slice(OpBuilder &b, Location loc, RankedTensorType type, Value source,
            ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> ones(sizes.size(), b.getIndexAttr(1));
  return b.create<tensor::ExtractSliceOp>(loc, type, source, offsets,
                                          attrs(b, sizes), ones);
}

Value insert(OpBuilder &b, Location loc, Value source, Value dest,
             ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> ones(sizes.size(), b.getIndexAttr(1));
  return b.create<tensor::InsertSliceOp>(loc, source, dest, offsets,
                                         attrs(b, sizes), ones);
}

Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init) {
  return b.create<linalg::MatmulOp>(loc, ValueRange{lhs, rhs}, init)
      .getResult(0);
}

Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  return filledLike(b, loc, f32Tensor(shape, b), Value(), 0.0);
}

/// im2col of one image's group [Cg, Hp, Wp]: [Cg*KH*KW, OH*OW], or its
/// transpose [OH*OW, Cg*KH*KW].
Value unfold(OpBuilder &b, Location loc, Value image, const Geometry &g,
             bool transposed) {
  MLIRContext *ctx = b.getContext();
  AffineExpr c = getAffineDimExpr(0, ctx), kh = getAffineDimExpr(1, ctx),
             kw = getAffineDimExpr(2, ctx), oh = getAffineDimExpr(3, ctx),
             ow = getAffineDimExpr(4, ctx);
  AffineMap in = AffineMap::get(
      5, 0, {c, oh * g.sh + kh * g.dh, ow * g.sw + kw * g.dw}, ctx);
  SmallVector<int64_t> shape{g.cg(), g.kh, g.kw, g.oh, g.ow};
  AffineMap out = AffineMap::getMultiDimIdentityMap(5, ctx);
  if (transposed) {
    shape = {g.oh, g.ow, g.cg(), g.kh, g.kw};
    out = AffineMap::get(5, 0, {oh, ow, c, kh, kw}, ctx);
  }
  Value col = generic(
      b, loc, image, {in},
      b.create<tensor::EmptyOp>(loc, shape, b.getF32Type()), out,
      SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  SmallVector<ReassociationIndices> groups =
      transposed ? SmallVector<ReassociationIndices>{{0, 1}, {2, 3, 4}}
                 : SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}};
  int64_t rows = transposed ? g.p() : g.ckk(),
          cols = transposed ? g.ckk() : g.p();
  return b.create<tensor::CollapseShapeOp>(loc, f32Tensor({rows, cols}, b), col,
                                           groups);
}

/// Whether a convolution's forward unfolds "wide" (unfoldWide): with stride
/// 1 and no dilation, when its taps are few (C*KH*KW <= 32: the stem's
/// 1 x 3 x 3 or 3 x 3 x 3, where the unfolding costs as much as the
/// matmul) or the padding adds at most a seventh to the columns (28 or 14
/// wide planes padded by 1; not 8 wide ones, where it would add a quarter).
/// Measured on the reference cnn, 1 thread, Zen 4: the stem 2.0 -> 1.05 ms,
/// the second convolution 5.97 -> 5.66 ms despite 14% more multiply-adds.
bool unfoldsWide(const Geometry &g) {
  if (g.sh != 1 || g.sw != 1 || g.dh != 1 || g.dw != 1)
    return false;
  int64_t extra = 2 * g.pw + g.w - g.ow;
  return g.ckk() <= 32 || 7 * extra <= g.ow;
}

/// im2col of one image's group over rows of the padded width: with stride
/// 1, column (oh, ow) of tap (kh, kw) reads padded pixel (oh + kh, ow + kw),
/// which in the flattened padded image [Cg, (Hp + 1) * Wp] is element
/// q + kh * Wp + kw of q = oh * Wp + ow. Over q in [0, OH * Wp) each tap's
/// row is then one contiguous copy, where the exact im2col copies rows of OW
/// (LLVM unrolls those fully and vectorizes across rows with gathers: on the
/// reference cnn's stem, most of the convolution's time). The columns
/// ow >= OW are computed and dropped (Wp / OW more multiply-adds, 7% on a
/// 28-wide plane padded by 1); the extra padded row keeps the last taps'
/// reads inside the image. Result: [Cg*KH*KW, OH * Wp].
Value unfoldWide(OpBuilder &b, Location loc, Value image, const Geometry &g) {
  MLIRContext *ctx = b.getContext();
  int64_t hp = g.h + 2 * g.ph + 1, wp = g.w + 2 * g.pw;
  Value flat = b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor({g.cg(), hp * wp}, b), image,
      SmallVector<ReassociationIndices>{{0}, {1, 2}});
  AffineExpr c = getAffineDimExpr(0, ctx), kh = getAffineDimExpr(1, ctx),
             kw = getAffineDimExpr(2, ctx), q = getAffineDimExpr(3, ctx);
  AffineMap in = AffineMap::get(4, 0, {c, q + kh * wp + kw}, ctx);
  Value col = generic(
      b, loc, flat, {in},
      b.create<tensor::EmptyOp>(
          loc, ArrayRef<int64_t>{g.cg(), g.kh, g.kw, g.oh * wp},
          b.getF32Type()),
      AffineMap::getMultiDimIdentityMap(4, ctx),
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor({g.ckk(), g.oh * wp}, b), col,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// The weight as [O, Cg*KH*KW].
Value weightMatrix(OpBuilder &b, Location loc, Value weight,
                   const Geometry &g) {
  return b.create<tensor::CollapseShapeOp>(
      loc, f32Tensor({g.o, g.ckk()}, b), weight,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
}

/// Group `grp` of image `n` of the padded input: [Cg, Hp, Wp].
Value paddedImageGroup(OpBuilder &b, Location loc, Value xp, Value n,
                       int64_t grp, const Geometry &g, int64_t extraRows = 0) {
  int64_t hp = g.h + 2 * g.ph + extraRows, wp = g.w + 2 * g.pw;
  return slice(
      b, loc, f32Tensor({g.cg(), hp, wp}, b), xp,
      {n, b.getIndexAttr(grp * g.cg()), b.getIndexAttr(0), b.getIndexAttr(0)},
      {1, g.cg(), hp, wp});
}

/// A slice of an image's result: `source` goes to `offsets` of the batch
/// tensor, with `sizes` (the leading 1 dropped from `source`).
struct ImageSlice {
  Value source;
  SmallVector<OpFoldResult> offsets;
  SmallVector<int64_t> sizes;
};

/// `scf.forall (%n) in (batch) shared_outs(%acc = init)`: each image's
/// slices, from `body(n)`, are inserted into the result in parallel.
Value forallImages(
    OpBuilder &b, Location loc, Value batchSource, Value init,
    function_ref<SmallVector<ImageSlice>(OpBuilder &, Location, Value n)>
        body) {
  OpFoldResult batch = b.create<tensor::DimOp>(loc, batchSource, 0).getResult();
  auto loop = b.create<scf::ForallOp>(loc, ArrayRef<OpFoldResult>{batch},
                                      ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getTerminator());
  SmallVector<ImageSlice> slices = body(b, loc, loop.getInductionVar(0));
  b.setInsertionPointToEnd(loop.getTerminator().getBody());
  for (ImageSlice &slice : slices) {
    SmallVector<OpFoldResult> ones(slice.sizes.size(), b.getIndexAttr(1));
    b.create<tensor::ParallelInsertSliceOp>(
        loc, slice.source, loop.getRegionIterArgs()[0], slice.offsets,
        attrs(b, slice.sizes), ones);
  }
  return loop.getResult(0);
}

struct Conv2dLowering : OpRewritePattern<nn::Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Geometry g = geometryOf(op, op.getInput().getType(),
                            op.getWeight().getType(), op.getType());
    bool wide = unfoldsWide(g);
    // The columns of each image's matmul: OH * OW, or OH * Wp unfolded wide.
    int64_t cols = wide ? g.oh * (g.w + 2 * g.pw) : g.p();
    Value xp =
        padPlanes(rewriter, loc, op.getInput(), g.ph, g.pw, 0.0, wide ? 1 : 0);
    Value w2 = weightMatrix(rewriter, loc, op.getWeight(), g);
    Value result = forallImages(
        rewriter, loc, op.getInput(),
        emptyLike(rewriter, loc, op.getType(), op.getInput()),
        [&](OpBuilder &b, Location loc, Value n) {
          SmallVector<ImageSlice> slices;
          for (int64_t grp = 0; grp < g.groups; ++grp) {
            Value image = paddedImageGroup(b, loc, xp, n, grp, g, wide ? 1 : 0);
            Value col = wide ? unfoldWide(b, loc, image, g)
                             : unfold(b, loc, image, g, /*transposed=*/false);
            Value wg = slice(b, loc, f32Tensor({g.og(), g.ckk()}, b), w2,
                             attrs(b, {grp * g.og(), 0}), {g.og(), g.ckk()});
            Value init = zeros(b, loc, {g.og(), cols});
            if (Value bias = op.getBias()) {
              Value bg = slice(b, loc, f32Tensor({g.og()}, b), bias,
                               attrs(b, {grp * g.og()}), {g.og()});
              init = b.create<linalg::BroadcastOp>(
                          loc, bg,
                          b.create<tensor::EmptyOp>(
                              loc, ArrayRef<int64_t>{g.og(), cols},
                              b.getF32Type()),
                          ArrayRef<int64_t>{1})
                         ->getResult(0);
            }
            Value yg = matmul(b, loc, wg, col, init);
            Value planes = b.create<tensor::ExpandShapeOp>(
                loc, f32Tensor({g.og(), g.oh, cols / g.oh}, b), yg,
                SmallVector<ReassociationIndices>{{0}, {1, 2}});
            if (wide) // the first OW of each row's Wp columns
              planes = slice(b, loc, f32Tensor({g.og(), g.oh, g.ow}, b), planes,
                             attrs(b, {0, 0, 0}), {g.og(), g.oh, g.ow});
            slices.push_back({planes,
                              {n, b.getIndexAttr(grp * g.og()),
                               b.getIndexAttr(0), b.getIndexAttr(0)},
                              {1, g.og(), g.oh, g.ow}});
          }
          return slices;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct Conv2dGradWeightLowering : OpRewritePattern<nn::Conv2dGradWeightOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::Conv2dGradWeightOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Geometry g = geometryOf(op, op.getInput().getType(), op.getType(),
                            op.getGrad().getType());
    // The wide form's rows are the Cg*KH*KW taps: too few to fill register
    // tiles for a stem (the 9 of one input channel: 0.8 -> 1.9 ms for cnn's),
    // where the transposed unfold's output columns are the taps instead.
    if (unfoldsWide(g) && g.ckk() > 32)
      return lowerWide(op, g, rewriter);
    Value xp = padPlanes(rewriter, loc, op.getInput(), g.ph, g.pw, 0.0);
    auto perImage = [&](OpBuilder &b, Location loc, Value n, Value acc) {
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        Value image = paddedImageGroup(b, loc, xp, n, grp, g);
        Value colT = unfold(b, loc, image, g, /*transposed=*/true);
        Value dy =
            slice(b, loc, f32Tensor({g.og(), g.p()}, b),
                  b.create<tensor::CollapseShapeOp>(
                      loc,
                      RankedTensorType::get({ShapedType::kDynamic, g.o, g.p()},
                                            b.getF32Type()),
                      op.getGrad(),
                      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}}),
                  {n, b.getIndexAttr(grp * g.og()), b.getIndexAttr(0)},
                  {1, g.og(), g.p()});
        Value accg = slice(b, loc, f32Tensor({g.og(), g.ckk()}, b), acc,
                           attrs(b, {grp * g.og(), 0}), {g.og(), g.ckk()});
        Value updated = matmul(b, loc, dy, colT, accg);
        acc = insert(b, loc, updated, acc, attrs(b, {grp * g.og(), 0}),
                     {g.og(), g.ckk()});
      }
      return acc;
    };
    // Each shard sums its images in order into its own [O, Cg*KH*KW].
    Value dw2 = sumOverShards(
        rewriter, loc, op.getInput(), f32Tensor({g.o, g.ckk()}, rewriter),
        [&](OpBuilder &b, Location loc, Value begin, Value end) {
          return b
              .create<scf::ForOp>(
                  loc, begin, end, index(b, loc, 1),
                  ValueRange{zeros(b, loc, {g.o, g.ckk()})},
                  [&](OpBuilder &nb, Location nloc, Value n, ValueRange iter) {
                    nb.create<scf::YieldOp>(nloc,
                                            perImage(nb, nloc, n, iter[0]));
                  })
              .getResult(0);
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getType(), dw2,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }

  /// Stride 1, unfolded wide as the forward does: per image,
  /// dW^T[Cg*KH*KW, Og] += col[Cg*KH*KW, OH*Wp] dy^T[OH*Wp, Og], where dy's
  /// rows are padded with zeros to the padded input's width (the columns
  /// that wrap around a row meet a zero gradient). The wide unfold copies
  /// whole rows, where the transposed one writes runs of KW floats, and the
  /// contraction's output columns are the output channels: one vector
  /// register row for 16 of them. dW^T is transposed once, after the shards
  /// are summed.
  LogicalResult lowerWide(nn::Conv2dGradWeightOp op, const Geometry &g,
                          PatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    int64_t wp = g.w + 2 * g.pw;
    int64_t cols = g.oh * wp;
    Value xp = padPlanes(rewriter, loc, op.getInput(), g.ph, g.pw, 0.0, 1);
    Value grad =
        padPlanes(rewriter, loc, op.getGrad(), 0, 0, 0.0, 0, wp - g.ow);
    Value dyAll = rewriter.create<tensor::CollapseShapeOp>(
        loc,
        RankedTensorType::get({ShapedType::kDynamic, g.o, cols},
                              rewriter.getF32Type()),
        grad, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    auto perImage = [&](OpBuilder &b, Location loc, Value n, Value acc) {
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        Value image = paddedImageGroup(b, loc, xp, n, grp, g, 1);
        Value col = unfoldWide(b, loc, image, g);
        Value dy = slice(b, loc, f32Tensor({g.og(), cols}, b), dyAll,
                         {n, b.getIndexAttr(grp * g.og()), b.getIndexAttr(0)},
                         {1, g.og(), cols});
        Value dyT =
            b.create<linalg::TransposeOp>(
                 loc, dy,
                 b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{cols, g.og()},
                                           b.getF32Type()),
                 ArrayRef<int64_t>{1, 0})
                ->getResult(0);
        Value accg = slice(b, loc, f32Tensor({g.ckk(), g.og()}, b), acc,
                           attrs(b, {0, grp * g.og()}), {g.ckk(), g.og()});
        Value updated = matmul(b, loc, col, dyT, accg);
        acc = insert(b, loc, updated, acc, attrs(b, {0, grp * g.og()}),
                     {g.ckk(), g.og()});
      }
      return acc;
    };
    // Each shard sums its images in order into its own [Cg*KH*KW, O].
    Value dw2T = sumOverShards(
        rewriter, loc, op.getInput(), f32Tensor({g.ckk(), g.o}, rewriter),
        [&](OpBuilder &b, Location loc, Value begin, Value end) {
          return b
              .create<scf::ForOp>(
                  loc, begin, end, index(b, loc, 1),
                  ValueRange{zeros(b, loc, {g.ckk(), g.o})},
                  [&](OpBuilder &nb, Location nloc, Value n, ValueRange iter) {
                    nb.create<scf::YieldOp>(nloc,
                                            perImage(nb, nloc, n, iter[0]));
                  })
              .getResult(0);
        });
    Value dw2 = rewriter
                    .create<linalg::TransposeOp>(
                        loc, dw2T,
                        rewriter.create<tensor::EmptyOp>(
                            loc, ArrayRef<int64_t>{g.o, g.ckk()},
                            rewriter.getF32Type()),
                        ArrayRef<int64_t>{1, 0})
                    ->getResult(0);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getType(), dw2,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

struct Conv2dGradInputLowering : OpRewritePattern<nn::Conv2dGradInputOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::Conv2dGradInputOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Geometry g = geometryOf(op, op.getType(), op.getWeight().getType(),
                            op.getGrad().getType());
    Value w2 = weightMatrix(rewriter, loc, op.getWeight(), g);
    Value w2T = rewriter
                    .create<linalg::TransposeOp>(
                        loc, w2,
                        rewriter.create<tensor::EmptyOp>(
                            loc, ArrayRef<int64_t>{g.ckk(), g.o},
                            rewriter.getF32Type()),
                        ArrayRef<int64_t>{1, 0})
                    ->getResult(0);
    // Wide (as the forward unfolds): dy's rows padded with zeros to the
    // padded input's width, so that dcol's rows fold back as contiguous
    // adds (foldWide); the extra columns' dcol is zero.
    bool wide = unfoldsWide(g);
    int64_t wp = g.w + 2 * g.pw;
    int64_t cols = wide ? g.oh * wp : g.p();
    Value grad =
        wide ? padPlanes(rewriter, loc, op.getGrad(), 0, 0, 0.0, 0, wp - g.ow)
             : op.getGrad();
    Value dyAll = rewriter.create<tensor::CollapseShapeOp>(
        loc,
        RankedTensorType::get({ShapedType::kDynamic, g.o, cols},
                              rewriter.getF32Type()),
        grad, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    Value result = forallImages(
        rewriter, loc, op.getGrad(),
        emptyLike(rewriter, loc, op.getType(), op.getGrad()),
        [&](OpBuilder &b, Location loc, Value n) {
          SmallVector<ImageSlice> slices;
          for (int64_t grp = 0; grp < g.groups; ++grp) {
            Value dy =
                slice(b, loc, f32Tensor({g.og(), cols}, b), dyAll,
                      {n, b.getIndexAttr(grp * g.og()), b.getIndexAttr(0)},
                      {1, g.og(), cols});
            Value wgT = slice(b, loc, f32Tensor({g.ckk(), g.og()}, b), w2T,
                              attrs(b, {0, grp * g.og()}), {g.ckk(), g.og()});
            Value dcol =
                matmul(b, loc, wgT, dy, zeros(b, loc, {g.ckk(), cols}));
            Value planes;
            if (wide) {
              planes = foldWide(b, loc, dcol, g);
            } else {
              Value dcol5 = b.create<tensor::ExpandShapeOp>(
                  loc, f32Tensor({g.cg(), g.kh, g.kw, g.oh, g.ow}, b), dcol,
                  SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}});
              planes = fold(b, loc, dcol5, g);
            }
            slices.push_back({planes,
                              {n, b.getIndexAttr(grp * g.cg()),
                               b.getIndexAttr(0), b.getIndexAttr(0)},
                              {1, g.cg(), g.h, g.w}});
          }
          return slices;
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// window + column, elementwise, computed into `window` itself (the
  /// generic's destination), so that bufferization adds in place in the
  /// image instead of copying a fresh result back for every tap.
  static Value addInto(OpBuilder &b, Location loc, Value column, Value window) {
    auto type = cast<RankedTensorType>(window.getType());
    AffineMap id = b.getMultiDimIdentityMap(type.getRank());
    return generic(
        b, loc, ValueRange{column}, {id}, window, id,
        SmallVector<utils::IteratorType>(type.getRank(),
                                         utils::IteratorType::parallel),
        [](OpBuilder &b, Location loc, ValueRange a) {
          return b.create<arith::AddFOp>(loc, a[1], a[0]).getResult();
        });
  }

  /// col2im of a wide dcol [Cg*KH*KW, OH*Wp] (unfoldWide's layout): tap
  /// (kh, kw)'s row adds onto the flattened padded image [Cg, (Hp+1)*Wp]
  /// at offset kh*Wp + kw, one contiguous add per tap (the exact fold adds
  /// rows of OW, which LLVM unrolls into scalar code: a third of the input
  /// gradient's time on the reference cnn). The taps add in the same order
  /// as fold's; the extra columns add zeros.
  static Value foldWide(OpBuilder &b, Location loc, Value dcol,
                        const Geometry &g) {
    int64_t hp = g.h + 2 * g.ph, wp = g.w + 2 * g.pw;
    int64_t flat = (hp + 1) * wp, cols = g.oh * wp;
    Value image = zeros(b, loc, {g.cg(), flat});
    Value taps = b.create<tensor::ExpandShapeOp>(
        loc, f32Tensor({g.cg(), g.kh * g.kw, cols}, b), dcol,
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
    auto rowType = f32Tensor({g.cg(), cols}, b);
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; ++kw) {
        SmallVector<OpFoldResult> at = attrs(b, {0, kh * wp + kw});
        Value window = slice(b, loc, rowType, image, at, {g.cg(), cols});
        Value column =
            slice(b, loc, rowType, taps, attrs(b, {0, kh * g.kw + kw, 0}),
                  {g.cg(), 1, cols});
        Value sum = addInto(b, loc, column, window);
        image = insert(b, loc, sum, image, at, {g.cg(), cols});
      }
    Value planes = b.create<tensor::ExpandShapeOp>(
        loc, f32Tensor({g.cg(), hp + 1, wp}, b), image,
        SmallVector<ReassociationIndices>{{0}, {1, 2}});
    return slice(b, loc, f32Tensor({g.cg(), g.h, g.w}, b), planes,
                 attrs(b, {0, g.ph, g.pw}), {g.cg(), g.h, g.w});
  }

  /// col2im: each kernel offset (kh, kw) adds its column plane
  /// dcol[:, kh, kw] onto the (strided) window of the padded image it was
  /// read from; KH*KW elementwise adds with affine maps, which LLVM
  /// vectorizes, instead of a per-pixel gather with bounds checks.
  static Value fold(OpBuilder &b, Location loc, Value dcol5,
                    const Geometry &g) {
    int64_t hp = g.h + 2 * g.ph, wp = g.w + 2 * g.pw;
    Value image = zeros(b, loc, {g.cg(), hp, wp});
    auto planeType = f32Tensor({g.cg(), g.oh, g.ow}, b);
    SmallVector<OpFoldResult> strides = attrs(b, {1, g.sh, g.sw});
    SmallVector<OpFoldResult> sizes = attrs(b, {g.cg(), g.oh, g.ow});
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; ++kw) {
        SmallVector<OpFoldResult> at = attrs(b, {0, kh * g.dh, kw * g.dw});
        Value window = b.create<tensor::ExtractSliceOp>(loc, planeType, image,
                                                        at, sizes, strides);
        Value column =
            slice(b, loc, planeType, dcol5, attrs(b, {0, kh, kw, 0, 0}),
                  {g.cg(), 1, 1, g.oh, g.ow});
        Value sum = addInto(b, loc, column, window);
        image = b.create<tensor::InsertSliceOp>(loc, sum, image, at, sizes,
                                                strides);
      }
    return slice(b, loc, f32Tensor({g.cg(), g.h, g.w}, b), image,
                 attrs(b, {0, g.ph, g.pw}), {g.cg(), g.h, g.w});
  }
};
} // namespace

void nncc::populateConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<Conv2dLowering, Conv2dGradWeightLowering, Conv2dGradInputLowering>(
          patterns.getContext());
}
