//===- Pipeline.cpp - nncc's compilation pipeline, phase by phase ---------===//
#include "compiler/pipeline/Pipeline.h"
#include "compiler/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace nncc;

std::optional<Phase> nncc::parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("ast", Phase::AST)
      .Case("nn", Phase::NN)
      .Case("nn-train", Phase::NNTrain)
      .Case("nn-fused", Phase::NNFused)
      .Case("linalg", Phase::Linalg)
      .Case("bufferized", Phase::Bufferized)
      .Case("llvm-dialect", Phase::LLVMDialect)
      .Case("llvm", Phase::LLVMIR)
      .Case("asm", Phase::Asm)
      .Case("obj", Phase::Object)
      .Case("header", Phase::Header)
      .Default(std::nullopt);
}

static void addCleanups(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

LogicalResult nncc::runPipeline(ModuleOp module, Phase stopAfter,
                                const PipelineOptions &options) {
  PassManager pm(module.getContext());
  if (options.printIRAfterAll || options.printIRBeforeAll) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/
        [&](Pass *, Operation *) { return options.printIRBeforeAll; },
        /*shouldPrintAfterPass=*/
        [&](Pass *, Operation *) { return options.printIRAfterAll; });
  }
  if (stopAfter < Phase::NNTrain)
    return pm.run(module);

  // Reverse mode on the nn level, where every op still has its VJP rule.
  pm.addPass(createNNAutodiff());
  // Shares forward values with the backward pass and drops dead ones.
  addCleanups(pm);
  if (stopAfter < Phase::Linalg)
    return pm.run(module);

  pm.addPass(createNNToLinalg());
  addCleanups(pm);
  if (stopAfter < Phase::Bufferized)
    return pm.run(module);

  // Contractions become register-blocked vector code while still on tensors,
  // where tiling and hoisting need no alias analysis.
  pm.addNestedPass<func::FuncOp>(createNNTileAndVectorize());
  // From here on the caller owns inputs and outputs.
  pm.addPass(createNNExposeABI());
  // Lets fills and matmuls write straight into the destination buffers.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  addCleanups(pm);
  // What was not vectorized becomes loops for LLVM's vectorizer.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createNNPlanMemory());
  pm.addPass(createNNEmitCInterface(NNEmitCInterfaceOptions{options.prefix}));
  addCleanups(pm);
  if (stopAfter < Phase::LLVMDialect)
    return pm.run(module);

  // n-D transfers (accumulator tiles, operand rows) unroll into 1-D vector
  // loads and stores; the default loop form goes through a stack buffer on
  // every access, which is what made the remainder tiles slow.
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  addCleanups(pm);
  return pm.run(module);
}
