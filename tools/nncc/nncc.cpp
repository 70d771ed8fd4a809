//===- nncc.cpp - the nncc driver -----------------------------------------===//
//
//   nncc model.nn -o model.o        object + model.h
//   nncc model.nn --emit=PHASE      print one stage (ast, nn, nn-train, ...)
//   nncc train model.nn [flags]     compile, link with the runtime, train
//
//===----------------------------------------------------------------------===//
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/target/HeaderGen.h"
#include "compiler/target/ObjectEmitter.h"
#include "frontend/Frontend.h"
#include "tools/nncc/Driver.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <iostream>

using namespace nncc;
namespace cl = llvm::cl;

static std::string defaultPrefix(const std::string &modelName) {
  std::string prefix;
  for (char c : modelName)
    prefix +=
        std::isalnum(static_cast<unsigned char>(c))
            ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
            : '_';
  if (prefix.empty() || std::isdigit(static_cast<unsigned char>(prefix[0])))
    prefix = "model_" + prefix;
  return prefix;
}

static bool writeText(const std::string &path, const std::string &text) {
  std::string error;
  if (!writeFileAtomically(
          path,
          [&](llvm::raw_ostream &os) {
            os << text;
            return true;
          },
          error)) {
    llvm::errs() << "nncc: error: " << error << "\n";
    return false;
  }
  return true;
}

/// loadModel, also collecting the files it reads (the model and every file
/// it imports), so that a build system recompiles when one changes
/// (--depfile).
static std::optional<Graph>
loadModelAndImports(const std::string &path, DiagnosticEngine &diags,
                    std::vector<std::string> &read) {
  SourceReader recordingReader = [&](const std::string &file,
                                     std::string &error) {
    std::optional<std::string> text = readSourceFile(file, error);
    if (text)
      read.push_back(file);
    return text;
  };
  return loadModel(path, diags, recordingReader);
}

/// `target: dep dep ...` as make and ninja read it (spaces escaped).
static bool writeDepfile(const std::string &path, const std::string &target,
                         const std::vector<std::string> &deps) {
  auto escape = [](llvm::StringRef file) {
    llvm::SmallString<256> absolute(file);
    llvm::sys::fs::make_absolute(absolute);
    std::string out;
    for (char c : absolute) {
      if (c == ' ' || c == '#')
        out += '\\';
      else if (c == '$')
        out += '$';
      out += c;
    }
    return out;
  };
  std::string text = escape(target) + ":";
  for (const std::string &dep : deps)
    text += " \\\n  " + escape(dep);
  return writeText(path, text + "\n");
}

int nncc::compileModel(const CompileRequest &request) {
  DiagnosticEngine diags;
  std::vector<std::string> sources;
  std::optional<Graph> graph =
      loadModelAndImports(request.input, diags, sources);
  diags.print(std::cerr);
  if (!graph)
    return kExitUserError;
  std::optional<Phase> phase = parsePhase(request.emit);
  if (!phase) {
    llvm::errs() << "nncc: error: unknown --emit phase '" << request.emit
                 << "'\n";
    return kExitUserError;
  }
  bool toStdout = request.output.empty() && *phase != Phase::Object;
  std::string output = request.output;
  if (output.empty())
    output = toStdout ? "-" : llvm::sys::path::stem(request.input).str() + ".o";
  if (*phase == Phase::AST)
    return writeText(output, printGraph(*graph)) ? kExitOk : kExitUserError;

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  mlir::OwningOpRef<mlir::ModuleOp> module = emitNNModule(context, *graph);
  if (failed(mlir::verify(*module))) {
    llvm::errs() << "nncc: internal error: the nn module does not verify; "
                    "please report this with your model\n";
    return kExitInternalError;
  }
  std::string prefix =
      request.prefix.empty() ? defaultPrefix(graph->name) : request.prefix;
  std::string header = generateHeader(*module, prefix, request.input);
  if (*phase == Phase::Header)
    return writeText(output, header) ? kExitOk : kExitUserError;

  PipelineOptions options;
  options.prefix = prefix;
  options.printIRAfterAll = request.printIRAfterAll;
  options.printIRBeforeAll = request.printIRBeforeAll;
  options.printLocations = request.printLocations;
  options.debugInfo = request.debugInfo;
  if (failed(runPipeline(*module, std::min(*phase, Phase::LLVMDialect),
                         options))) {
    llvm::errs() << "nncc: internal error: the compilation pipeline failed; "
                    "please report this with your model\n";
    return kExitInternalError;
  }
  if (*phase <= Phase::LLVMDialect) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os, mlir::OpPrintingFlags().enableDebugInfo(
                          request.printLocations, /*prettyForm=*/false));
    return writeText(output, text) ? kExitOk : kExitUserError;
  }

  llvm::LLVMContext llvmContext;
  std::string error;
  auto llvmModule = translateAndOptimize(*module, llvmContext, prefix, error);
  if (!llvmModule) {
    llvm::errs() << "nncc: internal error: " << error << "\n";
    return kExitInternalError;
  }
  if (*phase == Phase::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return writeText(output, text) ? kExitOk : kExitUserError;
  }
  CodeKind kind = *phase == Phase::Asm ? CodeKind::Assembly : CodeKind::Object;
  if (!emitCode(*llvmModule, kind, output, error)) {
    llvm::errs() << "nncc: error: " << error << "\n";
    return kExitUserError;
  }
  if (kind == CodeKind::Object) {
    std::string headerPath = request.header;
    if (headerPath.empty()) {
      llvm::SmallString<256> path(output);
      llvm::sys::path::replace_extension(path, ".h");
      headerPath = path.str().str();
    }
    if (!writeText(headerPath, header))
      return kExitUserError;
  }
  if (!request.depfile.empty() &&
      !writeDepfile(request.depfile, output, sources))
    return kExitUserError;
  return kExitOk;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  installInternalErrorHandlers();
  if (argc >= 2 && llvm::StringRef(argv[1]) == "train") {
    std::vector<std::string> args(argv + 2, argv + argc);
    return runTrain(argv[0], args);
  }
  if (argc >= 2 && llvm::StringRef(argv[1]) == "summary")
    return runSummary(std::vector<std::string>(argv + 2, argv + argc));
  cl::opt<std::string> input(cl::Positional, cl::desc("<model.nn>"),
                             cl::Required);
  cl::opt<std::string> output("o", cl::desc("output file"),
                              cl::value_desc("path"));
  cl::opt<std::string> header("header", cl::desc("header path (default: "
                                                 "the object's, with .h)"));
  cl::opt<std::string> emit(
      "emit",
      cl::desc("stop after a phase: ast, nn, nn-train, nn-fused, linalg, "
               "bufferized, llvm-dialect, llvm, asm, obj, header"),
      cl::init("obj"));
  cl::opt<std::string> prefix("prefix",
                              cl::desc("C symbol prefix (default: model "
                                       "name in lower case)"));
  cl::opt<bool> printAfter("mlir-print-ir-after-all",
                           cl::desc("print the IR after every pass"));
  cl::opt<bool> printBefore("mlir-print-ir-before-all",
                            cl::desc("print the IR before every pass"));
  cl::opt<bool> printLocations(
      "mlir-print-debuginfo",
      cl::desc("show each op's location in model.nn in IR dumps"));
  cl::opt<bool> debugInfo(
      "g", cl::desc("emit debug info that points at model.nn's lines"));
  cl::opt<std::string> depfile(
      "depfile",
      cl::desc(
          "also write a Makefile-style dependency file: the output "
          "depends on the model and every file it imports (object output)"),
      cl::value_desc("path"));
  cl::opt<std::string> internalErrorTest(
      "nncc-internal-error-test", cl::Hidden,
      cl::desc("fatal|crash: fail as a bug in nncc would (for tests)"));
  cl::ParseCommandLineOptions(
      argc, argv,
      "nncc: an ahead-of-time compiler for neural-network training\n\n"
      "  nncc model.nn -o model.o          object file and model.h\n"
      "  nncc train model.nn [flags]       compile, link, train (see "
      "`nncc train --help`)\n"
      "  nncc summary model.nn [--batch N] layers, parameters, FLOPs, "
      "workspace\n");
  if (!internalErrorTest.empty())
    triggerInternalErrorForTesting(internalErrorTest);
  CompileRequest request;
  request.input = input;
  request.output = output;
  request.header = header;
  request.emit = emit;
  request.prefix = prefix;
  request.printIRAfterAll = printAfter;
  request.printIRBeforeAll = printBefore;
  request.debugInfo = debugInfo;
  request.printLocations = printLocations;
  request.depfile = depfile;
  return compileModel(request);
}
