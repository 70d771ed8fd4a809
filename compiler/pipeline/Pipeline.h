//===- Pipeline.h - nncc's compilation pipeline, phase by phase -*- C++ -*-===//
//
// A library function, not code in main: the driver and the tests run the same
// pipeline and may stop after any phase (`nncc --emit=<phase>`).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_PIPELINE_PIPELINE_H
#define NNCC_COMPILER_PIPELINE_PIPELINE_H

#include "compiler/targets/cpu/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>
#include <vector>

namespace nncc {
enum class Phase {
  AST,         ///< the checked model, printed by the frontend
  NN,          ///< nn dialect, forward + loss (MLIRGen)
  NNTrain,     ///< + backward (nn-autodiff)
  NNFused,     ///< + fusion (none yet: same as NNTrain)
  Linalg,      ///< linalg on tensors (nn-to-linalg)
  Bufferized,  ///< tiled, vectorized, bufferized, memory planned, C entries
  LLVMDialect, ///< LLVM dialect
  LLVMIR,      ///< LLVM IR after O3
  Asm,
  Object,
  Header,
};

std::optional<Phase> parsePhase(llvm::StringRef name);
/// The names parsePhase accepts, in pipeline order ("ast", ..., "header").
std::vector<std::string> phaseNames();

struct PipelineOptions {
  std::string prefix = "model"; ///< C symbol prefix, e.g. "mlp"
  bool printIRAfterAll = false;
  bool printIRBeforeAll = false;
  /// Dumps show each op's location (`loc("model.nn":8:5)`).
  bool printLocations = false;
  /// Debug info whose lines are model.nn's (each layer's ops, forward and
  /// backward, keep the layer's location), so profilers and debuggers point
  /// at the model.
  bool debugInfo = false;
  /// The CPU code is generated for: its vector unit sizes the schedules.
  CpuTarget target = CpuTarget::host();
  /// A profiled build (nn-profile): each nn op's code is a region the
  /// execution context's profile hook times.
  bool profile = false;
};

void registerAllDialects(mlir::DialectRegistry &registry);
void registerAllPasses();

/// Adds the passes from the nn level (after MLIRGen) up to and including
/// `stopAfter` (at most Phase::LLVMDialect).
void buildPipeline(mlir::OpPassManager &pm, Phase stopAfter,
                   const PipelineOptions &options);

/// Runs the MLIR part of the pipeline on the module MLIRGen produced, up to
/// and including `stopAfter` (at most Phase::LLVMDialect).
mlir::LogicalResult runPipeline(mlir::ModuleOp module, Phase stopAfter,
                                const PipelineOptions &options);
} // namespace nncc

#endif // NNCC_COMPILER_PIPELINE_PIPELINE_H
