//===- GraphTest.cpp - the Graph built for valid models -------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

std::vector<int64_t> shape(std::initializer_list<int64_t> dims) { return dims; }

class MlpExample : public ::testing::Test {
protected:
  void SetUp() override {
    graph = loadModel(kPath, diags);
    ASSERT_TRUE(graph);
    ASSERT_TRUE(diags.diagnostics().empty());
  }
  static constexpr const char *kPath = NNCC_SOURCE_DIR "/examples/mlp.nn";
  DiagnosticEngine diags;
  std::optional<Graph> graph;
};

TEST_F(MlpExample, Inputs) {
  EXPECT_EQ(graph->name, "MLP");
  ASSERT_EQ(graph->inputs.size(), 2u);
  const Input &image = graph->inputs[0];
  EXPECT_EQ(image.name, "image");
  EXPECT_EQ(graph->values[image.value].type.dtype, DType::F32);
  EXPECT_EQ(graph->values[image.value].type.shape,
            shape({kBatchDim, 1, 28, 28}));
  EXPECT_EQ(image.loc.line, 3u);
  EXPECT_EQ(image.loc.col, 9u);
  const Input &label = graph->inputs[1];
  EXPECT_EQ(label.name, "label");
  EXPECT_EQ(graph->values[label.value].type.dtype, DType::I64);
  EXPECT_EQ(graph->values[label.value].type.shape, shape({kBatchDim}));
}

TEST_F(MlpExample, ParametersInStateDictOrder) {
  struct Expected {
    const char *name;
    std::vector<int64_t> shape;
    InitKind init;
    int64_t fanIn, fanOut;
  };
  std::vector<Expected> expected = {
      {"layers.1.weight", {256, 784}, InitKind::KaimingUniformA5, 784, 256},
      {"layers.1.bias", {256}, InitKind::UniformFanIn, 784, 256},
      {"layers.3.weight", {128, 256}, InitKind::KaimingUniformA5, 256, 128},
      {"layers.3.bias", {128}, InitKind::UniformFanIn, 256, 128},
      {"layers.5.weight", {10, 128}, InitKind::KaimingUniformA5, 128, 10},
      {"layers.5.bias", {10}, InitKind::UniformFanIn, 128, 10},
  };
  ASSERT_EQ(graph->params.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Parameter &param = graph->params[i];
    EXPECT_EQ(param.name, expected[i].name);
    EXPECT_EQ(param.shape, expected[i].shape) << param.name;
    EXPECT_EQ(param.init, expected[i].init) << param.name;
    EXPECT_EQ(param.fanIn, expected[i].fanIn) << param.name;
    EXPECT_EQ(param.fanOut, expected[i].fanOut) << param.name;
    EXPECT_FALSE(param.frozen);
  }
  EXPECT_EQ(graph->params[0].loc.line, 8u);
  EXPECT_EQ(graph->params[0].loc.col, 5u);
}

TEST_F(MlpExample, NodesOnePerLayer) {
  using K = Node::Kind;
  std::vector<std::pair<K, std::string>> expected = {
      {K::Flatten, "layers.0"},
      {K::Linear, "layers.1"},
      {K::ReLU, "layers.2"},
      {K::Linear, "layers.3"},
      {K::ReLU, "layers.4"},
      {K::Linear, "layers.5"},
      {K::CrossEntropyLoss, "criterion"}};
  ASSERT_EQ(graph->nodes.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(graph->nodes[i].kind, expected[i].first);
    EXPECT_EQ(graph->nodes[i].path, expected[i].second);
  }
  // Each node consumes the previous one's result: topological order.
  EXPECT_EQ(graph->nodes[0].operands, std::vector<int>{graph->inputs[0].value});
  for (size_t i = 1; i < 6; ++i)
    EXPECT_EQ(graph->nodes[i].operands,
              std::vector<int>{graph->nodes[i - 1].result});
  EXPECT_EQ(graph->nodes[1].params, (std::vector<int>{0, 1}));
  EXPECT_EQ(graph->nodes[5].params, (std::vector<int>{4, 5}));
  EXPECT_TRUE(graph->nodes[2].params.empty());
}

TEST_F(MlpExample, ValuesShapesAndNames) {
  auto result = [&](size_t node) -> const Value & {
    return graph->values[graph->nodes[node].result];
  };
  EXPECT_EQ(result(0).name, "layers.0.out");
  EXPECT_EQ(result(0).type.shape, shape({kBatchDim, 784}));
  EXPECT_EQ(result(1).type.shape, shape({kBatchDim, 256}));
  EXPECT_EQ(result(3).name, "layers.3.out");
  EXPECT_EQ(result(5).name, "logits");
  EXPECT_EQ(result(5).type.shape, shape({kBatchDim, 10}));
  EXPECT_EQ(result(6).name, "loss");
  EXPECT_TRUE(result(6).type.shape.empty());
  EXPECT_EQ(graph->output, graph->nodes[5].result);
  EXPECT_EQ(graph->loss, graph->nodes[6].result);
  EXPECT_EQ(graph->nodes[6].operands,
            (std::vector<int>{graph->nodes[5].result, graph->inputs[1].value}));
}

TEST_F(MlpExample, AttributesAndLocations) {
  const Node &flatten = graph->nodes[0];
  EXPECT_EQ(flatten.intAttrs.at("start_dim"), 1);
  EXPECT_EQ(flatten.intAttrs.at("end_dim"), 3); // normalised from -1
  EXPECT_EQ(graph->nodes[6].floatAttrs.at("label_smoothing"), 0.0);
  // loc: the layer's definition; callLoc: the forward statement.
  const Node &linear = graph->nodes[1];
  EXPECT_EQ(linear.loc.file, kPath);
  EXPECT_EQ(linear.loc.line, 8u);
  EXPECT_EQ(linear.loc.col, 5u);
  EXPECT_EQ(linear.callLoc.line, 17u);
  EXPECT_EQ(linear.callLoc.col, 14u);
  EXPECT_EQ(graph->nodes[6].loc.line, 14u);
  EXPECT_EQ(graph->nodes[6].loc.col, 15u);
}

TEST_F(MlpExample, PrintGraph) {
  std::string text = printGraph(*graph);
  for (const char *line : {
           "model MLP loc(",
           "  input %image : f32[N, 1, 28, 28] loc(",
           "  param layers.1.weight : [256, 784] init=kaiming_uniform_a5 "
           "fan_in=784 fan_out=256\n",
           "  param layers.5.bias : [10] init=uniform_fan_in fan_in=128 "
           "fan_out=10\n",
           "  node layers.0 = Flatten(%image) -> %layers.0.out : f32[N, 784] "
           "{end_dim = 3, start_dim = 1} loc(",
           "  node layers.5 = Linear(%layers.4.out, layers.5.weight, "
           "layers.5.bias) -> %logits : f32[N, 10] loc(",
           "  node criterion = CrossEntropyLoss(%logits, %label) -> %loss : "
           "f32[] {label_smoothing = 0} loc(",
           "  output %logits : f32[N, 10]\n",
           "  loss %loss : f32[]\n",
       })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(Graph, TopLevelLinearAndNestedCalls) {
  CheckResult result = check(model("  flat = Flatten()\n"
                                   "  fc = Linear(in_features=784, "
                                   "out_features=10, bias=false)\n"
                                   "  ce = CrossEntropyLoss(label_smoothing="
                                   "0.1)\n",
                                   "    y = fc(flat(image))\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  ASSERT_EQ(graph.params.size(), 1u);
  EXPECT_EQ(graph.params[0].name, "fc.weight");
  EXPECT_EQ(graph.params[0].shape, shape({10, 784}));
  EXPECT_EQ(graph.values[graph.nodes[0].result].name, "flat.out");
  EXPECT_EQ(graph.nodes[1].params, std::vector<int>{0});
  EXPECT_DOUBLE_EQ(graph.nodes[2].floatAttrs.at("label_smoothing"), 0.1);
}

TEST(Graph, NestedSequentialPaths) {
  CheckResult result = check(model("  s = Sequential(Flatten(), "
                                   "Sequential(Linear(784, 32), ReLU()), "
                                   "Linear(32, 10))\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    y = s(image)\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  std::vector<std::string> names;
  for (const Parameter &param : graph.params)
    names.push_back(param.name);
  EXPECT_EQ(names, (std::vector<std::string>{"s.1.0.weight", "s.1.0.bias",
                                             "s.2.weight", "s.2.bias"}));
  EXPECT_EQ(graph.nodes[2].path, "s.1.1");
  EXPECT_EQ(graph.values[graph.nodes[2].result].name, "s.1.out");
}

TEST(Graph, ModuleAppliedTwiceSharesParameters) {
  CheckResult result = check(model("  flat = Flatten()\n"
                                   "  fc = Linear(784, 784)\n"
                                   "  head = Linear(784, 10)\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    x = flat(image)\n"
                                   "    y = head(fc(fc(x)))\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(graph.params.size(), 4u);
  EXPECT_EQ(graph.nodes[1].params, graph.nodes[2].params);
  EXPECT_EQ(graph.values[graph.nodes[1].result].name, "fc.out");
  EXPECT_EQ(graph.values[graph.nodes[2].result].name, "fc.out_2");
}

TEST(Graph, ParametersOfUnusedMembersStillExist) {
  // PyTorch's state_dict has them too; checkpoints must line up.
  CheckResult result = check(model("  spare = Linear(2, 3)\n"
                                   "  flat = Flatten()\n"
                                   "  fc = Linear(784, 10)\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    y = fc(flat(image))\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(result.graph->params[0].name, "spare.weight");
  EXPECT_EQ(result.graph->params[2].name, "fc.weight");
}

TEST(Graph, FlattenKeepsTrailingDimensions) {
  CheckResult result = check(model("  s = Sequential(Flatten(1, 2), "
                                   "Flatten(start_dim=-2), Linear(784, 10))\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    y = s(image)\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(graph.values[graph.nodes[0].result].type.shape,
            shape({kBatchDim, 28, 28}));
  EXPECT_EQ(graph.nodes[0].intAttrs.at("end_dim"), 2);
  EXPECT_EQ(graph.nodes[1].intAttrs.at("start_dim"), 1);
  EXPECT_EQ(graph.values[graph.nodes[1].result].type.shape,
            shape({kBatchDim, 784}));
}

TEST(Graph, MissingFileIsAnError) {
  DiagnosticEngine diags;
  EXPECT_FALSE(loadModel("/nonexistent/model.nn", diags));
  ASSERT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].message,
            "cannot open model file: No such file or directory");
  EXPECT_EQ(diags.diagnostics()[0].loc.file, "/nonexistent/model.nn");
  EXPECT_FALSE(loadModel("/", diags));
  EXPECT_EQ(diags.diagnostics()[1].message,
            "cannot open model file: it is a directory");
}

} // namespace
