//===- FrontendTestUtil.h - helpers for frontend unit tests -----*- C++ -*-===//
//
// Tests compare diagnostics as compact "line:col: severity: message" lines,
// which states both the text and the location in one readable string.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TESTS_UNIT_FRONTEND_FRONTENDTESTUTIL_H
#define NNCC_TESTS_UNIT_FRONTEND_FRONTENDTESTUTIL_H

#include "frontend/Frontend.h"

#include <optional>
#include <string>

namespace nncc::test {

struct CheckResult {
  std::optional<Graph> graph;
  DiagnosticEngine diags;
  /// All diagnostics, one "line:col: severity: message" line each.
  std::string text;
};

inline std::string severityName(Severity severity) {
  return severity == Severity::Error     ? "error"
         : severity == Severity::Warning ? "warning"
                                         : "note";
}

inline CheckResult check(const std::string &source) {
  CheckResult result;
  result.graph = checkModelSource("test.nn", source, result.diags);
  for (const Diagnostic &diag : result.diags.diagnostics())
    result.text += std::to_string(diag.loc.line) + ":" +
                   std::to_string(diag.loc.col) + ": " +
                   severityName(diag.severity) + ": " + diag.message + "\n";
  return result;
}

/// Only the first diagnostic, without its trailing newline.
inline std::string firstDiagnostic(const std::string &source) {
  std::string text = check(source).text;
  return text.substr(0, text.find('\n'));
}

/// A valid model whose members and forward block the tests replace.
inline std::string model(const std::string &members,
                         const std::string &forward) {
  return "model M {\n"
         "  input image: f32[N, 1, 28, 28]\n"
         "  input label: i64[N]\n" +
         members + "  forward {\n" + forward + "  }\n}\n";
}

} // namespace nncc::test

#endif // NNCC_TESTS_UNIT_FRONTEND_FRONTENDTESTUTIL_H
