//===- CpuTarget.cpp - nncc's CPU back end --------------------------------===//
#include "compiler/targets/cpu/CpuTarget.h"
#include "compiler/Passes.h"
#include "compiler/pipeline/AtomicFile.h"
#include "compiler/targets/cpu/ObjectEmitter.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace nncc;

void CpuTarget::buildCodegenPipeline(OpPassManager &pm, Phase stopAfter,
                                     const CodegenOptions &options) const {
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
  tiles.vectorWidth = cpu_.f32Lanes();
  tiles.accumulators = cpu_.vectorRegisters * 3 / 4;
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

bool CpuTarget::emit(ModuleOp module, Phase phase, const std::string &path,
                     const CodegenOptions &options, std::string &error,
                     bool &internal) const {
  internal = false;
  // Each step's wall time, for --time-report.
  auto step = [&](const char *name) {
    return options.timing ? options.timing->nest(name) : mlir::TimingScope();
  };
  llvm::LLVMContext context;
  mlir::TimingScope translation = step("LLVM: translation to LLVM IR");
  auto llvmModule =
      translateToLLVM(module, context, options.prefix, cpu_, error);
  translation.stop();
  mlir::TimingScope o3 = step("LLVM: O3");
  if (!llvmModule || !optimize(*llvmModule, cpu_, error)) {
    internal = true;
    return false;
  }
  o3.stop();
  mlir::TimingScope codegen = step("LLVM: code generation");
  if (phase == Phase::LLVMIR)
    return writeFileAtomically(
        path,
        [&](llvm::raw_ostream &os) {
          llvmModule->print(os, nullptr);
          return true;
        },
        error);
  if (phase != Phase::Asm && phase != Phase::Object) {
    error = "the CPU target emits LLVM IR, assembly or an object";
    internal = true;
    return false;
  }
  return emitCode(*llvmModule,
                  phase == Phase::Asm ? CodeKind::Assembly : CodeKind::Object,
                  path, cpu_, error);
}

std::string CpuTarget::fingerprint() const {
  std::string text = "cpu " + cpu_.triple + " " + cpu_.cpu;
  for (const std::string &feature : cpu_.features)
    text += " " + feature;
  return text + " vector " + std::to_string(cpu_.vectorBits) + "x" +
         std::to_string(cpu_.vectorRegisters) + " l1 " +
         std::to_string(cpu_.l1DataBytes) + " l2 " +
         std::to_string(cpu_.l2Bytes);
}

Target::~Target() = default;

std::unique_ptr<Target> nncc::createTarget(const std::string &cpu,
                                           std::string &error) {
  std::optional<CpuDescription> description = CpuDescription::named(cpu, error);
  if (!description)
    return nullptr;
  return std::make_unique<CpuTarget>(std::move(*description));
}

std::unique_ptr<Target> nncc::createHostTarget() {
  return std::make_unique<CpuTarget>(CpuDescription::host());
}
