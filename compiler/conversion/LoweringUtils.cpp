//===- LoweringUtils.cpp - helpers shared by the nn → linalg patterns
//------===//
#include "compiler/conversion/NNToLinalg.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value nncc::lowering::emptyLike(OpBuilder &b, Location loc,
                                RankedTensorType type, Value like) {
  SmallVector<Value> dynSizes;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(size))
      dynSizes.push_back(b.create<tensor::DimOp>(loc, like, i));
  return b.create<tensor::EmptyOp>(loc, type, dynSizes);
}

Value nncc::lowering::filledLike(OpBuilder &b, Location loc,
                                 RankedTensorType type, Value like,
                                 double value) {
  Value scalar = b.create<arith::ConstantOp>(
      loc, b.getFloatAttr(type.getElementType(), value));
  return b.create<linalg::FillOp>(loc, scalar, emptyLike(b, loc, type, like))
      .getResult(0);
}

Value nncc::lowering::elementwise(
    OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Value init = emptyLike(b, loc, type, inputs.front());
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return b
      .create<linalg::GenericOp>(
          loc, type, inputs, init, maps, iterators,
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            nested.create<linalg::YieldOp>(
                nestedLoc, body(nested, nestedLoc, args.drop_back()));
          })
      .getResult(0);
}

Value nncc::lowering::generic(OpBuilder &b, Location loc, ValueRange inputs,
                              ArrayRef<AffineMap> inputMaps, Value init,
                              AffineMap outputMap,
                              ArrayRef<utils::IteratorType> iterators,
                              BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  return b
      .create<linalg::GenericOp>(
          loc, init.getType(), inputs, init, maps, iterators,
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            nested.create<linalg::YieldOp>(nestedLoc,
                                           body(nested, nestedLoc, args));
          })
      .getResult(0);
}

Value nncc::lowering::f32(OpBuilder &b, Location loc, double value) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(value));
}

Value nncc::lowering::index(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantIndexOp>(loc, value);
}

Value nncc::lowering::i64(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(value));
}

Value nncc::lowering::batchSizeF32(OpBuilder &b, Location loc, Value x) {
  Value n = b.create<tensor::DimOp>(loc, x, 0);
  Value n64 = b.create<arith::IndexCastOp>(loc, b.getI64Type(), n);
  return b.create<arith::SIToFPOp>(loc, b.getF32Type(), n64);
}

Value nncc::lowering::elementsPerChannel(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rest = 1;
  for (int64_t d : type.getShape().drop_front(2))
    rest *= d;
  return b.create<arith::MulFOp>(loc, batchSizeF32(b, loc, x),
                                 f32(b, loc, static_cast<double>(rest)));
}

Value nncc::lowering::padPlanes(OpBuilder &b, Location loc, Value x, int64_t ph,
                                int64_t pw, double value, int64_t extraRows,
                                int64_t extraCols) {
  if (ph == 0 && pw == 0 && extraRows == 0 && extraCols == 0)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += 2 * ph + extraRows;
  shape[3] += 2 * pw + extraCols;
  SmallVector<OpFoldResult> low{b.getIndexAttr(0), b.getIndexAttr(0),
                                b.getIndexAttr(ph), b.getIndexAttr(pw)};
  SmallVector<OpFoldResult> high{b.getIndexAttr(0), b.getIndexAttr(0),
                                 b.getIndexAttr(ph + extraRows),
                                 b.getIndexAttr(pw + extraCols)};
  return b.create<tensor::PadOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), x, low, high,
      f32(b, loc, value));
}

Value nncc::lowering::accumulate(OpBuilder &b, Location loc, Value acc,
                                 Value term) {
  return b.create<arith::AddFOp>(
      loc, acc, term,
      arith::FastMathFlagsAttr::get(b.getContext(),
                                    arith::FastMathFlags::reassoc));
}

Value nncc::lowering::sumOverShards(
    OpBuilder &b, Location loc, Value batchSource, RankedTensorType partialType,
    function_ref<Value(OpBuilder &, Location, Value begin, Value end)> shard) {
  SmallVector<int64_t> shape{kBatchShards};
  llvm::append_range(shape, partialType.getShape());
  Type element = partialType.getElementType();
  Value batch = b.create<tensor::DimOp>(loc, batchSource, 0);
  auto loop = b.create<scf::ForallOp>(
      loc, ArrayRef<OpFoldResult>{b.getIndexAttr(kBatchShards)},
      ValueRange{b.create<tensor::EmptyOp>(loc, shape, element)}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getTerminator());
    Value s = loop.getInductionVar(0);
    AffineExpr d0 = b.getAffineDimExpr(0), s0 = b.getAffineSymbolExpr(0);
    // Shard s holds images [s * B / S, (s + 1) * B / S).
    auto bound = [&](AffineExpr e) -> Value {
      return b.create<affine::AffineApplyOp>(
          loc, AffineMap::get(1, 1, e.floorDiv(kBatchShards)),
          ValueRange{s, batch});
    };
    Value partial = shard(b, loc, bound(d0 * s0), bound((d0 + 1) * s0));
    b.setInsertionPointToEnd(loop.getTerminator().getBody());
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    offsets[0] = s;
    SmallVector<OpFoldResult> sizes;
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t d : partialType.getShape())
      sizes.push_back(b.getIndexAttr(d));
    SmallVector<OpFoldResult> ones(shape.size(), b.getIndexAttr(1));
    b.create<tensor::ParallelInsertSliceOp>(
        loc, partial, loop.getRegionIterArgs()[0], offsets, sizes, ones);
  }
  // The shards in order: a reduction over the leading dimension, whose loop
  // runs s = 0, 1, ... for every element, without reassociation.
  return sumInOrder(b, loc, loop.getResult(0), 0, partialType);
}

Value nncc::lowering::sumInOrder(OpBuilder &b, Location loc, Value input,
                                 int64_t dim, RankedTensorType type) {
  Value init = filledLike(b, loc, type, Value(), 0.0);
  return b
      .create<linalg::ReduceOp>(
          loc, input, init, ArrayRef<int64_t>{dim},
          [](OpBuilder &rb, Location rloc, ValueRange args) {
            rb.create<linalg::YieldOp>(
                rloc,
                rb.create<arith::AddFOp>(rloc, args[0], args[1]).getResult());
          })
      .getResult(0);
}

Value nncc::lowering::batchSlice(OpBuilder &b, Location loc, Value x,
                                 Value begin, Value end) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
  offsets[0] = begin;
  sizes.push_back(b.create<arith::SubIOp>(loc, end, begin).getResult());
  for (int64_t d = 1; d < type.getRank(); ++d)
    sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
  return b.create<tensor::ExtractSliceOp>(loc, x, offsets, sizes, strides);
}
