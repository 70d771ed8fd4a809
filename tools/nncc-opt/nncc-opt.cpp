//===- nncc-opt.cpp - run nncc passes one at a time (for lit)
//--------------===//
#include "compiler/pipeline/Pipeline.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  nncc::registerAllDialects(registry);
  nncc::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nncc pass driver\n", registry));
}
