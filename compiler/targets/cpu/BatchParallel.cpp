//===- BatchParallel.cpp - split batch-parallel linalg ops into chunks ----===//
//
// Most of a training step is linalg ops whose first loop runs over the
// batch without reducing it: elementwise ops, batch norm's normalisation,
// pooling, their gradients, the Linear layers' matmuls. Each such op (not
// already inside a loop) becomes an scf.forall over chunks of
// ceil(batch / kChunks) images, which nn-parallel-loops runs on the caller's
// threads. The chunks write disjoint rows, so the result does not depend on
// how they are spread over threads; ops that sum over the batch are left
// alone (their lowering shards them, or they are small).
//
// A chunk is the same op on the batch rows [offset, offset + size) of every
// operand indexed by the batch, and on the whole of the others (weights,
// per-channel statistics). Only the batch dimension is sliced: linalg's
// generic tiling also slices the window dimensions of pooling, whose maps
// (2 * oh + 1) it offsets twice in MLIR 19, reading past the input.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

namespace nncc {
#define GEN_PASS_DEF_NNBATCHPARALLEL
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {

/// More chunks than threads, so that uneven chunks and a busy core even
/// out; few enough that a chunk is still a few images of work.
constexpr int64_t kChunks = 32;
/// A matmul's chunks are whole register tiles of rows (nn-tile-and-vectorize
/// keeps 1, 2, 3, 4 or 6 rows in registers): a multiple of 24, so that no
/// chunk but the last ends in a partial tile.
constexpr int64_t kMatmulRowMultiple = 24;
/// Matmuls with fewer rows stay whole.
constexpr int64_t kMatmulMinRows = 48;

/// How a chunk sees one operand: its batch rows, or all of it.
enum class Use { BatchRows, Whole };

/// The uses of `op`'s operands when its first loop runs over the batch in
/// parallel (or, for a matmul, over enough rows of any kind, such as a
/// Linear weight gradient's), outside any loop; nullopt when it is not such
/// an op.
std::optional<SmallVector<Use>> batchParallelUses(linalg::LinalgOp op) {
  if (op->getParentOfType<scf::ForallOp>() ||
      op->getParentOfType<scf::ForOp>() || op.getNumLoops() == 0 ||
      !op.hasPureTensorSemantics() ||
      op.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
    return std::nullopt;
  int64_t rows = op.getStaticLoopRanges()[0];
  bool bigMatmul = isa<linalg::MatmulOp>(op) &&
                   (ShapedType::isDynamic(rows) || rows >= kMatmulMinRows);
  if (!ShapedType::isDynamic(rows) && !bigMatmul)
    return std::nullopt;
  SmallVector<Use> uses;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    bool first = map.getNumResults() > 0 && map.getResult(0).isFunctionOfDim(0);
    bool pureFirst =
        first && map.getResult(0) == getAffineDimExpr(0, op.getContext());
    bool usedElsewhere =
        llvm::any_of(map.getResults().drop_front(first ? 1 : 0),
                     [](AffineExpr e) { return e.isFunctionOfDim(0); });
    if (usedElsewhere || (first && !pureFirst))
      return std::nullopt;
    if (pureFirst && type && (type.isDynamicDim(0) || bigMatmul))
      uses.push_back(Use::BatchRows);
    else if (!first)
      uses.push_back(Use::Whole);
    else
      return std::nullopt;
  }
  // The results must be batch rows: that is what the chunks write.
  for (OpOperand &init : op.getDpsInitsMutable())
    if (uses[init.getOperandNumber()] != Use::BatchRows)
      return std::nullopt;
  return uses;
}

/// The sizes of rows [offset, offset + size) of `x` along dimension 0.
SmallVector<OpFoldResult> rowSizes(OpBuilder &b, Location loc, Value x,
                                   Value size) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> sizes{size};
  for (int64_t d = 1; d < type.getRank(); ++d)
    sizes.push_back(
        type.isDynamicDim(d)
            ? OpFoldResult(b.create<tensor::DimOp>(loc, x, d).getResult())
            : OpFoldResult(b.getIndexAttr(type.getDimSize(d))));
  return sizes;
}

/// Rows [offset, offset + size) of `x` along dimension 0.
Value rows(OpBuilder &b, Location loc, Value x, Value offset, Value size) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[0] = offset;
  return b.create<tensor::ExtractSliceOp>(loc, x, offsets,
                                          rowSizes(b, loc, x, size), strides);
}

/// Chunk `i` of `batch` rows in chunks of `chunk`: offset and size.
std::pair<Value, Value> chunkBounds(OpBuilder &b, Location loc, Value i,
                                    Value chunk, Value batch) {
  Value offset = b.create<arith::MulIOp>(loc, i, chunk);
  Value size = b.create<arith::MinUIOp>(
      loc, chunk, b.create<arith::SubIOp>(loc, batch, offset));
  return {offset, size};
}

/// The forall over the chunks of `batch`, with `inits` as shared outputs:
/// `body(offset, size, sharedOuts)` returns the chunk's results, inserted at
/// its rows.
scf::ForallOp
chunkLoop(OpBuilder &b, Location loc, Value batch, ValueRange inits,
          int64_t rowMultiple,
          function_ref<SmallVector<Value>(OpBuilder &, Value offset, Value size,
                                          ValueRange shared)>
              body) {
  auto constant = [&](int64_t v) {
    return b.create<arith::ConstantIndexOp>(loc, v);
  };
  // ceil(batch / kChunks), rounded up to a multiple of rowMultiple, and at
  // least 1 (an empty batch has no chunks, not a division by zero).
  Value rounded = b.create<arith::AddIOp>(loc, batch, constant(kChunks - 1));
  Value chunk = b.create<arith::DivUIOp>(loc, rounded, constant(kChunks));
  Value up = b.create<arith::AddIOp>(loc, chunk, constant(rowMultiple - 1));
  Value tiles = b.create<arith::DivUIOp>(loc, up, constant(rowMultiple));
  chunk = b.create<arith::MulIOp>(loc, tiles, constant(rowMultiple));
  chunk = b.create<arith::MaxUIOp>(loc, chunk, constant(1));
  Value count = b.create<arith::DivUIOp>(
      loc,
      b.create<arith::SubIOp>(loc, b.create<arith::AddIOp>(loc, batch, chunk),
                              b.create<arith::ConstantIndexOp>(loc, 1)),
      chunk);
  auto loop = b.create<scf::ForallOp>(loc, ArrayRef<OpFoldResult>{count}, inits,
                                      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getTerminator());
  auto [offset, size] =
      chunkBounds(b, loc, loop.getInductionVar(0), chunk, batch);
  SmallVector<Value> results = body(b, offset, size, loop.getRegionIterArgs());
  SmallVector<SmallVector<OpFoldResult>> sizes;
  for (Value shared : loop.getRegionIterArgs())
    sizes.push_back(rowSizes(b, loc, shared, size));
  b.setInsertionPointToEnd(loop.getTerminator().getBody());
  for (auto [result, shared, resultSizes] :
       llvm::zip(results, loop.getRegionIterArgs(), sizes)) {
    auto type = cast<RankedTensorType>(result.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    offsets[0] = offset;
    b.create<tensor::ParallelInsertSliceOp>(loc, result, shared, offsets,
                                            resultSizes, strides);
  }
  return loop;
}

void parallelizeLinalg(IRRewriter &rewriter, linalg::LinalgOp op,
                       ArrayRef<Use> uses) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value first;
  for (auto [operand, use] : llvm::zip(op->getOperands(), uses))
    if (use == Use::BatchRows && !first)
      first = operand;
  Value batch = rewriter.create<tensor::DimOp>(loc, first, 0);
  SmallVector<Value> inits(op.getDpsInits());
  auto loop = chunkLoop(
      rewriter, loc, batch, inits,
      isa<linalg::MatmulOp>(op) ? kMatmulRowMultiple : 1,
      [&](OpBuilder &b, Value offset, Value size, ValueRange shared) {
        SmallVector<Value> operands;
        for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
          Value v = operand;
          if (op.isDpsInit(&op->getOpOperand(i)))
            v = shared[i - op.getNumDpsInputs()];
          operands.push_back(
              uses[i] == Use::BatchRows ? rows(b, loc, v, offset, size) : v);
        }
        SmallVector<Type> resultTypes;
        for (Value init :
             ArrayRef<Value>(operands).drop_front(op.getNumDpsInputs()))
          resultTypes.push_back(init.getType());
        Operation *chunk = clone(b, op, resultTypes, operands);
        // linalg.index 0 counts rows of the chunk: offset it back to the
        // batch (dropout hashes element positions).
        chunk->walk([&](linalg::IndexOp index) {
          if (index.getDim() != 0)
            return;
          OpBuilder ib(index);
          ib.setInsertionPointAfter(index);
          auto shifted = ib.create<arith::AddIOp>(loc, index, offset);
          index.getResult().replaceAllUsesExcept(shifted, shifted);
        });
        return SmallVector<Value>(chunk->getResults());
      });
  rewriter.replaceOp(op, loop.getResults());
}

/// tensor.pad of an [N, ...] tensor that pads no batch rows: each chunk pads
/// its rows.
void parallelizePad(IRRewriter &rewriter, tensor::PadOp pad) {
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  Value batch = rewriter.create<tensor::DimOp>(loc, pad.getSource(), 0);
  Value init = rewriter.create<tensor::EmptyOp>(loc, pad.getResultType(),
                                                ValueRange{batch});
  auto loop =
      chunkLoop(rewriter, loc, batch, init, 1,
                [&](OpBuilder &b, Value offset, Value size, ValueRange) {
                  Value source = rows(b, loc, pad.getSource(), offset, size);
                  auto type = cast<RankedTensorType>(pad.getResultType());
                  SmallVector<int64_t> shape(type.getShape());
                  shape[0] = ShapedType::kDynamic;
                  auto chunk = b.create<tensor::PadOp>(
                      loc, RankedTensorType::get(shape, type.getElementType()),
                      source, pad.getMixedLowPad(), pad.getMixedHighPad(),
                      pad.getConstantPaddingValue(), pad.getNofold());
                  return SmallVector<Value>{chunk.getResult()};
                });
  rewriter.replaceOp(pad, loop.getResults());
}

/// A pad of the batch's planes (not of the batch): only dimension 0
/// dynamic, nothing added along it, a padding value from outside its region.
bool isBatchParallelPad(tensor::PadOp pad) {
  RankedTensorType type = pad.getResultType();
  Value value = pad.getConstantPaddingValue();
  return !pad->getParentOfType<scf::ForallOp>() &&
         !pad->getParentOfType<scf::ForOp>() && type.isDynamicDim(0) &&
         llvm::count_if(type.getShape(), ShapedType::isDynamic) == 1 && value &&
         !pad->isAncestor(value.getParentBlock()->getParentOp()) &&
         isConstantIntValue(pad.getMixedLowPad()[0], 0) &&
         isConstantIntValue(pad.getMixedHighPad()[0], 0);
}

struct NNBatchParallel : nncc::impl::NNBatchParallelBase<NNBatchParallel> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<Use>>> ops;
    SmallVector<tensor::PadOp> pads;
    func.walk([&](Operation *op) {
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
        if (auto uses = batchParallelUses(linalgOp))
          ops.push_back({linalgOp, *uses});
      } else if (auto pad = dyn_cast<tensor::PadOp>(op)) {
        if (isBatchParallelPad(pad))
          pads.push_back(pad);
      }
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, uses] : ops)
      parallelizeLinalg(rewriter, op, uses);
    for (tensor::PadOp pad : pads)
      parallelizePad(rewriter, pad);
  }
};

} // namespace
