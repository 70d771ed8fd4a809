//===- ExamplesTest.cpp - the reference cnn and resnet8 models ------------===//
//
// examples/cnn.nn and examples/resnet8.nn against the state_dict of their
// PyTorch equivalents (torch 1.13): same names, shapes and order, so that
// checkpoints and golden tests line up. The tables were printed by
//   for k, v in model.state_dict().items(): print(k, list(v.shape))
// for the modules written out in docs/language.md.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

using Shape = std::vector<int64_t>;
constexpr int64_t N = kBatchDim;

struct StateEntry {
  bool isParam; ///< a parameter, or else a buffer
  const char *name;
  Shape shape;
};

const std::vector<StateEntry> kCnnStateDict = {
    {true, "features.0.weight", {32, 1, 3, 3}},
    {true, "features.0.bias", {32}},
    {true, "features.1.weight", {32}},
    {true, "features.1.bias", {32}},
    {false, "features.1.running_mean", {32}},
    {false, "features.1.running_var", {32}},
    {false, "features.1.num_batches_tracked", {}},
    {true, "features.4.weight", {64, 32, 3, 3}},
    {true, "features.4.bias", {64}},
    {true, "features.5.weight", {64}},
    {true, "features.5.bias", {64}},
    {false, "features.5.running_mean", {64}},
    {false, "features.5.running_var", {64}},
    {false, "features.5.num_batches_tracked", {}},
    {true, "classifier.1.weight", {128, 3136}},
    {true, "classifier.1.bias", {128}},
    {true, "classifier.3.weight", {10, 128}},
    {true, "classifier.3.bias", {10}},
};

const std::vector<StateEntry> kResnet8StateDict = {
    {true, "conv1.weight", {16, 1, 3, 3}},
    {true, "bn1.weight", {16}},
    {true, "bn1.bias", {16}},
    {false, "bn1.running_mean", {16}},
    {false, "bn1.running_var", {16}},
    {false, "bn1.num_batches_tracked", {}},
    {true, "layer1.0.conv1.weight", {16, 16, 3, 3}},
    {true, "layer1.0.bn1.weight", {16}},
    {true, "layer1.0.bn1.bias", {16}},
    {false, "layer1.0.bn1.running_mean", {16}},
    {false, "layer1.0.bn1.running_var", {16}},
    {false, "layer1.0.bn1.num_batches_tracked", {}},
    {true, "layer1.0.conv2.weight", {16, 16, 3, 3}},
    {true, "layer1.0.bn2.weight", {16}},
    {true, "layer1.0.bn2.bias", {16}},
    {false, "layer1.0.bn2.running_mean", {16}},
    {false, "layer1.0.bn2.running_var", {16}},
    {false, "layer1.0.bn2.num_batches_tracked", {}},
    {true, "layer2.0.conv1.weight", {32, 16, 3, 3}},
    {true, "layer2.0.bn1.weight", {32}},
    {true, "layer2.0.bn1.bias", {32}},
    {false, "layer2.0.bn1.running_mean", {32}},
    {false, "layer2.0.bn1.running_var", {32}},
    {false, "layer2.0.bn1.num_batches_tracked", {}},
    {true, "layer2.0.conv2.weight", {32, 32, 3, 3}},
    {true, "layer2.0.bn2.weight", {32}},
    {true, "layer2.0.bn2.bias", {32}},
    {false, "layer2.0.bn2.running_mean", {32}},
    {false, "layer2.0.bn2.running_var", {32}},
    {false, "layer2.0.bn2.num_batches_tracked", {}},
    {true, "layer2.0.shortcut.0.weight", {32, 16, 1, 1}},
    {true, "layer2.0.shortcut.1.weight", {32}},
    {true, "layer2.0.shortcut.1.bias", {32}},
    {false, "layer2.0.shortcut.1.running_mean", {32}},
    {false, "layer2.0.shortcut.1.running_var", {32}},
    {false, "layer2.0.shortcut.1.num_batches_tracked", {}},
    {true, "layer3.0.conv1.weight", {64, 32, 3, 3}},
    {true, "layer3.0.bn1.weight", {64}},
    {true, "layer3.0.bn1.bias", {64}},
    {false, "layer3.0.bn1.running_mean", {64}},
    {false, "layer3.0.bn1.running_var", {64}},
    {false, "layer3.0.bn1.num_batches_tracked", {}},
    {true, "layer3.0.conv2.weight", {64, 64, 3, 3}},
    {true, "layer3.0.bn2.weight", {64}},
    {true, "layer3.0.bn2.bias", {64}},
    {false, "layer3.0.bn2.running_mean", {64}},
    {false, "layer3.0.bn2.running_var", {64}},
    {false, "layer3.0.bn2.num_batches_tracked", {}},
    {true, "layer3.0.shortcut.0.weight", {64, 32, 1, 1}},
    {true, "layer3.0.shortcut.1.weight", {64}},
    {true, "layer3.0.shortcut.1.bias", {64}},
    {false, "layer3.0.shortcut.1.running_mean", {64}},
    {false, "layer3.0.shortcut.1.running_var", {64}},
    {false, "layer3.0.shortcut.1.num_batches_tracked", {}},
    {true, "fc.weight", {10, 64}},
    {true, "fc.bias", {10}},
};

std::optional<Graph> loadExample(const char *name, DiagnosticEngine &diags) {
  return loadModel(std::string(NNCC_SOURCE_DIR "/examples/") + name, diags);
}

/// Graph::params and Graph::buffers are the state_dict split in two, each
/// in state_dict order.
void expectStateDict(const Graph &graph,
                     const std::vector<StateEntry> &stateDict) {
  std::vector<std::pair<std::string, Shape>> params, buffers, expectedParams,
      expectedBuffers;
  for (const Parameter &param : graph.params)
    params.push_back({param.name, param.shape});
  for (const Buffer &buffer : graph.buffers)
    buffers.push_back({buffer.name, buffer.shape});
  for (const StateEntry &entry : stateDict)
    (entry.isParam ? expectedParams : expectedBuffers)
        .push_back({entry.name, entry.shape});
  EXPECT_EQ(params, expectedParams);
  EXPECT_EQ(buffers, expectedBuffers);
}

int64_t parameterCount(const Graph &graph) {
  int64_t count = 0;
  for (const Parameter &param : graph.params) {
    int64_t elements = 1;
    for (int64_t dim : param.shape)
      elements *= dim;
    count += elements;
  }
  return count;
}

TEST(CnnExample, StateDictMatchesPyTorch) {
  DiagnosticEngine diags;
  std::optional<Graph> graph = loadExample("cnn.nn", diags);
  ASSERT_TRUE(graph);
  EXPECT_TRUE(diags.diagnostics().empty());
  expectStateDict(*graph, kCnnStateDict);
  EXPECT_EQ(graph->params.size(), 12u);
  EXPECT_EQ(graph->buffers.size(), 6u);
  EXPECT_EQ(parameterCount(*graph), 421834);
}

TEST(CnnExample, NodesAndShapes) {
  DiagnosticEngine diags;
  std::optional<Graph> graph = loadExample("cnn.nn", diags);
  ASSERT_TRUE(graph);
  using K = Node::Kind;
  std::vector<std::pair<K, Shape>> expected = {
      {K::Conv2d, {N, 32, 28, 28}},
      {K::BatchNorm, {N, 32, 28, 28}},
      {K::ReLU, {N, 32, 28, 28}},
      {K::MaxPool2d, {N, 32, 14, 14}},
      {K::Conv2d, {N, 64, 14, 14}},
      {K::BatchNorm, {N, 64, 14, 14}},
      {K::ReLU, {N, 64, 14, 14}},
      {K::MaxPool2d, {N, 64, 7, 7}},
      {K::Flatten, {N, 3136}},
      {K::Linear, {N, 128}},
      {K::ReLU, {N, 128}},
      {K::Linear, {N, 10}},
      {K::CrossEntropyLoss, Shape{}},
  };
  ASSERT_EQ(graph->nodes.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Node &node = graph->nodes[i];
    EXPECT_EQ(node.kind, expected[i].first) << i;
    EXPECT_EQ(graph->values[node.result].type.shape, expected[i].second) << i;
  }
  EXPECT_EQ(graph->nodes[0].path, "features.0");
  EXPECT_EQ(graph->nodes[0].intAttrs.at("pad_h"), 1);
  EXPECT_EQ(graph->nodes[1].buffers, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(graph->nodes[5].params, (std::vector<int>{6, 7}));
  EXPECT_EQ(graph->nodes[8].path, "classifier.0");
  EXPECT_EQ(graph->values[graph->output].name, "logits");
}

TEST(Resnet8Example, StateDictMatchesPyTorch) {
  DiagnosticEngine diags;
  std::optional<Graph> graph = loadExample("resnet8.nn", diags);
  ASSERT_TRUE(graph);
  EXPECT_TRUE(diags.diagnostics().empty());
  expectStateDict(*graph, kResnet8StateDict);
  EXPECT_EQ(graph->params.size(), 29u);
  EXPECT_EQ(graph->buffers.size(), 27u);
  EXPECT_EQ(parameterCount(*graph), 77754);
}

TEST(Resnet8Example, ResidualStructure) {
  DiagnosticEngine diags;
  std::optional<Graph> graph = loadExample("resnet8.nn", diags);
  ASSERT_TRUE(graph);
  std::vector<const Node *> adds;
  for (const Node &node : graph->nodes)
    if (node.kind == Node::Kind::Add)
      adds.push_back(&node);
  ASSERT_EQ(adds.size(), 3u);
  EXPECT_EQ(adds[0]->path, "layer1.0");
  EXPECT_EQ(graph->values[adds[0]->result].type.shape, (Shape{N, 16, 28, 28}));
  EXPECT_EQ(graph->values[adds[1]->result].type.shape, (Shape{N, 32, 14, 14}));
  EXPECT_EQ(graph->values[adds[2]->result].type.shape, (Shape{N, 64, 7, 7}));
  // layer1 keeps the shape: its shortcut is the identity on the input.
  const Node &identity = *producer(*graph, "layer1.0.shortcut.out");
  EXPECT_EQ(identity.kind, Node::Kind::Identity);
  // layer2 projects: 1x1 convolution with stride 2, then batch norm.
  const Node &projection = *producer(*graph, "layer2.0.shortcut.0.out");
  EXPECT_EQ(projection.kind, Node::Kind::Conv2d);
  EXPECT_EQ(projection.intAttrs.at("stride_h"), 2);
  EXPECT_EQ(graph->params[projection.params[0]].shape, (Shape{32, 16, 1, 1}));
  const Node &pool = *producer(*graph, "avgpool.out");
  EXPECT_EQ(pool.kind, Node::Kind::AdaptiveAvgPool2d);
  EXPECT_EQ(graph->values[pool.result].type.shape, (Shape{N, 64, 1, 1}));
  EXPECT_EQ(graph->values[graph->output].type.shape, (Shape{N, 10}));
  EXPECT_EQ(graph->nodes.size(), 3 + 8 + 9 + 9 + 4u);
}

} // namespace
