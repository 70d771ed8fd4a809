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
#include "mlir/Target/LLVMIR/Dialect/All.h"

void nncc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<nn::NNDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void nncc::registerAllPasses() {
  mlir::registerAllPasses();
  registerNNCCPasses();
}
