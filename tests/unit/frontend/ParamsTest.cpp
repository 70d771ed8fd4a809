//===- ParamsTest.cpp - frozen members, init= overrides, the printed Graph ===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

TEST(Params, FrozenFreezesEveryParameterOfTheMember) {
  const char *blocks = "block Stem(n) {\n"
                       "  conv = Conv2d(1, n, 3)\n"
                       "  bn = BatchNorm2d(n)\n"
                       "  forward(x) { return bn(conv(x)) }\n"
                       "}\n";
  CheckResult result =
      checkValues("  frozen stem = Stem(4)\n"
                  "  frozen s = Sequential(Linear(2, 2), ReLU())\n"
                  "  free = Conv2d(1, 4, 3)\n",
                  "    y = stem(image)\n    z = free(image)\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  std::vector<std::pair<std::string, bool>> frozen;
  for (const Parameter &param : graph.params)
    frozen.push_back({param.name, param.frozen});
  EXPECT_EQ(frozen, (std::vector<std::pair<std::string, bool>>{
                        {"stem.conv.weight", true},
                        {"stem.conv.bias", true},
                        {"stem.bn.weight", true},
                        {"stem.bn.bias", true},
                        {"s.0.weight", true},
                        {"s.0.bias", true},
                        {"free.weight", false},
                        {"free.bias", false},
                        {"head_.weight", false},
                        {"head_.bias", false}}));
  // Buffers are state, not parameters: nothing to freeze.
  EXPECT_EQ(graph.buffers.size(), 3u);
}

TEST(Params, FrozenInsideABlock) {
  const char *blocks = "block B() {\n"
                       "  frozen a = Linear(784, 784)\n"
                       "  b = Linear(784, 784, bias=false)\n"
                       "  forward(x) { return b(a(x)) }\n"
                       "}\n";
  CheckResult result = checkValues("  m = Sequential(B(), B())\n",
                                   "    y = m(flatten(image, 1))\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  std::vector<bool> frozen;
  for (const Parameter &param : result.graph->params)
    frozen.push_back(param.frozen);
  EXPECT_EQ(frozen, (std::vector<bool>{true, true, false, true, true, false,
                                       false, false}));
}

TEST(Params, FrozenErrorsAndWarnings) {
  CheckResult result =
      checkValues("  frozen act = ReLU()\n", "    y = act(image)\n");
  EXPECT_TRUE(result.graph);
  EXPECT_EQ(result.text,
            "4:3: warning: 'frozen' has no effect: 'act' has no parameters\n");
  EXPECT_EQ(firstDiagnostic(model("  frozen k = 3\n", "")),
            "4:3: error: 'frozen' applies to layers; 'k' is defined as a "
            "constant");
  EXPECT_EQ(firstDiagnostic(model("  frozen input x: f32[N, 3]\n", "")),
            "4:10: error: expected a member definition 'NAME = LAYER(...)' "
            "after 'frozen', found 'input'");
  EXPECT_EQ(firstDiagnostic(model("  frozen = ReLU()\n", "")),
            "4:3: error: 'frozen' is a keyword and cannot be used as a name");
}

TEST(Params, InitOverridesTheWeightOnly) {
  CheckResult result = checkValues(
      "  a = Linear(784, 10, init=\"kaiming_normal\")\n"
      "  b = Linear(784, 10, init=\"kaiming_uniform\", init_a=0.2)\n"
      "  c = Conv2d(1, 4, 3, init=\"xavier_uniform\")\n"
      "  d = Conv2d(1, 4, 3, init=\"xavier_normal\", init_gain=1.5, "
      "bias=false)\n"
      "  e = Linear(784, 10, init=\"zeros\")\n"
      "  f = Linear(784, 10, init=\"ones\", bias=false)\n"
      "  g = Linear(784, 10, init=none)\n",
      "");
  ASSERT_TRUE(result.graph) << result.text;
  const auto &params = result.graph->params;
  struct Expected {
    const char *name;
    InitKind init;
    double initParam;
  };
  std::vector<Expected> expected = {
      {"a.weight", InitKind::KaimingNormal, 0.0},
      {"a.bias", InitKind::UniformFanIn, 0.0},
      {"b.weight", InitKind::KaimingUniform, 0.2},
      {"b.bias", InitKind::UniformFanIn, 0.0},
      {"c.weight", InitKind::XavierUniform, 1.0},
      {"c.bias", InitKind::UniformFanIn, 0.0},
      {"d.weight", InitKind::XavierNormal, 1.5},
      {"e.weight", InitKind::Zeros, 0.0},
      {"e.bias", InitKind::UniformFanIn, 0.0},
      {"f.weight", InitKind::Ones, 0.0},
      {"g.weight", InitKind::KaimingUniformA5, 0.0},
      {"g.bias", InitKind::UniformFanIn, 0.0},
  };
  ASSERT_GE(params.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(params[i].name, expected[i].name);
    EXPECT_EQ(params[i].init, expected[i].init) << params[i].name;
    EXPECT_EQ(params[i].initParam, expected[i].initParam) << params[i].name;
  }
  // Fans stay the layer's, whatever the rule.
  EXPECT_EQ(params[4].fanIn, 9);
  EXPECT_EQ(params[4].fanOut, 36);
  EXPECT_EQ(params[5].fanIn, 9);
}

TEST(Params, InitErrors) {
  EXPECT_EQ(firstDiagnostic(model("  a = Linear(1, 1, init=\"he\")\n", "")),
            "4:25: error: unknown init \"he\"; expected \"kaiming_uniform\", "
            "\"kaiming_normal\", \"xavier_uniform\", \"xavier_normal\", "
            "\"zeros\" or \"ones\"");
  EXPECT_EQ(firstDiagnostic(model(
                "  a = Linear(1, 1, init=\"xavier_normal\", init_a=1)\n", "")),
            "4:49: error: init_a applies to init=\"kaiming_uniform\" or "
            "\"kaiming_normal\" only");
  EXPECT_EQ(firstDiagnostic(model("  a = Conv2d(1, 1, 1, init_gain=2)\n", "")),
            "4:33: error: init_gain applies to init=\"xavier_uniform\" or "
            "\"xavier_normal\" only");
  EXPECT_EQ(firstDiagnostic(model("  a = Linear(1, 1, init=3)\n", "")),
            "4:25: error: argument 'init' of Linear must be a string or "
            "'none', found integer 3");
  EXPECT_EQ(firstDiagnostic(model("  a = ReLU(init=\"zeros\")\n", "")),
            "4:12: error: ReLU has no argument named 'init'");
}

TEST(Params, PrintGraphShowsBuffersAttributesAndRules) {
  CheckResult result =
      check("block B(n) {\n"
            "  bn = BatchNorm2d(n)\n"
            "  forward(x) { return relu(bn(x)) + x }\n"
            "}\n"
            "model M {\n"
            "  input image: f32[N, 1, 28, 28]\n"
            "  input label: i64[N]\n"
            "  frozen c = Conv2d(1, 2, 3, stride=2, bias=false, "
            "init=\"kaiming_normal\", init_a=0.1)\n"
            "  b = B(2)\n"
            "  head = Linear(338, 10)\n"
            "  ce = CrossEntropyLoss()\n"
            "  forward {\n"
            "    x = b(c(image))\n"
            "    logits = head(flatten(leaky_relu(x, 0.2), 1))\n"
            "    loss = ce(logits, label)\n"
            "    return logits\n"
            "    minimize loss\n"
            "  }\n"
            "}\n");
  ASSERT_TRUE(result.graph) << result.text;
  std::string text = printGraph(*result.graph);
  for (const char *line : {
           "  param c.weight : [2, 1, 3, 3] init=kaiming_normal "
           "init_param=0.1 fan_in=9 fan_out=18 frozen\n",
           "  param b.bn.weight : [2] init=ones fan_in=0 fan_out=0\n",
           "  buffer b.bn.running_mean : f32[2] init=zeros\n",
           "  buffer b.bn.running_var : f32[2] init=ones\n",
           "  buffer b.bn.num_batches_tracked : i64[] init=zeros\n",
           "  node c = Conv2d(%image, c.weight) -> %c.out : f32[N, 2, 13, 13] "
           "{dilation_h = 1, dilation_w = 1, groups = 1, pad_h = 0, pad_w = 0, "
           "stride_h = 2, stride_w = 2} loc(test.nn:8:14)\n",
           "  node b.bn = BatchNorm(%c.out, b.bn.weight, b.bn.bias, "
           "b.bn.running_mean, b.bn.running_var, b.bn.num_batches_tracked) -> "
           "%b.bn.out : f32[N, 2, 13, 13] {affine = 1, track_running_stats = "
           "1, eps = 1e-05, momentum = 0.1} loc(test.nn:2:8)\n",
           "  node b = ReLU(%b.bn.out) -> %b/relu : f32[N, 2, 13, 13] "
           "loc(test.nn:3:23)\n",
           "  node b = Add(%b/relu, %c.out) -> %x : f32[N, 2, 13, 13] "
           "loc(test.nn:3:35)\n",
           "  node = LeakyReLU(%x) -> %leaky_relu : f32[N, 2, 13, 13] "
           "{negative_slope = 0.2} loc(test.nn:14:27)\n",
       })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

} // namespace
