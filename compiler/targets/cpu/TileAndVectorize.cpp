//===- TileAndVectorize.cpp - register-blocked, vectorized contractions
//----===//
//
// The CPU schedule of every linalg.matmul (nn-to-linalg lowers all of Linear's
// contractions to plain row-major matmuls):
//   1. tile (rows × cols × 1) so one output tile fits in vector registers
//      (the target's: `vector-width` f32 lanes and `accumulators` registers
//      for the tile -- 16 and 24 of AVX-512's 32, 8 and 12 of AVX2's 16);
//   2. peel loops with partial tiles — the batch loop always — so full tiles
//      have static shapes (a non-dividing tile would silently disable
//      vectorization); remainders of static dimensions are static, and what
//      is left dynamic (the last rows of a batch) is tiled by 1;
//   3. vectorize the static tiles, hoist the accumulator out of the K loop
//      (it lives in registers), and lower vector.contract to outer products,
//      i.e. broadcast-FMA sequences.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace nncc {
#define GEN_PASS_DEF_NNTILEANDVECTORIZE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {
constexpr int64_t kMaxVectorizedElems = 4096;

/// The vector unit a tile is sized for.
struct Registers {
  int64_t lanes;        // f32 lanes of one vector register
  int64_t accumulators; // registers kept for the output tile
};

struct TileShape {
  int64_t rows, cols;
  bool peelRows, peelCols;
};

/// Columns: a power of two of at least one register (up to maxCols), so each
/// row of the tile is whole registers: LLVM splits such vectors cleanly, while
/// a loop-carried vector<112xf32> was rebuilt lane by lane every iteration
/// (8x slower). The widest such tile whose remainder (peeled, static) is a
/// power of two too, e.g. 784 = 6 x 128 + 16, 200 = 3 x 64 + 8. A narrow N
/// (< 16) is taken whole. Rows: as many as the accumulator budget allows.
/// Partial tiles are peeled; for a static dimension the remainder tile is
/// static too.
TileShape chooseTile(int64_t m, int64_t n, int64_t maxRows, int64_t maxCols,
                     Registers regs) {
  TileShape tile{1, n, false, false};
  if (n >= regs.lanes) {
    int64_t widest = regs.lanes;
    while (widest * 2 <= std::min(n, maxCols))
      widest *= 2;
    tile.cols = regs.lanes;
    for (int64_t c = widest; c >= regs.lanes; c /= 2)
      if (llvm::isPowerOf2_64(n % c) || n % c == 0) {
        tile.cols = c;
        break;
      }
    tile.peelCols = n % tile.cols != 0;
  }
  int64_t registersPerRow = (tile.cols + regs.lanes - 1) / regs.lanes;
  tile.rows = std::max<int64_t>(
      1, std::min(maxRows, regs.accumulators / registersPerRow));
  if (!ShapedType::isDynamic(m))
    tile.rows = std::min(tile.rows, m);
  tile.peelRows = ShapedType::isDynamic(m) || m % tile.rows != 0;
  return tile;
}

FailureOr<scf::SCFTilingResult>
tile(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  rewriter.setInsertionPoint(op);
  auto tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (succeeded(tiled))
    rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

void tileMatmulIntoRegisters(RewriterBase &rewriter, linalg::MatmulOp op,
                             int64_t maxRows, int64_t maxCols, Registers regs) {
  auto lhs = cast<ShapedType>(op.getDpsInputs()[0].getType());
  auto rhs = cast<ShapedType>(op.getDpsInputs()[1].getType());
  TileShape shape =
      chooseTile(lhs.getDimSize(0), rhs.getDimSize(1), maxRows, maxCols, regs);
  auto tiled = tile(rewriter, op, {shape.rows, shape.cols, 1});
  if (failed(tiled))
    return;
  // Peel the inner (columns) loop first: peeling the rows loop then copies the
  // already peeled column loops into the remainder.
  scf::ForOp remainder;
  if (shape.peelCols)
    (void)scf::peelForLoopAndSimplifyBounds(
        rewriter, cast<scf::ForOp>(tiled->loops[1].getOperation()), remainder);
  if (shape.peelRows)
    (void)scf::peelForLoopAndSimplifyBounds(
        rewriter, cast<scf::ForOp>(tiled->loops[0].getOperation()), remainder);
}

bool hasStaticShape(linalg::LinalgOp op) {
  return llvm::none_of(op.getStaticLoopRanges(), ShapedType::isDynamic);
}

/// Canonicalization plus the loop-aware affine.min/max folding that turns
/// peeled tile sizes into constants (and with them, tensor types static).
void simplify(Operation *root) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  scf::populateSCFForLoopCanonicalizationPatterns(patterns);
  (void)applyPatternsAndFoldGreedily(root, std::move(patterns));
}

/// The clean-ups that make vectorized tiles read and write their operands
/// directly (as transform.structured.vectorize_children_and_apply_patterns).
void foldVectorizedTiles(Operation *root) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorBroadcastPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  (void)applyPatternsAndFoldGreedily(root, std::move(patterns));
}

/// vector.contract → outer products → broadcast + FMA per output row.
void lowerContractions(Operation *root) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  vector::VectorTransformsOptions options;
  options.setVectorTransformsOptions(
      vector::VectorContractLowering::OuterProduct);
  vector::populateVectorContractLoweringPatterns(patterns, options);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorTransposeLoweringPatterns(patterns, options);
  vector::populateVectorBroadcastLoweringPatterns(patterns);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  (void)applyPatternsAndFoldGreedily(root, std::move(patterns));
}

struct NNTileAndVectorize
    : nncc::impl::NNTileAndVectorizeBase<NNTileAndVectorize> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    SmallVector<linalg::MatmulOp> matmuls;
    func.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp op : matmuls)
      tileMatmulIntoRegisters(rewriter, op, registerRows, registerCols,
                              Registers{vectorWidth, accumulators});
    simplify(func);

    // Remainder tiles (the last rows of a batch) are dynamic: tile those
    // dimensions by 1, which makes them static.
    SmallVector<linalg::MatmulOp> remainders;
    func.walk([&](linalg::MatmulOp op) {
      if (!hasStaticShape(op) && op->getParentOfType<scf::ForOp>())
        remainders.push_back(op);
    });
    for (linalg::MatmulOp op : remainders) {
      SmallVector<int64_t> sizes;
      for (int64_t range : op.getStaticLoopRanges())
        sizes.push_back(ShapedType::isDynamic(range) ? 1 : 0);
      (void)tile(rewriter, op, sizes);
    }
    simplify(func);

    SmallVector<linalg::MatmulOp> tiles;
    func.walk([&](linalg::MatmulOp op) {
      if (hasStaticShape(op) && op->getParentOfType<scf::ForOp>())
        tiles.push_back(op);
    });
    for (linalg::MatmulOp op : tiles) {
      int64_t elems = 1;
      for (int64_t range : op.getStaticLoopRanges())
        elems *= range;
      if (elems > kMaxVectorizedElems)
        continue; // stays scalar rather than spilling huge vectors
      rewriter.setInsertionPoint(op);
      if (failed(linalg::vectorize(rewriter, op)))
        op.emitWarning("matmul tile was not vectorized");
    }
    foldVectorizedTiles(func);

    // Keep accumulators in registers across the K loop: innermost loops
    // first, so a hoisted tile can move out of the enclosing loops as well.
    func.walk<WalkOrder::PostOrder>([&](scf::ForOp loop) {
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    });
    lowerContractions(func);
    simplify(func);
  }
};
} // namespace
