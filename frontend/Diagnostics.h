//===- Diagnostics.h - user-facing errors, warnings and notes ---*- C++ -*-===//
//
// Every stage of the frontend reports problems in the user's model through a
// DiagnosticEngine, which keeps them in order and prints them the way LLVM
// tools do: "file:line:col: error: message", the source line, and a caret.
// Errors never throw: the frontend keeps going to report independent errors
// in one run, so callers check errorCount() at the end.
//
// A block's body is checked once per instance, so the same mistake can be
// found several times: an error or warning identical to an earlier one (same
// place, same text) is dropped, and each one reported inside an instance is
// followed by notes naming the instance ("in 'layer2.0' = BasicBlock(16, 32,
// stride=2)"), as clang does for template instantiations.
//
// Each report also records the frontend source line that made it (the
// caller's __builtin_FILE/__builtin_LINE, a default argument): with
// NNCC_DIAG_SITES=path in the environment the engine appends the sites it
// reached to `path` when it is destroyed, so that
// scripts/diagnostic_coverage.py can check that the tests reach every
// diagnostic the frontend can produce.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_DIAGNOSTICS_H
#define NNCC_FRONTEND_DIAGNOSTICS_H

#include "frontend/Graph.h"

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace nncc {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity;
  SourceLoc loc;
  std::string message;
};

class DiagnosticEngine {
public:
  /// Past this many errors further ones are dropped, so that a garbage input
  /// (or a fuzzer) cannot make the frontend print megabytes of errors.
  static constexpr unsigned kErrorLimit = 50;
  /// Context notes shown per diagnostic; deeper stacks show both ends.
  static constexpr size_t kContextLimit = 10;

  /// Registers the text of `file` so that print() can show source lines.
  void addSource(const std::string &file, std::string text);
  /// `site` and `siteLine` name the frontend code reporting; a helper that
  /// reports for its callers takes and forwards them too.
  void report(Severity severity, const SourceLoc &loc, std::string message,
              const char *site = __builtin_FILE(),
              unsigned siteLine = __builtin_LINE());

  void error(const SourceLoc &loc, std::string message,
             const char *site = __builtin_FILE(),
             unsigned siteLine = __builtin_LINE()) {
    report(Severity::Error, loc, std::move(message), site, siteLine);
  }
  void warning(const SourceLoc &loc, std::string message,
               const char *site = __builtin_FILE(),
               unsigned siteLine = __builtin_LINE()) {
    report(Severity::Warning, loc, std::move(message), site, siteLine);
  }
  void note(const SourceLoc &loc, std::string message,
            const char *site = __builtin_FILE(),
            unsigned siteLine = __builtin_LINE()) {
    report(Severity::Note, loc, std::move(message), site, siteLine);
  }

  /// Appends the sites reached ("Parser.cpp:36", one a line) to the file
  /// named by NNCC_DIAG_SITES, if set.
  ~DiagnosticEngine();

  /// While a context is pushed, every error and warning is followed by a
  /// note at `loc` saying `message`, innermost context first.
  void pushContext(const SourceLoc &loc, std::string message) {
    contexts.push_back({Severity::Note, loc, std::move(message)});
  }
  void popContext() { contexts.pop_back(); }

  unsigned errorCount() const { return numErrors; }
  /// Errors reported so far, counting those dropped as duplicates or past
  /// the limit: whether a check found a problem.
  unsigned errorReports() const { return numErrorReports; }
  unsigned warningCount() const { return numWarnings; }
  bool reachedErrorLimit() const { return numErrors >= kErrorLimit; }
  const std::vector<Diagnostic> &diagnostics() const { return diags; }

  void print(std::ostream &os) const;

private:
  bool isDuplicate(Severity severity, const SourceLoc &loc,
                   const std::string &message);

  struct Source {
    std::string text;
    std::vector<size_t> lineStarts; ///< offset of each line, so printing
                                    ///< many diagnostics stays linear
  };

  std::vector<Diagnostic> diags;
  std::vector<Diagnostic> contexts;
  std::set<std::tuple<bool, std::string, unsigned, unsigned, std::string>>
      reported;
  std::map<std::string, Source> sources;
  /// "File.cpp:line" of each report that was kept.
  std::set<std::string> sitesReached;
  unsigned numErrors = 0;
  unsigned numErrorReports = 0;
  unsigned numWarnings = 0;
  /// Notes belong to the diagnostic before them; drop them along with it.
  bool droppedLast = false;
};

} // namespace nncc

#endif // NNCC_FRONTEND_DIAGNOSTICS_H
