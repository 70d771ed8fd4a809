//===- Train.cpp - `nncc train`: compile, link with the runtime, run ------===//
//
// Does what a user would do by hand: compile the model to an object and a
// header, compile a three-line main that hands the header's nncc_model to
// the runtime's generic trainer, link with the C/C++ toolchain, and run the
// program with the remaining flags. The scratch directory is removed after.
//
//===----------------------------------------------------------------------===//
#include "tools/nncc/Driver.h"

#include "nncc/Trainer.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace nncc;

static std::string tool(const char *envName, const char *fallback) {
  if (auto fromEnv = llvm::sys::Process::GetEnv(envName))
    return *fromEnv;
  auto found = llvm::sys::findProgramByName(fallback);
  return found ? *found : std::string();
}

static bool run(const std::vector<std::string> &command, std::string &error) {
  std::vector<llvm::StringRef> argv(command.begin(), command.end());
  int rc = llvm::sys::ExecuteAndWait(command[0], argv, std::nullopt, {}, 0, 0,
                                     &error);
  if (rc != 0 && error.empty())
    error = "'" + command[0] + "' exited with status " + std::to_string(rc);
  return rc == 0;
}

/// The runtime `nncc train` links: NNCC_RUNTIME_LIBRARY and
/// NNCC_RUNTIME_INCLUDE_DIR when set (another runtime build, one being
/// tested); else an installed one next to this executable
/// (<prefix>/bin/nncc: <prefix>/lib, <prefix>/include), so an installed
/// nncc works wherever it was copied; else the build tree it was built in.
static void findRuntime(const char *argv0, std::string &library,
                        std::string &include) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&findRuntime));
  llvm::SmallString<256> binDir(llvm::sys::path::parent_path(exe));
  auto besideExe = [&](const char *relative) {
    llvm::SmallString<256> path(binDir);
    llvm::sys::path::append(path, relative);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    return path.str().str();
  };
  std::string installedLibrary = besideExe(NNCC_RUNTIME_LIBRARY_FROM_BIN);
  std::string installedInclude = besideExe(NNCC_RUNTIME_INCLUDE_DIR_FROM_BIN);
  bool installed = !binDir.empty() && llvm::sys::fs::exists(installedLibrary) &&
                   llvm::sys::fs::exists(installedInclude + "/nncc/train.h");
  library = llvm::sys::Process::GetEnv("NNCC_RUNTIME_LIBRARY")
                .value_or(installed ? installedLibrary : NNCC_RUNTIME_LIBRARY);
  include =
      llvm::sys::Process::GetEnv("NNCC_RUNTIME_INCLUDE_DIR")
          .value_or(installed ? installedInclude : NNCC_RUNTIME_INCLUDE_DIR);
}

/// Parses the trainer's flags here, before anything is compiled, with the
/// runtime's own parser (the one the linked trainer runs), so a typo costs
/// no compile. Returns false after printing the error or the help.
static bool checkTrainFlags(const std::vector<std::string> &args, int &rc) {
  std::vector<std::string> copy{"nncc train"};
  copy.insert(copy.end(), args.begin() + 1, args.end());
  std::vector<char *> argv;
  for (std::string &a : copy)
    argv.push_back(a.data());
  try {
    if (!parseTrainOptions(static_cast<int>(argv.size()), argv.data()).help)
      return true;
    llvm::outs() << trainUsage("nncc train MODEL.nn");
    rc = kExitOk;
  } catch (const std::exception &e) {
    llvm::errs() << "nncc train: error: " << e.what() << "\n";
    rc = kExitUserError;
  }
  return false;
}

int nncc::runTrain(const char *argv0, const std::vector<std::string> &args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    // The trainer's own usage, from the runtime it links, so the two
    // cannot drift apart.
    if (args.empty())
      llvm::errs() << trainUsage("nncc train MODEL.nn");
    else
      llvm::outs() << trainUsage("nncc train MODEL.nn");
    return args.empty() ? kExitUserError : kExitOk;
  }
  if (args[0][0] == '-') {
    llvm::errs() << "nncc train: error: the model file comes first: nncc "
                    "train MODEL.nn [options] (see nncc train --help)\n";
    return kExitUserError;
  }
  int rc = kExitOk;
  if (!checkTrainFlags(args, rc))
    return rc;
  llvm::SmallString<128> dir;
  if (auto ec = llvm::sys::fs::createUniqueDirectory("nncc-train", dir)) {
    llvm::errs() << "nncc: error: cannot create a scratch directory: "
                 << ec.message() << "\n";
    return kExitUserError;
  }
  auto cleanup =
      llvm::make_scope_exit([&] { llvm::sys::fs::remove_directories(dir); });
  auto inDir = [&](const char *name) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    return path.str().str();
  };

  CompileRequest request;
  request.input = args[0];
  request.output = inDir("model.o");
  request.header = inDir("model.h");
  request.prefix = "model";
  // The trainer's --profile reports the regions a profiled build times.
  request.profile = llvm::is_contained(args, "--profile");
  request.useCache = !llvm::is_contained(args, "--no-cache");
  if ((rc = compileModel(request)) != kExitOk)
    return rc;

  std::string error;
  std::string runtimeLibrary, runtimeInclude;
  findRuntime(argv0, runtimeLibrary, runtimeInclude);
  if (!llvm::sys::fs::exists(runtimeLibrary)) {
    llvm::errs() << "nncc: error: the runtime library is missing: "
                 << runtimeLibrary << "\n";
    return kExitUserError;
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream main(inDir("main.c"), ec);
    main << "#include \"model.h\"\n#include <nncc/train.h>\n"
            "int main(int argc, char **argv) {\n"
            "  return nncc_train_main(&model_model, argc, argv);\n}\n";
  }
  std::string cc = tool("CC", "cc"), cxx = tool("CXX", "c++");
  if (cc.empty() || cxx.empty()) {
    llvm::errs() << "nncc: error: `nncc train` needs a C and C++ compiler "
                    "(cc, c++) to link the model\n";
    return kExitUserError;
  }
  std::string trainer = inDir("train");
  if (!run({cc, "-std=c11", "-O2", "-I", dir.str().str(), "-I", runtimeInclude,
            "-c", inDir("main.c"), "-o", inDir("main.o")},
           error) ||
      !run({cxx, inDir("main.o"), inDir("model.o"), runtimeLibrary, "-lz",
            "-lpthread", "-lm", "-o", trainer},
           error)) {
    llvm::errs() << "nncc: error: linking the trainer failed: " << error
                 << "\n";
    return kExitUserError;
  }

  std::vector<llvm::StringRef> argv{"nncc train"};
  for (size_t i = 1; i < args.size(); ++i)
    argv.push_back(args[i]);
  rc = llvm::sys::ExecuteAndWait(trainer, argv, std::nullopt, {}, 0, 0, &error);
  if (rc < 0) {
    llvm::errs() << "nncc: error: the trainer did not run: " << error << "\n";
    return kExitUserError;
  }
  return rc;
}
