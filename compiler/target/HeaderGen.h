//===- HeaderGen.h - the C header describing a model's ABI ------*- C++ -*-===//
#ifndef NNCC_COMPILER_TARGET_HEADERGEN_H
#define NNCC_COMPILER_TARGET_HEADERGEN_H

#include "compiler/targets/cpu/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {
/// The header of the module MLIRGen produced (nn level, before lowering):
/// tensor table, flat array sizes, entry point prototypes, and an
/// `nncc_model` descriptor for the runtime's generic trainer, which names
/// `target`'s CPU and instruction-set extensions; a `profile`d build also
/// declares its region table.
std::string generateHeader(mlir::ModuleOp nnModule, llvm::StringRef prefix,
                           llvm::StringRef sourcePath, const CpuTarget &target,
                           bool profile = false);
} // namespace nncc

#endif // NNCC_COMPILER_TARGET_HEADERGEN_H
