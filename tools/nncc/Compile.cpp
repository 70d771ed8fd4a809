//===- Compile.cpp - `nncc MODEL.nn`: compile a model ---------------------===//
//
// The compile command: model.nn to an object file and its C header, or to
// the text of any phase (--emit). Its flags are compileOptions(); LLVM's own
// options arrive through -mllvm.
//
//===----------------------------------------------------------------------===//
#include "compiler/abi/HeaderGen.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/AtomicFile.h"
#include "compiler/pipeline/Pipeline.h"
#include "frontend/Frontend.h"
#include "tools/nncc/CompileCache.h"
#include "tools/nncc/Driver.h"
#include "tools/nncc/Options.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <iostream>

using namespace nncc;

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

/// The cache key of an object: this nncc, the target, the flags that change
/// the object's bytes, and the nn module with its locations (the model,
/// its imports and the standard library, and the lines -g and the profile
/// name).
static std::string objectKey(mlir::ModuleOp module, const Target &target,
                             const CompileRequest &request,
                             const std::string &prefix) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, mlir::OpPrintingFlags().enableDebugInfo(
                       /*enable=*/true, /*prettyForm=*/false));
  std::string llvmArgs;
  for (const std::string &a : request.llvmArgs)
    llvmArgs += a + '\0';
  return CacheKey()
      .add("compiler", CompileCache::compilerIdentity())
      .add("target", target.fingerprint())
      .add("prefix", prefix)
      .add("debug-info", request.debugInfo ? "1" : "0")
      .add("profile", request.profile ? "1" : "0")
      .add("mllvm", llvmArgs)
      .add("module", text)
      .hex();
}

int nncc::compileModel(const CompileRequest &request) {
  // --time-report: each phase's wall time, as a tree on stderr when this
  // function returns.
  mlir::DefaultTimingManager timingManager;
  timingManager.setEnabled(request.timeReport);
  timingManager.setDisplayMode(mlir::DefaultTimingManager::DisplayMode::Tree);
  mlir::TimingScope root = timingManager.getRootScope();
  mlir::TimingScope *timing = request.timeReport ? &root : nullptr;

  DiagnosticEngine diags;
  std::vector<std::string> sources;
  mlir::TimingScope frontendTime = root.nest("frontend (parse and check)");
  std::optional<Graph> graph =
      loadModelAndImports(request.input, diags, sources);
  frontendTime.stop();
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
  mlir::TimingScope mlirgenTime = root.nest("MLIRGen (model to nn dialect)");
  mlir::OwningOpRef<mlir::ModuleOp> module = emitNNModule(context, *graph);
  if (failed(mlir::verify(*module))) {
    llvm::errs() << "nncc: internal error: the nn module does not verify; "
                    "please report this with your model\n";
    return kExitInternalError;
  }
  mlirgenTime.stop();
  std::string prefix =
      request.prefix.empty() ? defaultPrefix(graph->name) : request.prefix;
  std::string targetError;
  std::shared_ptr<const Target> target = createTarget(request.cpu, targetError);
  if (!target) {
    llvm::errs() << "nncc: error: --cpu: " << targetError << "\n";
    return kExitUserError;
  }
  mlir::TimingScope headerTime = root.nest("header");
  std::string header =
      generateHeader(*module, prefix, request.input, *target, request.profile);
  headerTime.stop();
  if (*phase == Phase::Header)
    return writeText(output, header) ? kExitOk : kExitUserError;

  auto finish = [&]() {
    if (*phase == Phase::Object) {
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
  };

  // Objects come from the cache when this nncc has made the same one before;
  // IR dumps ask to watch the compile, so they bypass it.
  std::optional<CompileCache> cache;
  std::string key;
  if (*phase == Phase::Object && request.useCache && output != "-" &&
      !request.printIRAfterAll && !request.printIRBeforeAll) {
    std::string directory = CompileCache::defaultDirectory();
    if (!directory.empty()) {
      mlir::TimingScope lookupTime = root.nest("compile cache lookup");
      cache.emplace(directory, CompileCache::defaultMaxBytes());
      key = objectKey(*module, *target, request, prefix);
      if (std::optional<std::string> object = cache->lookup(key)) {
        if (!writeText(output, *object))
          return kExitUserError;
        return finish();
      }
    }
  }

  PipelineOptions options;
  options.target = target;
  options.codegen.prefix = prefix;
  options.codegen.debugInfo = request.debugInfo;
  options.codegen.profile = request.profile;
  options.codegen.timing = timing;
  options.printIRAfterAll = request.printIRAfterAll;
  options.printIRBeforeAll = request.printIRBeforeAll;
  options.printLocations = request.printLocations;
  options.timing = timing;
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

  std::string error;
  bool internal = false;
  if (!target->emit(*module, *phase, output, options.codegen, error,
                    internal)) {
    llvm::errs() << "nncc: " << (internal ? "internal error: " : "error: ")
                 << error << "\n";
    return internal ? kExitInternalError : kExitUserError;
  }
  if (cache) {
    mlir::TimingScope storeTime = root.nest("compile cache store");
    auto object = llvm::MemoryBuffer::getFile(output, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (object)
      cache->store(key, (*object)->getBuffer());
  }
  return finish();
}

/// Hands the -mllvm arguments to LLVM's option parser, as clang does.
static bool applyLLVMArgs(const std::vector<std::string> &llvmArgs) {
  if (llvmArgs.empty())
    return true;
  std::vector<const char *> argv{"nncc -mllvm"};
  for (const std::string &a : llvmArgs)
    argv.push_back(a.c_str());
  std::string errors;
  llvm::raw_string_ostream os(errors);
  if (llvm::cl::ParseCommandLineOptions(static_cast<int>(argv.size()),
                                        argv.data(), "", &os))
    return true;
  os.flush();
  llvm::errs() << errors;
  return false;
}

int nncc::runCompile(const std::vector<std::string> &args) {
  std::string error;
  std::optional<ParsedArgs> parsed = parseArgs(args, compileOptions(), error);
  if (!parsed) {
    llvm::errs() << "nncc: error: " << error << "\n";
    return kExitUserError;
  }
  if (parsed->has("help") || parsed->has("help-hidden")) {
    llvm::outs() << mainHelp(parsed->has("help-hidden"));
    return kExitOk;
  }
  if (parsed->has("version")) {
    llvm::outs() << versionText();
    return kExitOk;
  }
  if (parsed->has("print-bash-completion")) {
    llvm::outs() << bashCompletion();
    return kExitOk;
  }
  if (parsed->positionals.size() != 1) {
    llvm::errs() << "nncc: error: "
                 << (parsed->positionals.empty()
                         ? std::string("no model file given")
                         : "one model file at a time, got " +
                               std::to_string(parsed->positionals.size()))
                 << "\n"
                 << shortUsage();
    return kExitUserError;
  }
  if (!applyLLVMArgs(parsed->llvmArgs))
    return kExitUserError;
  if (parsed->has("nncc-internal-error-test"))
    triggerInternalErrorForTesting(parsed->get("nncc-internal-error-test"));
  CompileRequest request;
  request.input = parsed->positionals[0];
  request.output = parsed->get("o");
  request.header = parsed->get("header");
  request.emit = parsed->get("emit", "obj");
  request.prefix = parsed->get("prefix");
  request.printIRAfterAll = parsed->has("mlir-print-ir-after-all");
  request.printIRBeforeAll = parsed->has("mlir-print-ir-before-all");
  request.printLocations = parsed->has("mlir-print-debuginfo");
  request.debugInfo = parsed->has("g");
  request.profile = parsed->has("profile");
  request.depfile = parsed->get("depfile");
  request.cpu = parsed->get("cpu", "native");
  request.llvmArgs = parsed->llvmArgs;
  request.timeReport = parsed->has("time-report");
  request.useCache = !parsed->has("no-cache");
  return compileModel(request);
}
