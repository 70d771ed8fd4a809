//===- CollapseDims.cpp - one long inner loop for elementwise ops ---------===//
//
// Elementwise ops over activations [N, C, H, W] loop innermost over the
// width: 14 or 28 floats in the reference nets, one or two vectors and a
// remainder per row, with the loop overhead of every row. The ops do not
// care about the shape: ReLU and its mask treat every element alike, batch
// norm only needs the channel. So the spatial dimensions (and the channel,
// where no operand singles it out) are collapsed into one loop of C*H*W or
// H*W elements over contiguous memory, the operands reshaped to match
// (tensor.collapse_shape, a view once bufferized) and the results back.
// The batch stays the leading loop, which nn-batch-parallel splits.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace nncc {
#define GEN_PASS_DEF_NNCOLLAPSEDIMS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace {

/// The dimension groups to collapse `op` to, or none: [N, rest] if every
/// operand allows it, else [N, C, spatial].
std::optional<SmallVector<ReassociationIndices>>
collapsibleGroups(linalg::GenericOp op) {
  int64_t rank = op.getNumLoops();
  if (rank < 3 || !op.hasPureTensorSemantics() ||
      op.getNumParallelLoops() != rank)
    return std::nullopt;
  // Element positions (dropout's hash) would change meaning.
  if (!op.getBody()->getOps<linalg::IndexOp>().empty())
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps,
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return std::nullopt;
  // Every result (the op's own iteration space) must be the identity, so
  // that the results are plain reshapes of the collapsed ones.
  for (OpOperand &init : op.getDpsInitsMutable())
    if (!op.getMatchingIndexingMap(&init).isIdentity())
      return std::nullopt;
  ReassociationIndices rest, spatial;
  for (int64_t d = 1; d < rank; ++d)
    rest.push_back(d);
  for (int64_t d = 2; d < rank; ++d)
    spatial.push_back(d);
  SmallVector<ReassociationIndices> wide{{0}, rest};
  if (linalg::areDimSequencesPreserved(maps, wide))
    return wide;
  SmallVector<ReassociationIndices> channels{{0}, {1}, spatial};
  if (spatial.size() > 1 && linalg::areDimSequencesPreserved(maps, channels))
    return channels;
  return std::nullopt;
}

struct NNCollapseDims : nncc::impl::NNCollapseDimsBase<NNCollapseDims> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk(
        [&](linalg::GenericOp op) { candidates.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : candidates) {
      std::optional<SmallVector<ReassociationIndices>> groups =
          collapsibleGroups(op);
      if (!groups)
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(
              cast<linalg::LinalgOp>(op.getOperation()), *groups, rewriter);
      if (failed(collapsed))
        continue;
      rewriter.replaceOp(op, collapsed->results);
    }
  }
};

} // namespace
