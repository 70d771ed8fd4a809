//===- Pipeline.cpp - nncc's compilation pipeline, phase by phase ---------===//
#include "compiler/pipeline/Pipeline.h"
#include "compiler/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
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

static void addCleanups(OpPassManager &pm) {
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
  // Marks each op's code as a region, after the cleanups so that the
  // regions are the ops that run.
  if (options.profile)
    pm.addPass(createNNProfile());
  if (stopAfter < Phase::Linalg)
    return;

  pm.addPass(createNNToLinalg());
  // Arith ops on whole tensors (num_batches_tracked + 1) become generics.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  addCleanups(pm);
  if (stopAfter < Phase::Bufferized)
    return;

  // Chains of elementwise ops become one loop nest: one pass over memory
  // instead of one per op.
  pm.addNestedPass<func::FuncOp>(createNNFuseElementwise());
  // Their innermost loop runs over all of an image's contiguous elements,
  // not one row of 14 or 28.
  pm.addNestedPass<func::FuncOp>(createNNCollapseDims());
  // Ops that run over the batch in parallel split into chunks, which run on
  // the caller's threads (nn-parallel-loops, after bufferization).
  pm.addNestedPass<func::FuncOp>(createNNBatchParallel());
  // Folds the chunks' index arithmetic, so that bufferization sees each
  // chunk read and write the same slice and works in place.
  addCleanups(pm);
  // Contractions become register-blocked vector code while still on tensors,
  // where tiling and hoisting need no alias analysis; the register tile is
  // the target's: three quarters of its vector registers hold the output
  // tile (24 of AVX-512's 32, 12 of AVX2's 16), at least three rows of it.
  NNTileAndVectorizeOptions tiles;
  tiles.vectorWidth = options.target.f32Lanes();
  tiles.accumulators = options.target.vectorRegisters * 3 / 4;
  tiles.registerCols = tiles.vectorWidth * (tiles.accumulators / 3);
  pm.addNestedPass<func::FuncOp>(createNNTileAndVectorize(tiles));
  // From here on the caller owns inputs and outputs.
  pm.addPass(createNNExposeABI());
  // Lets fills and matmuls write straight into the destination buffers.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  // Copies become linalg.copy (then loops): a memref.copy between strided
  // views would lower to a call into MLIR's C runner library, and the object
  // must not depend on anything.
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
    return success();
  };
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  addCleanups(pm);
  // A chunk's in-place result is copied onto itself: a pass over memory for
  // nothing.
  pm.addNestedPass<func::FuncOp>(createNNEraseSelfCopies());
  // Parallel loops run on the caller's threads; their temporaries become
  // per-worker scratch before loop hoisting could share one between workers.
  pm.addPass(createNNParallelLoops());
  // Per-image scratch (im2col columns) is allocated once, outside the batch
  // loop, so the memory plan sees every buffer at the top level.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  // What was not vectorized becomes loops for LLVM's vectorizer.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createNNPlanMemory());
  pm.addPass(createNNEmitCInterface(NNEmitCInterfaceOptions{options.prefix}));
  addCleanups(pm);
  if (stopAfter < Phase::LLVMDialect)
    return;

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
  // What LLVM has no intrinsic for (erf) becomes a libm call.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  addCleanups(pm);
  if (options.debugInfo)
    pm.addPass(LLVM::createDIScopeForLLVMFuncOpPass());
}
