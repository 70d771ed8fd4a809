//===- GraphPrinter.cpp - text dump of a Graph for --emit=ast -------------===//
//
// One line per input, parameter, buffer and node, each starting with a
// keyword, so that lit tests can CHECK single lines. Values print as %name,
// parameters and buffers by their state_dict name.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"
#include "frontend/Sema.h"

#include <sstream>

namespace nncc {

const char *nodeKindName(Node::Kind kind) {
  switch (kind) {
  case Node::Kind::Flatten:
    return "Flatten";
  case Node::Kind::Linear:
    return "Linear";
  case Node::Kind::ReLU:
    return "ReLU";
  case Node::Kind::CrossEntropyLoss:
    return "CrossEntropyLoss";
  case Node::Kind::Conv2d:
    return "Conv2d";
  case Node::Kind::BatchNorm:
    return "BatchNorm";
  case Node::Kind::LeakyReLU:
    return "LeakyReLU";
  case Node::Kind::Sigmoid:
    return "Sigmoid";
  case Node::Kind::Tanh:
    return "Tanh";
  case Node::Kind::GELU:
    return "GELU";
  case Node::Kind::SiLU:
    return "SiLU";
  case Node::Kind::MaxPool2d:
    return "MaxPool2d";
  case Node::Kind::AvgPool2d:
    return "AvgPool2d";
  case Node::Kind::AdaptiveAvgPool2d:
    return "AdaptiveAvgPool2d";
  case Node::Kind::Identity:
    return "Identity";
  case Node::Kind::Dropout:
    return "Dropout";
  case Node::Kind::Add:
    return "Add";
  case Node::Kind::Softmax:
    return "Softmax";
  case Node::Kind::LogSoftmax:
    return "LogSoftmax";
  }
  return "?";
}

static std::string formatLoc(const SourceLoc &loc) {
  return "loc(" + loc.file + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.col) + ")";
}

static std::string formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// The init rules taken from `init=` print their `a` or `gain`.
static bool hasInitParam(InitKind init) {
  return init == InitKind::KaimingUniform || init == InitKind::KaimingNormal ||
         init == InitKind::XavierUniform || init == InitKind::XavierNormal;
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
    os << "  param " << param.name << " : " << formatShape(param.shape)
       << " init=" << initKindName(param.init);
    if (hasInitParam(param.init))
      os << " init_param=" << param.initParam;
    os << " fan_in=" << param.fanIn << " fan_out=" << param.fanOut
       << (param.frozen ? " frozen" : "") << '\n';
  }
  for (const Buffer &buffer : graph.buffers)
    os << "  buffer " << buffer.name << " : "
       << (buffer.dtype == DType::F32 ? "f32" : "i64")
       << formatShape(buffer.shape) << " init=" << initKindName(buffer.init)
       << '\n';
  for (const Node &node : graph.nodes) {
    // Functions and '+' applied at the model's top level have no path.
    os << "  node " << (node.path.empty() ? "" : node.path + " ") << "= "
       << nodeKindName(node.kind) << '(';
    bool first = true;
    for (int operand : node.operands) {
      os << (first ? "" : ", ") << '%' << graph.values[operand].name;
      first = false;
    }
    for (int param : node.params) {
      os << (first ? "" : ", ") << graph.params[param].name;
      first = false;
    }
    for (int buffer : node.buffers) {
      os << (first ? "" : ", ") << graph.buffers[buffer].name;
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
