//===- InternalErrors.cpp - bugs in nncc end with exit code 2 -------------===//
//
// A user's mistake is exit code 1 with a diagnostic; anything else that
// stops nncc is a bug in nncc and must say so: LLVM's fatal errors and
// crashes (signals) print that this is an internal error, ask for a report
// with the model, print the stack, and exit with 2, never with a bare
// assertion message or a signal's status.
//
//===----------------------------------------------------------------------===//
#include "tools/nncc/Driver.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <unistd.h>

namespace {

constexpr const char *kReportRequest =
    "this is a bug in nncc, not in your model; please report it with the "
    "model file, the command line and this message\n";

void fatalErrorHandler(void *, const char *reason, bool) {
  // Only async-signal-safe-ish work: this may run deep inside LLVM.
  llvm::errs() << "nncc: internal error: " << reason << "\n" << kReportRequest;
  llvm::errs().flush();
  llvm::sys::RunInterruptHandlers();
  std::_Exit(nncc::kExitInternalError);
}

/// Runs after LLVM has printed the stack dump for a crash signal.
void exitAfterCrash(void *) { _exit(nncc::kExitInternalError); }

} // namespace

void nncc::installInternalErrorHandlers() {
  llvm::setBugReportMsg("nncc: internal error: nncc crashed. This is a bug in "
                        "nncc, not in your model; please report it with the "
                        "model file, the command line and the stack dump "
                        "below.\n");
  llvm::install_fatal_error_handler(fatalErrorHandler);
  llvm::sys::AddSignalHandler(exitAfterCrash, nullptr);
}

void nncc::triggerInternalErrorForTesting(const std::string &kind) {
  if (kind == "fatal")
    llvm::report_fatal_error("internal error requested by "
                             "--nncc-internal-error-test");
  if (kind == "crash") {
    volatile int *null = nullptr;
    *null = 1; // a deliberate segfault
  }
}
