//===- Pipeline.cpp - nncc's compilation pipeline, phase by phase ---------===//
#include "compiler/pipeline/Pipeline.h"
#include "compiler/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace nncc;

/// Every phase --emit can stop after, by name, in pipeline order.
static const std::pair<const char *, Phase> kPhaseNames[] = {
    {"ast", Phase::AST},
    {"nn", Phase::NN},
    {"nn-train", Phase::NNTrain},
    {"nn-fused", Phase::NNFused},
    {"linalg", Phase::Linalg},
    {"bufferized", Phase::Bufferized},
    {"llvm-dialect", Phase::LLVMDialect},
    {"llvm", Phase::LLVMIR},
    {"asm", Phase::Asm},
    {"obj", Phase::Object},
    {"header", Phase::Header},
};

std::optional<Phase> nncc::parsePhase(llvm::StringRef name) {
  for (const auto &[phaseName, phase] : kPhaseNames)
    if (name == phaseName)
      return phase;
  return std::nullopt;
}

std::vector<std::string> nncc::phaseNames() {
  std::vector<std::string> names;
  for (const auto &entry : kPhaseNames)
    names.push_back(entry.first);
  return names;
}

void nncc::addCleanups(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

LogicalResult nncc::runPipeline(ModuleOp module, Phase stopAfter,
                                const PipelineOptions &options) {
  PassManager pm(module.getContext());
  if (options.printIRAfterAll || options.printIRBeforeAll) {
    module.getContext()->disableMultithreading();
    // After every pass, changed or not, as nncc-opt prints: a reader
    // following the pipeline should not wonder where a pass went.
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/
        [&](Pass *, Operation *) { return options.printIRBeforeAll; },
        /*shouldPrintAfterPass=*/
        [&](Pass *, Operation *) { return options.printIRAfterAll; },
        /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false,
        /*printAfterOnlyOnFailure=*/false, llvm::errs(),
        OpPrintingFlags().enableDebugInfo(options.printLocations,
                                          /*prettyForm=*/false));
  }
  mlir::TimingScope passes;
  if (options.timing) {
    passes = options.timing->nest("MLIR passes");
    pm.enableTiming(passes);
  }
  buildPipeline(pm, stopAfter, options);
  return pm.run(module);
}

void nncc::buildPipeline(OpPassManager &pm, Phase stopAfter,
                         const PipelineOptions &options) {
  if (stopAfter < Phase::NNTrain)
    return;

  // Reverse mode on the nn level, where every op still has its VJP rule.
  pm.addPass(createNNAutodiff());
  // Shares forward values with the backward pass and drops dead ones.
  addCleanups(pm);
  if (stopAfter < Phase::NNFused)
    return;

  // Fusion, after autodiff so that fused ops need no gradient rules.
  // ReLU before max pooling runs after it, on a quarter of the elements.
  pm.addNestedPass<func::FuncOp>(createNNFuseReluMaxPool());
  // Marks each op's code as a region, after the cleanups and fusion so that
  // the regions are the ops that run.
  if (options.codegen.profile)
    pm.addPass(createNNProfile());
  if (stopAfter < Phase::Linalg)
    return;

  pm.addPass(createNNToLinalg());
  // Arith ops on whole tensors (num_batches_tracked + 1) become generics.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  addCleanups(pm);
  options.target->buildCodegenPipeline(pm, stopAfter, options.codegen);
}
