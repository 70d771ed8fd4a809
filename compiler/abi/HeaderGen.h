//===- HeaderGen.h - the C header describing a model's ABI ------*- C++ -*-===//
#ifndef NNCC_COMPILER_ABI_HEADERGEN_H
#define NNCC_COMPILER_ABI_HEADERGEN_H

#include "compiler/targets/Target.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {
/// The header of the module MLIRGen produced (nn level, before lowering):
/// tensor table, flat array sizes, entry point prototypes, and an
/// `nncc_model` descriptor for the runtime's generic trainer, which names
/// `target`'s device and the instruction-set extensions its code may use; a
/// `profile`d build also declares its region table.
std::string generateHeader(mlir::ModuleOp nnModule, llvm::StringRef prefix,
                           llvm::StringRef sourcePath, const Target &target,
                           bool profile = false);
} // namespace nncc

#endif // NNCC_COMPILER_ABI_HEADERGEN_H
