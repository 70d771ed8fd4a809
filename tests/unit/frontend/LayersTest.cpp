//===- LayersTest.cpp - convolutional layers, activations, functions ------===//
//
// Shapes, attributes (PyTorch's defaults filled in), parameters and buffers
// of each layer type, and the errors of each in the model's terms.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

using Shape = std::vector<int64_t>;
using Names = std::vector<std::string>;
constexpr int64_t N = kBatchDim;

TEST(Layers, Conv2dShapesAttributesAndParameters) {
  CheckResult result =
      checkValues("  c1 = Conv2d(1, 8, 3)\n"
                  "  c2 = Conv2d(8, 16, (3, 5), stride=2, padding=(1, 2), "
                  "dilation=(2, 1), bias=false)\n"
                  "  c3 = Conv2d(16, 32, 3, padding=\"same\", groups=4)\n"
                  "  c4 = Conv2d(32, 4, 5, padding=\"valid\")\n",
                  "    a = c1(image)\n    b = c2(a)\n    c = c3(b)\n"
                  "    d = c4(c)\n");
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(shapeOf(graph, "a"), (Shape{N, 8, 26, 26}));
  // (26 + 2 - 2*2 - 1) / 2 + 1 = 12; (26 + 4 - 4 - 1) / 2 + 1 = 13
  EXPECT_EQ(shapeOf(graph, "b"), (Shape{N, 16, 12, 13}));
  EXPECT_EQ(shapeOf(graph, "c"), (Shape{N, 32, 12, 13}));
  EXPECT_EQ(shapeOf(graph, "d"), (Shape{N, 4, 8, 9}));
  const Node &c2 = *producer(graph, "b");
  EXPECT_EQ(c2.kind, Node::Kind::Conv2d);
  EXPECT_EQ(c2.intAttrs, (std::map<std::string, int64_t>{{"stride_h", 2},
                                                         {"stride_w", 2},
                                                         {"pad_h", 1},
                                                         {"pad_w", 2},
                                                         {"dilation_h", 2},
                                                         {"dilation_w", 1},
                                                         {"groups", 1}}));
  const Node &c3 = *producer(graph, "c");
  EXPECT_EQ(c3.intAttrs.at("pad_h"), 1); // "same" resolved
  EXPECT_EQ(c3.intAttrs.at("groups"), 4);
  EXPECT_EQ(producer(graph, "d")->intAttrs.at("pad_w"), 0);
  EXPECT_EQ(paramNames(graph),
            (Names{"c1.weight", "c1.bias", "c2.weight", "c3.weight", "c3.bias",
                   "c4.weight", "c4.bias", "head_.weight", "head_.bias"}));
  // torch's fans: fan_in = size(1) * kh * kw, fan_out = size(0) * kh * kw.
  const Parameter &w3 = graph.params[3];
  EXPECT_EQ(w3.shape, (Shape{32, 4, 3, 3}));
  EXPECT_EQ(w3.init, InitKind::KaimingUniformA5);
  EXPECT_EQ(w3.fanIn, 36);
  EXPECT_EQ(w3.fanOut, 288);
  const Parameter &b3 = graph.params[4];
  EXPECT_EQ(b3.shape, Shape{32});
  EXPECT_EQ(b3.init, InitKind::UniformFanIn);
  EXPECT_EQ(b3.fanIn, 36);
  EXPECT_EQ(graph.params[2].shape, (Shape{16, 8, 3, 5}));
  EXPECT_EQ(c2.params, std::vector<int>{2});
}

TEST(Layers, BatchNormParametersThenBuffers) {
  CheckResult result = checkValues(
      "  bn = BatchNorm2d(1)\n"
      "  bn1 = BatchNorm1d(784, eps=0.001, momentum=0.2)\n"
      "  plain = BatchNorm2d(1, affine=false, track_running_stats=false)\n"
      "  bn3 = BatchNorm1d(1, affine=false)\n",
      "    a = bn(image)\n    f = flatten(image, 1)\n    b = bn1(f)\n"
      "    c = plain(image)\n"
      "    d = bn3(flatten(image, 2))\n");
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(paramNames(graph),
            (Names{"bn.weight", "bn.bias", "bn1.weight", "bn1.bias",
                   "head_.weight", "head_.bias"}));
  EXPECT_EQ(
      bufferNames(graph),
      (Names{"bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
             "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
             "bn3.running_mean", "bn3.running_var",
             "bn3.num_batches_tracked"}));
  EXPECT_EQ(graph.params[0].init, InitKind::Ones);
  EXPECT_EQ(graph.params[1].init, InitKind::Zeros);
  EXPECT_EQ(graph.buffers[0].init, InitKind::Zeros);
  EXPECT_EQ(graph.buffers[1].init, InitKind::Ones);
  EXPECT_EQ(graph.buffers[1].dtype, DType::F32);
  EXPECT_EQ(graph.buffers[2].dtype, DType::I64);
  EXPECT_TRUE(graph.buffers[2].shape.empty());
  EXPECT_EQ(graph.buffers[3].shape, Shape{784});
  const Node &a = *producer(graph, "a");
  EXPECT_EQ(a.kind, Node::Kind::BatchNorm);
  EXPECT_EQ(a.params, (std::vector<int>{0, 1}));
  EXPECT_EQ(a.buffers, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(a.floatAttrs.at("eps"), 1e-5);
  EXPECT_EQ(a.floatAttrs.at("momentum"), 0.1);
  EXPECT_EQ(a.intAttrs.at("affine"), 1);
  EXPECT_EQ(a.intAttrs.at("track_running_stats"), 1);
  const Node &b = *producer(graph, "b");
  EXPECT_EQ(b.floatAttrs.at("eps"), 0.001);
  EXPECT_EQ(b.floatAttrs.at("momentum"), 0.2);
  EXPECT_EQ(shapeOf(graph, "b"), (Shape{N, 784}));
  const Node &c = *producer(graph, "c");
  EXPECT_TRUE(c.params.empty());
  EXPECT_TRUE(c.buffers.empty());
  EXPECT_EQ(c.intAttrs.at("affine"), 0);
  EXPECT_EQ(c.intAttrs.at("track_running_stats"), 0);
  EXPECT_EQ(shapeOf(graph, "d"), (Shape{N, 1, 784})); // [N, C, L]
}

TEST(Layers, Pooling) {
  CheckResult result =
      checkValues("  mp = MaxPool2d(2)\n"
                  "  mp3 = MaxPool2d(3, stride=1, padding=1)\n"
                  "  ap = AvgPool2d((2, 4), stride=(2, 1))\n"
                  "  gap = AdaptiveAvgPool2d((1, 1))\n",
                  "    a = mp(image)\n    b = mp3(image)\n    c = ap(image)\n"
                  "    d = gap(image)\n    e = max_pool2d(image, 3, 2)\n"
                  "    f = avg_pool2d(image, 2)\n"
                  "    g = adaptive_avg_pool2d(image, 1)\n");
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(shapeOf(graph, "a"), (Shape{N, 1, 14, 14}));
  EXPECT_EQ(shapeOf(graph, "b"), (Shape{N, 1, 28, 28}));
  EXPECT_EQ(shapeOf(graph, "c"), (Shape{N, 1, 14, 25}));
  EXPECT_EQ(shapeOf(graph, "d"), (Shape{N, 1, 1, 1}));
  EXPECT_EQ(shapeOf(graph, "e"), (Shape{N, 1, 13, 13}));
  EXPECT_EQ(shapeOf(graph, "f"), (Shape{N, 1, 14, 14}));
  EXPECT_EQ(shapeOf(graph, "g"), (Shape{N, 1, 1, 1}));
  // stride=None means the kernel size, as in PyTorch.
  EXPECT_EQ(producer(graph, "a")->intAttrs,
            (std::map<std::string, int64_t>{{"kernel_h", 2},
                                            {"kernel_w", 2},
                                            {"stride_h", 2},
                                            {"stride_w", 2},
                                            {"pad_h", 0},
                                            {"pad_w", 0}}));
  const Node &c = *producer(graph, "c");
  EXPECT_EQ(c.kind, Node::Kind::AvgPool2d);
  EXPECT_EQ(c.intAttrs.at("kernel_w"), 4);
  EXPECT_EQ(c.intAttrs.at("stride_w"), 1);
  EXPECT_EQ(c.intAttrs.at("count_include_pad"), 1);
  EXPECT_EQ(c.intAttrs.at("ceil_mode"), 0);
  EXPECT_EQ(producer(graph, "d")->kind, Node::Kind::AdaptiveAvgPool2d);
  EXPECT_EQ(producer(graph, "e")->intAttrs.at("stride_h"), 2);
}

TEST(Layers, ActivationsAndFunctions) {
  CheckResult result = checkValues(
      "  act = Sequential(ReLU(), LeakyReLU(0.2), Sigmoid(), Tanh(), GELU(), "
      "SiLU(), Identity(), Dropout(), Dropout(p=0.1))\n"
      "  sm = Softmax(dim=-1)\n  lsm = LogSoftmax(1)\n",
      "    a = act(image)\n    b = sm(image)\n    c = lsm(image)\n"
      "    d = leaky_relu(relu(image), negative_slope=0.3)\n"
      "    e = log_softmax(softmax(image, 2), dim=-4)\n"
      "    f = silu(gelu(tanh(sigmoid(image))))\n");
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  using K = Node::Kind;
  std::vector<K> kinds;
  for (size_t i = 0; i < 9; ++i)
    kinds.push_back(graph.nodes[i].kind);
  EXPECT_EQ(kinds,
            (std::vector<K>{K::ReLU, K::LeakyReLU, K::Sigmoid, K::Tanh, K::GELU,
                            K::SiLU, K::Identity, K::Dropout, K::Dropout}));
  EXPECT_EQ(graph.nodes[1].floatAttrs.at("negative_slope"), 0.2);
  EXPECT_EQ(graph.nodes[7].floatAttrs.at("p"), 0.5);
  EXPECT_EQ(graph.nodes[8].floatAttrs.at("p"), 0.1);
  EXPECT_EQ(graph.nodes[8].path, "act.8");
  EXPECT_EQ(shapeOf(graph, "a"), (Shape{N, 1, 28, 28}));
  EXPECT_EQ(producer(graph, "b")->intAttrs.at("dim"), 3); // normalised
  EXPECT_EQ(producer(graph, "c")->kind, K::LogSoftmax);
  EXPECT_EQ(producer(graph, "c")->intAttrs.at("dim"), 1);
  const Node &d = *producer(graph, "d");
  EXPECT_EQ(d.floatAttrs.at("negative_slope"), 0.3);
  EXPECT_EQ(d.path, ""); // a function at the model's top level
  EXPECT_EQ(graph.values[d.operands[0]].name, "relu");
  EXPECT_EQ(producer(graph, "e")->intAttrs.at("dim"), 0);
  EXPECT_EQ(graph.values[producer(graph, "e")->operands[0]].name, "softmax");
  EXPECT_EQ(producer(graph, "f")->kind, K::SiLU);
}

TEST(Layers, ResidualAdd) {
  CheckResult result = checkValues("  c = Conv2d(1, 1, 3, padding=1)\n",
                                   "    y = c(image) + image\n"
                                   "    z = y + y + image\n");
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  const Node &y = *producer(graph, "y");
  EXPECT_EQ(y.kind, Node::Kind::Add);
  EXPECT_EQ(y.operands,
            (std::vector<int>{graph.nodes[0].result, graph.inputs[0].value}));
  EXPECT_EQ(y.loc.col, 18u); // the '+'
  const Node &z = *producer(graph, "z");
  EXPECT_EQ(graph.values[z.operands[0]].name, "add"); // y + y
  EXPECT_EQ(shapeOf(graph, "z"), (Shape{N, 1, 28, 28}));
}

/// The first diagnostic of a model with `members` whose forward is `stmts`.
std::string layerError(const std::string &members,
                       const std::string &stmts = "") {
  std::string text = checkValues(members, stmts).text;
  return text.substr(0, text.find('\n'));
}

TEST(Layers, Conv2dArgumentErrors) {
  EXPECT_EQ(layerError("  c = Conv2d(3, 6, 3, groups=4)\n"),
            "4:14: error: in_channels must be divisible by groups; Conv2d(3, "
            "6, 3, groups=4) has in_channels=3 and groups=4");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 0)\n"),
            "4:20: error: kernel_size of Conv2d must be positive, found 0");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, stride=(1, 0))\n"),
            "4:30: error: stride of Conv2d must be positive, found (1, 0)");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, padding=-1)\n"),
            "4:31: error: padding of Conv2d must be non-negative, found -1");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, padding=\"full\")\n"),
            "4:31: error: invalid padding string \"full\"; expected \"same\" "
            "or \"valid\"");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, stride=2, padding=\"same\")\n"),
            "4:41: error: padding=\"same\" is not supported for strided "
            "convolutions");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 2, padding=\"same\")\n"),
            "4:31: error: padding=\"same\" with an even kernel needs uneven "
            "padding, which is not supported yet");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, padding_mode=\"reflect\")\n"),
            "4:36: error: padding_mode=\"reflect\" is not supported; only "
            "\"zeros\" is");
  EXPECT_EQ(layerError("  c = Conv2d(4, 6, 3, device=\"cpu\")\n"),
            "4:23: error: Conv2d has no argument named 'device'");
  EXPECT_EQ(layerError("  c = Conv2d(1048576, 1048576, 3)\n"),
            "4:7: error: Conv2d(1048576, 1048576, 3) is too large; the limit "
            "is 2^40 weights");
}

TEST(Layers, Conv2dInputErrors) {
  EXPECT_EQ(
      layerError("  c = Conv2d(3, 8, 3)\n", "    y = c(image)\n"),
      "8:11: error: Conv2d(3, 8, 3) expects 3 input channels; 'image' has 1");
  EXPECT_EQ(layerError("  s = Sequential(Conv2d(1, 8, 3), Conv2d(4, 8, 3))\n",
                       "    y = s(image)\n"),
            "4:42: error: Conv2d(4, 8, 3) expects 4 input channels; 's.0' "
            "(Conv2d) produces 8");
  EXPECT_EQ(
      layerError("  c = Conv2d(1, 8, 3)\n", "    y = c(flatten(image, 1))\n"),
      "8:11: error: Conv2d(1, 8, 3) expects an input of shape [N, 1, H, W]; "
      "flatten(..., start_dim=1) produces f32[N, 784]");
  EXPECT_EQ(layerError("  c = Conv2d(1, 8, 3, stride=5)\n",
                       "    y = c(c(c(image)))\n"),
            "8:13: error: Conv2d(1, 8, 3, stride=5) expects 1 input channel; "
            "'c' (Conv2d) produces 8");
  CheckResult result =
      checkValues("  c = Conv2d(1, 8, 30)\n", "    y = c(image)\n");
  EXPECT_EQ(result.text.substr(0, result.text.find("\n4:")),
            "8:11: error: Conv2d(1, 8, 30) on 28x28 produces 0x0; 'image' is "
            "f32[N, 1, 28, 28]");
}

TEST(Layers, SpatialErrorInsideSequential) {
  EXPECT_EQ(layerError("  s = Sequential(\n"
                       "    Conv2d(1, 8, 3, stride=5),\n"
                       "    MaxPool2d(2),\n"
                       "    MaxPool2d(2),\n"
                       "    MaxPool2d(2),\n"
                       "  )\n",
                       "    y = s(image)\n"),
            "8:5: error: MaxPool2d(2) on 1x1 produces 0x0; 's.3' receives "
            "f32[N, 8, 1, 1] from 's.2' (MaxPool2d)");
}

TEST(Layers, BatchNormErrors) {
  EXPECT_EQ(layerError("  bn = BatchNorm2d(3, momentum=none)\n"),
            "4:32: error: momentum=none is not supported (a cumulative moving "
            "average); give a number between 0.0 and 1.0");
  EXPECT_EQ(layerError("  bn = BatchNorm2d(3, momentum=2)\n"),
            "4:32: error: momentum must be between 0.0 and 1.0, found 2.0");
  EXPECT_EQ(layerError("  bn = BatchNorm2d(0)\n"),
            "4:20: error: num_features of BatchNorm2d must be positive, "
            "found 0");
  EXPECT_EQ(layerError("  bn = BatchNorm2d(3)\n", "    y = bn(image)\n"),
            "8:12: error: BatchNorm2d(3) expects 3 channels; 'image' has 1");
  EXPECT_EQ(layerError("  bn = BatchNorm1d(3)\n", "    y = bn(image)\n"),
            "8:12: error: BatchNorm1d(3) expects an input of shape [N, 3] or "
            "[N, 3, L]; 'image' is f32[N, 1, 28, 28]");
  EXPECT_EQ(
      layerError("  bn = BatchNorm2d(1)\n", "    y = bn(flatten(image, 1))\n"),
      "8:12: error: BatchNorm2d(1) expects an input of shape [N, 1, H, W]; "
      "flatten(..., start_dim=1) produces f32[N, 784]");
}

TEST(Layers, PoolingErrors) {
  EXPECT_EQ(layerError("  p = MaxPool2d(3, padding=2)\n"),
            "4:28: error: padding of MaxPool2d must be at most half the kernel "
            "size; MaxPool2d(3, padding=2) has padding 2 and kernel size 3");
  EXPECT_EQ(layerError("  p = MaxPool2d(2, dilation=2)\n"),
            "4:29: error: dilation=2 is not supported yet; only 1 is");
  EXPECT_EQ(layerError("  p = MaxPool2d(2, ceil_mode=true)\n"),
            "4:30: error: ceil_mode=true is not supported yet");
  EXPECT_EQ(layerError("  p = MaxPool2d(2, return_indices=true)\n"),
            "4:35: error: return_indices=true is not supported");
  EXPECT_EQ(layerError("  p = AvgPool2d(2, count_include_pad=false)\n"),
            "4:38: error: count_include_pad=false is not supported yet");
  EXPECT_EQ(layerError("  p = AvgPool2d(2, divisor_override=3)\n"),
            "4:37: error: divisor_override=3 is not supported yet");
  EXPECT_EQ(layerError("  p = AdaptiveAvgPool2d(7)\n"),
            "4:25: error: AdaptiveAvgPool2d with output_size=7 is not "
            "supported yet; only 1 (global average pooling) is");
  EXPECT_EQ(layerError("  p = MaxPool2d(2)\n", "    y = p(label)\n"),
            "8:11: error: MaxPool2d expects an f32 input; 'label' is i64[N]");
  EXPECT_EQ(layerError("", "    y = max_pool2d(image, 64)\n"),
            "7:20: error: max_pool2d(..., 64) on 28x28 produces 0x0; 'image' "
            "is f32[N, 1, 28, 28]");
}

TEST(Layers, ActivationErrors) {
  EXPECT_EQ(layerError("  g = GELU(approximate=\"tanh\")\n"),
            "4:24: error: approximate=\"tanh\" is not supported; only "
            "\"none\" (the exact, erf form) is");
  EXPECT_EQ(layerError("  d = Dropout(1.5)\n"),
            "4:15: error: dropout probability has to be between 0 and 1, "
            "found 1.5");
  EXPECT_EQ(layerError("  s = Softmax()\n"),
            "4:7: error: missing argument 'dim' in call to Softmax(dim)");
  EXPECT_EQ(layerError("  s = Softmax(dim=4)\n", "    y = s(image)\n"),
            "4:19: error: Softmax(4): dim=4 is out of range for a 4-d input; "
            "'image' is f32[N, 1, 28, 28]");
  EXPECT_EQ(
      layerError("", "    y = softmax(image)\n"),
      "7:9: error: missing argument 'dim' in call to softmax(input, dim)");
  EXPECT_EQ(layerError("", "    y = flatten(image)\n"),
            "7:9: error: Flatten cannot merge the batch dimension N into other "
            "dimensions; use start_dim=1; 'image' is f32[N, 1, 28, 28]");
  EXPECT_EQ(layerError("", "    y = relu(3)\n"),
            "7:14: error: expected a tensor, found integer 3");
  EXPECT_EQ(layerError("", "    y = relu(image, image)\n"),
            "7:21: error: expected a constant, found the tensor 'image'");
}

TEST(Layers, TensorOperatorErrors) {
  EXPECT_EQ(layerError("", "    y = image + label\n"),
            "7:15: error: '+' needs two f32 tensors of the same shape; 'image' "
            "is f32[N, 1, 28, 28] and 'label' is i64[N]");
  EXPECT_EQ(
      layerError("", "    y = image + flatten(image, 1)\n"),
      "7:15: error: '+' needs two f32 tensors of the same shape; 'image' is "
      "f32[N, 1, 28, 28] and flatten(..., start_dim=1) produces f32[N, 784]");
  EXPECT_EQ(layerError("", "    y = image * image\n"),
            "7:15: error: '*' cannot be applied to tensors; only '+' (a "
            "residual connection) can");
  EXPECT_EQ(
      layerError("", "    y = image + 1\n"),
      "7:15: error: '+' cannot combine the tensor 'image' with integer 1");
  EXPECT_EQ(layerError("", "    y = -image\n"),
            "7:9: error: unary '-' cannot be applied to a tensor");
}

} // namespace
