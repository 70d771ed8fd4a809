//===- Summary.cpp - torchsummary-like table of a checked model
//------------===//
//
// FLOPs count a multiply-add as two, for the forward pass of one batch; the
// backward pass of a layer with parameters costs about twice its forward.
//
//===----------------------------------------------------------------------===//
#include "frontend/Frontend.h"

#include <cstdio>
#include <sstream>

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
     << "forward FLOPs per batch: " << totalFlops
     << "; a training step costs about 3x that\n";
  return os.str();
}

} // namespace nncc
