//===- HeaderGen.h - the C header describing a model's ABI ------*- C++ -*-===//
#ifndef NNCC_COMPILER_TARGET_HEADERGEN_H
#define NNCC_COMPILER_TARGET_HEADERGEN_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {
/// The header of the module MLIRGen produced (nn level, before lowering):
/// tensor table, flat array sizes, entry point prototypes, and an
/// `nncc_model` descriptor for the runtime's generic trainer.
std::string generateHeader(mlir::ModuleOp nnModule, llvm::StringRef prefix,
                           llvm::StringRef sourcePath);
} // namespace nncc

#endif // NNCC_COMPILER_TARGET_HEADERGEN_H
