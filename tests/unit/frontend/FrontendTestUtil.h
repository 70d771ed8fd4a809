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
#include <vector>

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

/// A valid model around `stmts`: the forward runs them, then computes a
/// fixed loss, so a test can look at the values they make whatever their
/// shapes. `blocks` come before the model; `members` start on line 4.
inline CheckResult checkValues(const std::string &members,
                               const std::string &stmts,
                               const std::string &blocks = "") {
  return check(blocks + model(members + "  head_ = Linear(784, 10)\n"
                                        "  ce_ = CrossEntropyLoss()\n",
                              stmts + "    logits_ = head_(flatten(image, 1))\n"
                                      "    loss_ = ce_(logits_, label)\n"
                                      "    return logits_\n"
                                      "    minimize loss_\n"));
}

/// The node whose result is named `name`, or null.
inline const Node *producer(const Graph &graph, const std::string &name) {
  for (const Node &node : graph.nodes)
    if (graph.values[node.result].name == name)
      return &node;
  return nullptr;
}

/// The shape of the value named `name`, or {} if there is none.
inline std::vector<int64_t> shapeOf(const Graph &graph,
                                    const std::string &name) {
  for (const Value &value : graph.values)
    if (value.name == name)
      return value.type.shape;
  return {};
}

inline std::vector<std::string> paramNames(const Graph &graph) {
  std::vector<std::string> names;
  for (const Parameter &param : graph.params)
    names.push_back(param.name);
  return names;
}

inline std::vector<std::string> bufferNames(const Graph &graph) {
  std::vector<std::string> names;
  for (const Buffer &buffer : graph.buffers)
    names.push_back(buffer.name);
  return names;
}

} // namespace nncc::test

#endif // NNCC_TESTS_UNIT_FRONTEND_FRONTENDTESTUTIL_H
