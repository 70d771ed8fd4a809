//===- GraphPrinter.cpp - text dump of a Graph for --emit=ast -------------===//
//
// One line per input, parameter and node, each starting with a keyword, so
// that lit tests can CHECK single lines. Values print as %name, parameters
// by their state_dict name.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"
#include "frontend/Sema.h"

#include <sstream>

namespace nncc {

static const char *kindName(Node::Kind kind) {
  switch (kind) {
  case Node::Kind::Flatten:
    return "Flatten";
  case Node::Kind::Linear:
    return "Linear";
  case Node::Kind::ReLU:
    return "ReLU";
  case Node::Kind::CrossEntropyLoss:
    return "CrossEntropyLoss";
  }
  return "?";
}

static std::string formatLoc(const SourceLoc &loc) {
  return "loc(" + loc.file + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.col) + ")";
}

static std::string formatValue(const Graph &graph, int id) {
  if (id < 0 || id >= static_cast<int>(graph.values.size()))
    return "<none>";
  const Value &value = graph.values[id];
  return "%" + value.name + " : " + formatType(value.type);
}

std::string printGraph(const Graph &graph) {
  std::ostringstream os;
  os << "model " << graph.name << ' ' << formatLoc(graph.loc) << '\n';
  for (const Input &input : graph.inputs)
    os << "  input " << formatValue(graph, input.value) << ' '
       << formatLoc(input.loc) << '\n';
  for (const Parameter &param : graph.params) {
    os << "  param " << param.name << " : [";
    for (size_t i = 0; i < param.shape.size(); ++i)
      os << (i ? ", " : "") << param.shape[i];
    os << "] init=" << initKindName(param.init) << " fan_in=" << param.fanIn
       << " fan_out=" << param.fanOut << (param.frozen ? " frozen" : "")
       << '\n';
  }
  for (const Node &node : graph.nodes) {
    os << "  node " << node.path << " = " << kindName(node.kind) << '(';
    bool first = true;
    for (int operand : node.operands) {
      os << (first ? "" : ", ") << '%' << graph.values[operand].name;
      first = false;
    }
    for (int param : node.params) {
      os << (first ? "" : ", ") << graph.params[param].name;
      first = false;
    }
    os << ") -> " << formatValue(graph, node.result);
    if (!node.intAttrs.empty() || !node.floatAttrs.empty()) {
      os << " {";
      first = true;
      for (const auto &[name, value] : node.intAttrs) {
        os << (first ? "" : ", ") << name << " = " << value;
        first = false;
      }
      for (const auto &[name, value] : node.floatAttrs) {
        os << (first ? "" : ", ") << name << " = " << value;
        first = false;
      }
      os << '}';
    }
    os << ' ' << formatLoc(node.loc) << '\n';
  }
  os << "  output " << formatValue(graph, graph.output) << '\n';
  os << "  loss " << formatValue(graph, graph.loss) << '\n';
  return os.str();
}

} // namespace nncc
