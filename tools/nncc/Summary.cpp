//===- Summary.cpp - `nncc summary`: layers, parameters, FLOPs, memory
//-----===//
//
// The table comes from the checked model; the workspace size is the memory
// plan's own arithmetic, compiled and then folded for the requested batch
// (a probe calling <prefix>_workspace_size with a constant, inlined), so it is
// exactly what the generated header's function returns.
//
//===----------------------------------------------------------------------===//
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/Pipeline.h"
#include "frontend/Frontend.h"
#include "tools/nncc/Driver.h"
#include "tools/nncc/Options.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <iostream>

using namespace mlir;
using namespace nncc;

/// Bytes of workspace the compiled model asks for at `batch` with an
/// execution context of `threads`, or -1.
static int64_t workspaceBytes(const Graph &graph, int64_t batch,
                              int32_t threads) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  OwningOpRef<ModuleOp> module = emitNNModule(context, graph);
  PipelineOptions options;
  options.codegen.prefix = "model";
  if (failed(runPipeline(*module, Phase::Bufferized, options)))
    return -1;
  OpBuilder b = OpBuilder::atBlockEnd(module->getBody());
  Location loc = module->getLoc();
  auto probe = b.create<func::FuncOp>(loc, "nncc_summary_workspace",
                                      b.getFunctionType({}, {b.getI64Type()}));
  b.setInsertionPointToStart(probe.addEntryBlock());
  mlir::Value n = b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(batch));
  mlir::Value t =
      b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(threads));
  mlir::Value bytes = b.create<func::CallOp>(loc, "model_workspace_size",
                                             b.getI64Type(), ValueRange{n, t})
                          .getResult(0);
  b.create<func::ReturnOp>(loc, bytes);
  PassManager pm(&context);
  pm.addPass(createInlinerPass());
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(*module)))
    return -1;
  auto ret = cast<func::ReturnOp>(probe.getBody().front().getTerminator());
  if (auto c = ret.getOperand(0).getDefiningOp<arith::ConstantOp>())
    return cast<IntegerAttr>(c.getValue()).getInt();
  return -1;
}

/// "1.8 KiB", "71.0 MiB": one decimal in the largest unit that fits.
static std::string humanBytes(int64_t bytes) {
  const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%lld bytes", (long long)bytes);
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

int nncc::runSummary(const std::vector<std::string> &args) {
  std::string error;
  std::optional<ParsedArgs> parsed = parseArgs(args, summaryOptions(), error);
  if (parsed && parsed->has("help")) {
    llvm::outs() << summaryHelp();
    return kExitOk;
  }
  if (parsed && parsed->positionals.size() != 1)
    error = parsed->positionals.empty() ? "no model file given"
                                        : "one model file at a time";
  int64_t batch = 64;
  if (parsed && error.empty()) {
    std::string text = parsed->get("batch", "64");
    char *end = nullptr;
    batch = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end || batch < 1)
      error = "--batch expects a positive integer, got '" + text + "'";
  }
  if (!error.empty()) {
    llvm::errs() << "nncc summary: error: " << error
                 << "\nusage: nncc summary MODEL.nn [--batch N]\n";
    return kExitUserError;
  }
  const std::string &path = parsed->positionals[0];
  DiagnosticEngine diags;
  std::optional<Graph> graph = loadModel(path, diags);
  diags.print(std::cerr);
  if (!graph)
    return kExitUserError;
  std::cout << summarizeGraph(*graph, batch);
  int64_t bytes = workspaceBytes(*graph, batch, 1);
  int64_t perThread = workspaceBytes(*graph, batch, 2) - bytes;
  if (bytes < 0 || perThread < 0) {
    llvm::errs() << "nncc: internal error: the workspace size did not fold; "
                    "please report this with your model\n";
    return kExitInternalError;
  }
  std::cout << "workspace at batch " << batch << ": " << bytes << " bytes ("
            << humanBytes(bytes) << ") on 1 thread, " << perThread << " bytes ("
            << humanBytes(perThread) << ") more for each further thread\n";
  return kExitOk;
}
