//===- MLIRGen.h - checked model to nn dialect ------------------*- C++ -*-===//
#ifndef NNCC_COMPILER_MLIRGEN_H
#define NNCC_COMPILER_MLIRGEN_H

#include "frontend/Graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace nncc {
/// Emits one module with three functions on tensors, every op located at its
/// layer in model.nn:
///   @train_step  (params, inputs) -> (logits, loss), marked nn.differentiate
///   @eval_step   (params, inputs) -> (logits, loss)
///   @predict     (params, inputs the output needs) -> logits
mlir::OwningOpRef<mlir::ModuleOp> emitNNModule(mlir::MLIRContext &context,
                                               const Graph &graph);
} // namespace nncc

#endif // NNCC_COMPILER_MLIRGEN_H
