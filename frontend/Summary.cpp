//===- Summary.cpp - torchsummary-like table of a checked model
//------------===//
//
// FLOPs count a multiply-add as two. The forward column is one batch's
// forward pass; the training-step total adds the backward pass autodiff
// builds: a weight gradient for every trained Conv2d/Linear weight and an
// input gradient wherever the input needs one (not for the data), each
// costing a forward; any other op whose input needs a gradient costs about
// its forward again.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"

#include <cstdio>
#include <sstream>
#include <vector>

namespace nncc {

static int64_t numel(const std::vector<int64_t> &shape, int64_t batch) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d == kBatchDim ? batch : d;
  return n;
}

static std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") +
         (shape[i] == kBatchDim ? std::string("N") : std::to_string(shape[i]));
  return s + "]";
}

static int64_t intAttr(const Node &node, const char *key, int64_t dflt) {
  auto it = node.intAttrs.find(key);
  return it == node.intAttrs.end() ? dflt : it->second;
}

/// Forward FLOPs of one node for `batch` samples.
static int64_t flops(const Graph &graph, const Node &node, int64_t batch) {
  int64_t out = numel(graph.values[node.result].type.shape, batch);
  switch (node.kind) {
  case Node::Kind::Linear:
  case Node::Kind::Conv2d: {
    // Each output element is a dot product over weight.numel / out_channels.
    const Parameter &w = graph.params[node.params[0]];
    int64_t perOutput = numel(w.shape, 1) / w.shape[0];
    return 2 * out * perOutput;
  }
  case Node::Kind::MaxPool2d:
  case Node::Kind::AvgPool2d:
    return out * intAttr(node, "kernel_h", 1) * intAttr(node, "kernel_w", 1);
  case Node::Kind::AdaptiveAvgPool2d:
  case Node::Kind::CrossEntropyLoss:
  case Node::Kind::Softmax:
  case Node::Kind::LogSoftmax:
    return 4 * numel(graph.values[node.operands[0]].type.shape, batch);
  case Node::Kind::BatchNorm:
    return 4 * out;
  case Node::Kind::Flatten:
  case Node::Kind::Identity:
    return 0;
  default:
    return out;
  }
}

/// Which values get a gradient in the training step: those that depend on a
/// trained parameter and that the loss depends on (nn-autodiff's activity
/// analysis).
static std::vector<bool> activeValues(const Graph &graph) {
  std::vector<bool> varied(graph.values.size()), useful(graph.values.size());
  for (const Node &node : graph.nodes) {
    bool v = false;
    for (int p : node.params)
      v = v || !graph.params[p].frozen;
    for (int o : node.operands)
      v = v || varied[o];
    varied[node.result] = v;
  }
  if (graph.loss >= 0)
    useful[graph.loss] = true;
  for (auto it = graph.nodes.rbegin(); it != graph.nodes.rend(); ++it)
    if (useful[it->result])
      for (int o : it->operands)
        useful[o] = true;
  std::vector<bool> active(graph.values.size());
  for (size_t i = 0; i < active.size(); ++i)
    active[i] = varied[i] && useful[i];
  return active;
}

/// Backward FLOPs of one node for `batch` samples (see the banner).
static int64_t backwardFlops(const Graph &graph, const Node &node,
                             const std::vector<bool> &active, int64_t batch) {
  if (!active[node.result])
    return 0;
  int64_t forward = flops(graph, node, batch);
  bool inputGrad = false;
  for (int o : node.operands)
    inputGrad = inputGrad || active[o];
  if (node.kind != Node::Kind::Linear && node.kind != Node::Kind::Conv2d)
    return inputGrad ? forward : 0;
  bool weightGrad = !graph.params[node.params[0]].frozen;
  return (weightGrad ? forward : 0) + (inputGrad ? forward : 0);
}

int64_t trainingStepFlops(const Graph &graph, int64_t batch) {
  std::vector<bool> active = activeValues(graph);
  int64_t total = 0;
  for (const Node &node : graph.nodes)
    total +=
        flops(graph, node, batch) + backwardFlops(graph, node, active, batch);
  return total;
}

std::string summarizeGraph(const Graph &graph, int64_t batch) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %-18s %-20s %12s %16s\n", "layer",
                "type", "output shape", "parameters", "FLOPs (fwd)");
  os << "model " << graph.name << ", batch N = " << batch << "\n" << line;
  os << std::string(98, '-') << "\n";
  int64_t totalParams = 0, trainable = 0, totalFlops = 0;
  for (const Node &node : graph.nodes) {
    int64_t params = 0;
    for (int p : node.params)
      params += numel(graph.params[p].shape, 1);
    int64_t f = flops(graph, node, batch);
    totalFlops += f;
    std::snprintf(line, sizeof line, "%-28s %-18s %-20s %12lld %16lld\n",
                  node.path.empty() ? "-" : node.path.c_str(),
                  nodeKindName(node.kind),
                  shapeText(graph.values[node.result].type.shape).c_str(),
                  static_cast<long long>(params), static_cast<long long>(f));
    os << line;
  }
  for (const Parameter &p : graph.params) {
    totalParams += numel(p.shape, 1);
    if (!p.frozen)
      trainable += numel(p.shape, 1);
  }
  int64_t bufferElems = 0;
  for (const Buffer &b : graph.buffers)
    bufferElems += numel(b.shape, 1);
  os << std::string(98, '-') << "\n"
     << "parameters: " << totalParams << " (" << trainable << " trainable, "
     << totalParams - trainable << " frozen), " << totalParams * 4 << " bytes\n"
     << "buffers: " << graph.buffers.size() << " tensors, " << bufferElems
     << " elements\n"
     << "forward FLOPs per batch: " << totalFlops << "\n"
     << "training-step FLOPs per batch: " << trainingStepFlops(graph, batch)
     << " (forward and backward)\n";
  return os.str();
}

} // namespace nncc
