//===- Pipeline.h - nncc's compilation pipeline, phase by phase -*- C++ -*-===//
//
// A library function, not code in main: the driver and the tests run the same
// pipeline and may stop after any phase (`nncc --emit=<phase>`).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_PIPELINE_PIPELINE_H
#define NNCC_COMPILER_PIPELINE_PIPELINE_H

#include "compiler/pipeline/Phase.h"
#include "compiler/targets/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

std::optional<Phase> parsePhase(llvm::StringRef name);
/// The names parsePhase accepts, in pipeline order ("ast", ..., "header").
std::vector<std::string> phaseNames();

struct PipelineOptions {
  /// What the back half generates code for; the host's CPU by default.
  std::shared_ptr<const Target> target = createHostTarget();
  /// Prefix, profiling, debug info: passed on to the target.
  CodegenOptions codegen;
  bool printIRAfterAll = false;
  bool printIRBeforeAll = false;
  /// Dumps show each op's location (`loc("model.nn":8:5)`).
  bool printLocations = false;
  /// Where each pass reports its wall time (--time-report); none if null.
  mlir::TimingScope *timing = nullptr;
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
