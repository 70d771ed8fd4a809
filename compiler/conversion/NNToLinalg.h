//===- NNToLinalg.h - nn → linalg patterns, by op family --------*- C++ -*-===//
#ifndef NNCC_COMPILER_CONVERSION_NNTOLINALG_H
#define NNCC_COMPILER_CONVERSION_NNTOLINALG_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace nncc {
void populateLinearToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateLossToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateReshapeToLinalgPatterns(mlir::RewritePatternSet &patterns);

// Shared helpers of the pattern files.
namespace lowering {
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
} // namespace lowering
} // namespace nncc

#endif // NNCC_COMPILER_CONVERSION_NNTOLINALG_H
