//===- Registration.cpp - dialects, interfaces and passes nncc uses
//--------===//
//
// Upstream registration is all-in: nncc links libMLIR.so whole anyway, and
// bufferization, tiling and value-bounds analyses rely on external interface
// models that are easy to forget one by one.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "compiler/pipeline/Pipeline.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/ErrorHandling.h"

void nncc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<nn::NNDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

namespace {
struct CpuPipelineOptions : mlir::PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> prefix{*this, "prefix", llvm::cl::desc("C symbol prefix"),
                             llvm::cl::init("model")};
  Option<std::string> cpu{*this, "cpu",
                          llvm::cl::desc("the CPU to generate code for "
                                         "(nncc --cpu)"),
                          llvm::cl::init("native")};
};
} // namespace

void nncc::registerAllPasses() {
  mlir::registerAllPasses();
  registerNNCCPasses();
  // The whole CPU pipeline from the nn level to the LLVM dialect, as
  // `nncc --emit=llvm-dialect` runs it.
  mlir::PassPipelineRegistration<CpuPipelineOptions>(
      "nncc-cpu-pipeline", "nn-level module to LLVM dialect (CPU)",
      [](mlir::OpPassManager &pm, const CpuPipelineOptions &opts) {
        PipelineOptions options;
        options.codegen.prefix = opts.prefix;
        std::string error;
        if (std::shared_ptr<const Target> target =
                createTarget(opts.cpu, error))
          options.target = std::move(target);
        else
          llvm::report_fatal_error(llvm::Twine("--nncc-cpu-pipeline: ") +
                                   error);
        buildPipeline(pm, Phase::LLVMDialect, options);
      });
}
