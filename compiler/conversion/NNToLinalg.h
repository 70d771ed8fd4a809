//===- NNToLinalg.h - nn → linalg patterns, by op family --------*- C++ -*-===//
#ifndef NNCC_COMPILER_CONVERSION_NNTOLINALG_H
#define NNCC_COMPILER_CONVERSION_NNTOLINALG_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace nncc {
void populateLinearToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateLossToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateReshapeToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateActivationToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateNormToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populatePoolToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateConvToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateProbeToLinalgPatterns(mlir::RewritePatternSet &patterns);

// Shared helpers of the pattern files.
namespace lowering {
/// Sums over the batch (weight gradients) are cut into this many shards of
/// the batch, each summed in order, then added in shard order: the same
/// bits for every thread count, and the shards a data-parallel run would
/// split across ranks. Part of the numerics of every compiled model.
constexpr int64_t kBatchShards = 8;
/// tensor.empty of `type`, its dynamic sizes taken from `like` (same rank
/// prefix: dynamic dim i of `type` is dim i of `like`).
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType type, mlir::Value like);
/// emptyLike filled with `value`.
mlir::Value filledLike(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::RankedTensorType type, mlir::Value like,
                       double value);
/// A linalg.generic over `type`'s iteration space; all operands use the
/// identity map. `body` gets the scalar arguments and returns the result.
mlir::Value
elementwise(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
            mlir::ValueRange inputs,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                           mlir::ValueRange)>
                body);

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange)>;
/// A linalg.generic writing `init` through `outputMap`; `body` gets the
/// scalars of the inputs and then of the init, and returns the new value.
mlir::Value generic(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange inputs,
                    llvm::ArrayRef<mlir::AffineMap> inputMaps, mlir::Value init,
                    mlir::AffineMap outputMap,
                    llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                    BodyFn body);
/// acc + term for reductions, marked reassociable so that LLVM vectorizes the
/// reduction loop (sums then differ from a sequential order in the last bits).
mlir::Value accumulate(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                       mlir::Value term);
/// An f32 / index / i64 constant.
mlir::Value f32(mlir::OpBuilder &b, mlir::Location loc, double value);
mlir::Value index(mlir::OpBuilder &b, mlir::Location loc, int64_t value);
mlir::Value i64(mlir::OpBuilder &b, mlir::Location loc, int64_t value);
/// Elements per channel of an [N, C, ...] tensor (N times the rest), as f32.
mlir::Value elementsPerChannel(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value x);
/// The batch size as f32.
mlir::Value batchSizeF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
/// `input` summed over dimension `dim` into a zeroed tensor of `type`, in
/// index order (a linalg.reduce with a plain addf: never reassociated).
mlir::Value sumInOrder(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, int64_t dim,
                       mlir::RankedTensorType type);
/// A sum over the batch of `batchSource`'s images in kBatchShards shards:
/// `shard(begin, end)` returns the sum over images [begin, end) as a tensor
/// of `partialType` (static), computed for every shard at once in an
/// scf.forall; the partial sums are then added in shard order.
mlir::Value sumOverShards(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value batchSource,
    mlir::RankedTensorType partialType,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value begin, mlir::Value end)>
        shard);
/// Images [begin, end) of an [N, ...] tensor.
mlir::Value batchSlice(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       mlir::Value begin, mlir::Value end);
/// Pads the last two dimensions by (ph, pw) on both sides with `value`, and
/// `extraRows` more rows at the bottom and `extraCols` more columns at the
/// right.
mlir::Value padPlanes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      int64_t ph, int64_t pw, double value,
                      int64_t extraRows = 0, int64_t extraCols = 0);
} // namespace lowering
} // namespace nncc

#endif // NNCC_COMPILER_CONVERSION_NNTOLINALG_H
