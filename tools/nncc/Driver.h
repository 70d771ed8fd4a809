//===- Driver.h - what the nncc subcommands share --------------*- C++ -*-===//
#ifndef NNCC_TOOLS_NNCC_DRIVER_H
#define NNCC_TOOLS_NNCC_DRIVER_H

#include <string>
#include <vector>

namespace nncc {
/// Exit codes: 0 ok, 1 error in the user's model or data, 2 internal error.
enum ExitCode { kExitOk = 0, kExitUserError = 1, kExitInternalError = 2 };

struct CompileRequest {
  std::string input;
  std::string output;       ///< object path (or the --emit output)
  std::string header;       ///< header path, empty: output with .h
  std::string emit = "obj"; ///< phase name
  std::string prefix;       ///< empty: the model name in lower case
  bool printIRAfterAll = false, printIRBeforeAll = false;
  bool printLocations = false; ///< --mlir-print-debuginfo
  bool debugInfo = false;     ///< -g: model.nn lines in the object's debug info
  std::string depfile;        ///< Makefile-style: output depends on imports too
  std::string cpu = "native"; ///< the CPU code is generated for (--cpu)
  bool profile = false;       ///< --profile: time each layer's ops
  std::vector<std::string> llvmArgs; ///< -mllvm (applied already; a key)
  bool timeReport = false;           ///< --time-report: each phase's time
  bool useCache = true;              ///< objects from the compile cache
};

/// Compiles one model; prints diagnostics; returns an ExitCode.
int compileModel(const CompileRequest &request);
/// `nncc MODEL.nn [options]`: parses compileOptions(), then compileModel.
int runCompile(const std::vector<std::string> &args);

/// `nncc summary MODEL.nn [--batch N]`: per-layer table, totals, workspace.
int runSummary(const std::vector<std::string> &args);

/// `nncc train MODEL.nn [trainer flags]`; returns the trainer's exit code.
int runTrain(const char *argv0, const std::vector<std::string> &args);

/// `nncc` alone; what follows an argument error.
std::string shortUsage();
/// `nncc --help` (and --help-hidden: hidden options and LLVM's, for -mllvm).
std::string mainHelp(bool hidden);
/// `nncc summary --help`.
std::string summaryHelp();
/// `nncc --version`: nncc, its commit, its LLVM, the host CPU's features.
std::string versionText();
/// The bash completion script (nncc --print-bash-completion).
std::string bashCompletion();

/// Makes LLVM fatal errors and crashes print an internal-error message that
/// asks for a report, and exit with kExitInternalError.
void installInternalErrorHandlers();
/// `--nncc-internal-error-test=fatal|crash` (hidden): lets the tests check
/// what a bug in nncc looks like to a user.
void triggerInternalErrorForTesting(const std::string &kind);
} // namespace nncc

#endif // NNCC_TOOLS_NNCC_DRIVER_H
