//===- nncc.cpp - the nncc driver: subcommands, usage and help ------------===//
//
//   nncc model.nn -o model.o        object + model.h       (Compile.cpp)
//   nncc model.nn --emit=PHASE      print one stage (ast, nn, nn-train, ...)
//   nncc train model.nn [flags]     compile, link with the runtime, train
//   nncc summary model.nn           layers, parameters, FLOPs, workspace
//   nncc help [subcommand]
//
//===----------------------------------------------------------------------===//
#include "tools/nncc/Driver.h"
#include "tools/nncc/Options.h"

#include "nncc/Trainer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace nncc;

static const char *const kSubcommands[] = {"train", "summary", "help"};

static const char *const kUsage =
    "usage: nncc MODEL.nn -o MODEL.o         compile: an object file and a "
    "C header\n"
    "       nncc train MODEL.nn --data ...   compile, link with the runtime "
    "and train\n"
    "       nncc summary MODEL.nn            layers, parameters, FLOPs, "
    "workspace\n";

std::string nncc::shortUsage() {
  return std::string(kUsage) +
         "run 'nncc --help' for the compiler's options and 'nncc help train' "
         "for the trainer's;\ndocs/compiler.md and docs/training.md say "
         "more\n";
}

std::string nncc::mainHelp(bool hidden) {
  std::string text =
      "OVERVIEW: nncc, an ahead-of-time compiler for neural-network "
      "training\n\n" +
      std::string(kUsage) +
      "       nncc help [train|summary]        the trainer's or the "
      "summary's options\n" +
      formatOptions(compileOptions(), hidden);
  if (!hidden)
    return text;
  // Every option LLVM registered, reachable through -mllvm, by name.
  std::vector<std::pair<std::string, llvm::cl::Option *>> options;
  for (const auto &entry : llvm::cl::getRegisteredOptions())
    if (entry.getValue()->getOptionHiddenFlag() != llvm::cl::ReallyHidden)
      options.emplace_back(entry.getKey().str(), entry.getValue());
  std::sort(options.begin(), options.end());
  std::string llvmHelp;
  llvm::raw_string_ostream os(llvmHelp);
  for (const auto &[name, opt] : options) {
    os << "  -mllvm -" << name;
    os << std::string(std::max<int>(2, 34 - static_cast<int>(name.size())), ' ')
       << opt->HelpStr << "\n";
  }
  return text + "\nLLVM options (pass each as -mllvm -OPTION[=VALUE]):\n" +
         os.str();
}

std::string nncc::summaryHelp() {
  return "usage: nncc summary MODEL.nn [--batch N]\n\n"
         "The checked model as a table: each layer's type, output shape, "
         "parameters\nand forward FLOPs; totals, the training step's FLOPs, "
         "and the workspace the\ncompiled training step needs at that batch "
         "size.\n" +
         formatOptions(summaryOptions(), false);
}

/// `nncc help [subcommand]`.
static int runHelp(const char *argv0, const std::vector<std::string> &args) {
  if (args.empty()) {
    llvm::outs() << mainHelp(false);
    return kExitOk;
  }
  if (args[0] == "train")
    return runTrain(argv0, {"--help"});
  if (args[0] == "summary")
    return runSummary({"--help"});
  llvm::errs() << "nncc: error: no help for '" << args[0]
               << "': the subcommands are train and summary\n";
  return kExitUserError;
}

/// A first argument that is neither a flag nor a file but close to a
/// subcommand's name is a typo (`nncc trian model.nn`), not a model.
static bool isMistypedSubcommand(const std::string &arg) {
  if (arg.empty() || arg[0] == '-' || llvm::sys::fs::exists(arg) ||
      llvm::StringRef(arg).ends_with(".nn"))
    return false;
  for (const char *sub : kSubcommands)
    if (llvm::StringRef(arg).edit_distance(sub) <= 2) {
      llvm::errs() << "nncc: error: unknown subcommand '" << arg
                   << "'; did you mean '" << sub << "'?\n";
      return true;
    }
  return false;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  installInternalErrorHandlers();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    llvm::errs() << shortUsage();
    return kExitUserError;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "train")
    return runTrain(argv[0], rest);
  if (args[0] == "summary")
    return runSummary(rest);
  if (args[0] == "help")
    return runHelp(argv[0], rest);
  if (isMistypedSubcommand(args[0]))
    return kExitUserError;
  return runCompile(args);
}
