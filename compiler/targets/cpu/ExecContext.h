//===- ExecContext.h - nncc_exec as generated code sees it ------*- C++ -*-===//
//
// The execution context a caller passes to every entry point (abi.h's
// nncc_exec): the passes that read it (the parallel-loop lowering, the
// profile marks, the C interface's thread count) share one description of
// its layout, so a field added to abi.h is added here once.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_TARGETS_CPU_EXECCONTEXT_H
#define NNCC_COMPILER_TARGETS_CPU_EXECCONTEXT_H

#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace nncc {

/// nncc_exec's fields: parallel_for, pool, threads, profile, profile_data.
inline mlir::LLVM::LLVMStructType execStructType(mlir::MLIRContext *ctx) {
  auto ptr = mlir::LLVM::LLVMPointerType::get(ctx);
  return mlir::LLVM::LLVMStructType::getLiteral(
      ctx, {ptr, ptr, mlir::IntegerType::get(ctx, 32), ptr, ptr});
}

constexpr int32_t kExecParallelForField = 0;
constexpr int32_t kExecThreadsField = 2;
constexpr int32_t kExecProfileField = 3;

} // namespace nncc

#endif // NNCC_COMPILER_TARGETS_CPU_EXECCONTEXT_H
