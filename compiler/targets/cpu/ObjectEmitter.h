//===- ObjectEmitter.h - LLVM dialect to object code in process -*- C++ -*-===//
#ifndef NNCC_COMPILER_TARGETS_CPU_OBJECTEMITTER_H
#define NNCC_COMPILER_TARGETS_CPU_OBJECTEMITTER_H

#include "compiler/targets/cpu/CpuDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <string>

namespace nncc {
/// Translates to LLVM IR for `cpu` and gives every function except the
/// `<prefix>_*` entry points internal linkage (so two models link into one
/// program).
std::unique_ptr<llvm::Module> translateToLLVM(mlir::ModuleOp module,
                                              llvm::LLVMContext &context,
                                              llvm::StringRef prefix,
                                              const CpuDescription &cpu,
                                              std::string &error);
/// LLVM's O3 pipeline for `cpu`.
bool optimize(llvm::Module &module, const CpuDescription &cpu,
              std::string &error);

enum class CodeKind { Assembly, Object };
/// Code for `cpu`, written to `path` atomically ("-" is stdout).
bool emitCode(llvm::Module &module, CodeKind kind, const std::string &path,
              const CpuDescription &cpu, std::string &error);

} // namespace nncc

#endif // NNCC_COMPILER_TARGETS_CPU_OBJECTEMITTER_H
