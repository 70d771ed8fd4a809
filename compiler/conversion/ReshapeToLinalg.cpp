//===- ReshapeToLinalg.cpp - flatten/unflatten → tensor reshapes
//-----------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace nncc;

/// Groups of the expanded shape: singles, then [start..end], then singles.
static SmallVector<ReassociationIndices>
flattenGroups(int64_t expandedRank, int64_t start, int64_t end) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < start; ++i)
    groups.push_back({i});
  ReassociationIndices merged;
  for (int64_t i = start; i <= end; ++i)
    merged.push_back(i);
  groups.push_back(merged);
  for (int64_t i = end + 1; i < expandedRank; ++i)
    groups.push_back({i});
  return groups;
}

namespace {
struct FlattenLowering : OpRewritePattern<nn::FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::FlattenOp op,
                                PatternRewriter &rewriter) const override {
    auto groups = flattenGroups(op.getInput().getType().getRank(),
                                op.getStartDim(), op.getEndDim());
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, op.getType(),
                                                         op.getInput(), groups);
    return success();
  }
};

struct UnflattenLowering : OpRewritePattern<nn::UnflattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::UnflattenOp op,
                                PatternRewriter &rewriter) const override {
    auto groups =
        flattenGroups(op.getType().getRank(), op.getStartDim(), op.getEndDim());
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, op.getType(),
                                                       op.getInput(), groups);
    return success();
  }
};
} // namespace

void nncc::populateReshapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<FlattenLowering, UnflattenLowering>(patterns.getContext());
}
