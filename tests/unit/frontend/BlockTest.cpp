//===- BlockTest.cpp - blocks: parameters, conditionals, naming -----------===//
//
// A block is an nn.Module class with constructor arguments: its members
// get state_dict names under the instance's path, its forward is inlined
// at each application, and `if` picks members and statements from the
// hyper-parameters.
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

// The brief's BasicBlock, with the shortcut chosen in forward.
const char *kBasicBlock =
    "block BasicBlock(in_planes, planes, stride=1) {\n"
    "  conv1 = Conv2d(in_planes, planes, 3, stride=stride, padding=1, "
    "bias=false)\n"
    "  bn1 = BatchNorm2d(planes)\n"
    "  conv2 = Conv2d(planes, planes, 3, padding=1, bias=false)\n"
    "  bn2 = BatchNorm2d(planes)\n"
    "  if stride != 1 or in_planes != planes {\n"
    "    shortcut = Sequential(Conv2d(in_planes, planes, 1, stride=stride, "
    "bias=false), BatchNorm2d(planes))\n"
    "  }\n"
    "  forward(x) {\n"
    "    out = relu(bn1(conv1(x)))\n"
    "    out = bn2(conv2(out))\n"
    "    if stride != 1 or in_planes != planes {\n"
    "      s = shortcut(x)\n"
    "    } else {\n"
    "      s = x\n"
    "    }\n"
    "    return relu(out + s)\n"
    "  }\n"
    "}\n";

TEST(Block, SequentialOfBlocksNamesLikeStateDict) {
  CheckResult result = checkValues(
      "  stem = Conv2d(1, 16, 3, padding=1)\n"
      "  layer1 = Sequential(BasicBlock(16, 16), BasicBlock(16, 16))\n"
      "  layer2 = Sequential(BasicBlock(16, 32, stride=2))\n",
      "    h = layer2(layer1(stem(image)))\n", kBasicBlock);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(paramNames(graph), (Names{"stem.weight",
                                      "stem.bias",
                                      "layer1.0.conv1.weight",
                                      "layer1.0.bn1.weight",
                                      "layer1.0.bn1.bias",
                                      "layer1.0.conv2.weight",
                                      "layer1.0.bn2.weight",
                                      "layer1.0.bn2.bias",
                                      "layer1.1.conv1.weight",
                                      "layer1.1.bn1.weight",
                                      "layer1.1.bn1.bias",
                                      "layer1.1.conv2.weight",
                                      "layer1.1.bn2.weight",
                                      "layer1.1.bn2.bias",
                                      "layer2.0.conv1.weight",
                                      "layer2.0.bn1.weight",
                                      "layer2.0.bn1.bias",
                                      "layer2.0.conv2.weight",
                                      "layer2.0.bn2.weight",
                                      "layer2.0.bn2.bias",
                                      "layer2.0.shortcut.0.weight",
                                      "layer2.0.shortcut.1.weight",
                                      "layer2.0.shortcut.1.bias",
                                      "head_.weight",
                                      "head_.bias"}));
  Names buffers = bufferNames(graph);
  ASSERT_EQ(buffers.size(), 21u);
  EXPECT_EQ(buffers[0], "layer1.0.bn1.running_mean");
  EXPECT_EQ(buffers[10], "layer1.1.bn2.running_var");
  EXPECT_EQ(buffers[20], "layer2.0.shortcut.1.num_batches_tracked");
  EXPECT_EQ(shapeOf(graph, "h"), (Shape{N, 32, 14, 14}));
  EXPECT_EQ(graph.params[20].shape, (Shape{32, 16, 1, 1}));
}

TEST(Block, ForwardIsInlinedWithLocalNames) {
  CheckResult result = checkValues("  b = BasicBlock(1, 1)\n",
                                   "    h = b(image)\n", kBasicBlock);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  using K = Node::Kind;
  std::vector<std::pair<K, std::string>> nodes;
  for (size_t i = 0; i < 7; ++i)
    nodes.push_back({graph.nodes[i].kind, graph.nodes[i].path});
  EXPECT_EQ(nodes,
            (std::vector<std::pair<K, std::string>>{{K::Conv2d, "b.conv1"},
                                                    {K::BatchNorm, "b.bn1"},
                                                    {K::ReLU, "b"},
                                                    {K::Conv2d, "b.conv2"},
                                                    {K::BatchNorm, "b.bn2"},
                                                    {K::Add, "b"},
                                                    {K::ReLU, "b"}}));
  // Reassigned names are renamed, block locals are `<path>/<name>`, and
  // the returned value takes the caller's name.
  EXPECT_EQ(graph.values[graph.nodes[2].result].name, "b/out");
  EXPECT_EQ(graph.values[graph.nodes[4].result].name, "b/out_2");
  EXPECT_EQ(graph.values[graph.nodes[5].result].name, "b/add");
  EXPECT_EQ(graph.values[graph.nodes[6].result].name, "h");
  // `s = x` is the input itself: the residual adds the block's input.
  EXPECT_EQ(graph.nodes[5].operands,
            (std::vector<int>{graph.nodes[4].result, graph.inputs[0].value}));
}

TEST(Block, ApplyingTwiceSharesParameters) {
  CheckResult result = checkValues("  b = BasicBlock(1, 1)\n",
                                   "    h = b(b(image))\n", kBasicBlock);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(graph.params.size(), 8u);
  EXPECT_EQ(graph.nodes.size(), 2 * 7 + 3u);
  EXPECT_EQ(graph.nodes[0].params, graph.nodes[7].params);
  EXPECT_EQ(graph.values[graph.nodes[9].result].name, "b/out_3");
}

TEST(Block, HyperParameterArithmeticAndDefaults) {
  const char *blocks = "block Mlp(width, expansion=4, bias=true) {\n"
                       "  hidden = width * expansion\n"
                       "  up = Linear(width, hidden, bias=bias)\n"
                       "  down = Linear(hidden, width // 2 + width % 3)\n"
                       "  forward(x) { return down(relu(up(x))) }\n"
                       "}\n";
  CheckResult result = checkValues(
      "  a = Mlp(784)\n  b = Mlp(784, bias=false, expansion=1)\n",
      "    f = flatten(image, 1)\n    y = a(f)\n    z = b(f)\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(paramNames(graph),
            (Names{"a.up.weight", "a.up.bias", "a.down.weight", "a.down.bias",
                   "b.up.weight", "b.down.weight", "b.down.bias",
                   "head_.weight", "head_.bias"}));
  EXPECT_EQ(graph.params[0].shape, (Shape{3136, 784}));
  EXPECT_EQ(graph.params[2].shape, (Shape{393, 3136}));
  EXPECT_EQ(graph.params[4].shape, (Shape{784, 784}));
  EXPECT_EQ(shapeOf(graph, "y"), (Shape{N, 393}));
}

TEST(Block, ConditionalMembersAndStatements) {
  const char *blocks = "block Head(n, kind=\"relu\", deep=false) {\n"
                       "  if deep {\n"
                       "    fc1 = Linear(n, n)\n"
                       "  }\n"
                       "  if kind == \"relu\" {\n"
                       "    act = ReLU()\n"
                       "  } else if kind == \"tanh\" {\n"
                       "    act = Tanh()\n"
                       "  } else {\n"
                       "    act = Sigmoid()\n"
                       "  }\n"
                       "  forward(x) {\n"
                       "    if deep {\n"
                       "      x = fc1(x)\n"
                       "      if n > 100 { return act(x) }\n"
                       "    }\n"
                       "    return x\n"
                       "  }\n"
                       "}\n";
  CheckResult result = checkValues(
      "  a = Head(784)\n  b = Head(784, \"tanh\", true)\n"
      "  c = Head(10, kind=\"other\", deep=true)\n",
      "    f = flatten(image, 1)\n    y = a(f)\n    z = b(f)\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  const Graph &graph = *result.graph;
  EXPECT_EQ(paramNames(graph),
            (Names{"b.fc1.weight", "b.fc1.bias", "c.fc1.weight", "c.fc1.bias",
                   "head_.weight", "head_.bias"}));
  // a: no fc1, returns x as is; b: fc1 then tanh.
  EXPECT_EQ(producer(graph, "y"), nullptr);
  const Node &z = *producer(graph, "z");
  EXPECT_EQ(z.kind, Node::Kind::Tanh);
  EXPECT_EQ(z.path, "b.act");
}

TEST(Block, UntakenBranchesAreNotChecked) {
  // As in Python: the other branch may use members this instance lacks.
  const char *blocks = "block B(proj) {\n"
                       "  if proj { p = Linear(784, 784) }\n"
                       "  forward(x) {\n"
                       "    if proj { x = p(x) } else { x = nope(x) + 1 }\n"
                       "    return x\n"
                       "  }\n"
                       "}\n";
  CheckResult result =
      checkValues("  b = B(true)\n", "    y = b(flatten(image, 1))\n", blocks);
  EXPECT_TRUE(result.graph) << result.text;
}

TEST(Block, ConstantsInForward) {
  const char *blocks = "block B(n) {\n"
                       "  fc = Linear(n, n)\n"
                       "  forward(x) {\n"
                       "    twice = n > 10\n"
                       "    k = 2\n"
                       "    if twice and k == 2 { x = fc(x) }\n"
                       "    return fc(x)\n"
                       "  }\n"
                       "}\n";
  CheckResult result =
      checkValues("  b = B(784)\n", "    y = b(flatten(image, 1))\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(result.graph->nodes.size(), 2u + 1 + 3);
}

TEST(Block, NestedBlocks) {
  const char *blocks = "block Inner(n) {\n"
                       "  fc = Linear(n, n)\n"
                       "  forward(x) { return fc(x) }\n"
                       "}\n"
                       "block Outer(n) {\n"
                       "  first = Inner(n)\n"
                       "  rest = Sequential(Inner(n), ReLU(), Inner(n))\n"
                       "  forward(x) { return rest(first(x)) }\n"
                       "}\n";
  CheckResult result = checkValues("  o = Outer(784)\n",
                                   "    y = o(flatten(image, 1))\n", blocks);
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(paramNames(*result.graph),
            (Names{"o.first.fc.weight", "o.first.fc.bias", "o.rest.0.fc.weight",
                   "o.rest.0.fc.bias", "o.rest.2.fc.weight", "o.rest.2.fc.bias",
                   "head_.weight", "head_.bias"}));
  EXPECT_EQ(producer(*result.graph, "y")->path, "o.rest.2.fc");
}

/// All diagnostics of a model using `blocks`.
std::string blockErrors(const std::string &blocks, const std::string &members,
                        const std::string &stmts = "") {
  return checkValues(members, stmts, blocks).text;
}

TEST(Block, ErrorsInsideInstancesNameTheInstance) {
  // The block takes 19 lines; the model's members start on line 23. The
  // shortcut's error is independent of conv1's, so both are reported.
  std::string text = blockErrors(kBasicBlock,
                                 "  layer = Sequential(BasicBlock(1, 16), "
                                 "BasicBlock(32, 64, stride=2))\n",
                                 "    y = layer(image)\n");
  EXPECT_EQ(text,
            "10:26: error: Conv2d(32, 64, 3, stride=2, padding=1, bias=false) "
            "expects 32 input channels; 'x' has 16\n"
            "27:9: note: in 'layer.1' = BasicBlock(32, 64, stride=2), applied "
            "here\n"
            "2:11: note: 'layer.1.conv1' is defined here\n"
            "13:20: error: Conv2d(32, 64, 1, stride=2, bias=false) expects 32 "
            "input channels; 'x' has 16\n"
            "27:9: note: in 'layer.1' = BasicBlock(32, 64, stride=2), applied "
            "here\n"
            "7:27: note: 'layer.1.shortcut.0' is defined here\n");
}

TEST(Block, ErrorsInDefinitionsNameTheInstance) {
  const char *blocks = "block B(n) {\n"
                       "  fc = Linear(n, n // 2)\n"
                       "  forward(x) { return fc(x) }\n"
                       "}\n";
  // Reported once per distinct message, each with its instance.
  EXPECT_EQ(
      blockErrors(blocks, "  s = Sequential(B(1), B(0), B(-2), B(1))\n"),
      "2:18: error: out_features of Linear must be positive, found 0\n8:18: "
      "note: in 's.0' = B(1)\n2:15: error: in_features of Linear must be "
      "positive, found 0\n8:24: note: in 's.1' = B(0)\n2:15: error: "
      "in_features of Linear must be positive, found -2\n8:30: note: in 's.2' "
      "= B(-2)\n2:18: error: out_features of Linear must be positive, found "
      "-1\n8:30: note: in 's.2' = B(-2)\n");
}

TEST(Block, ArgumentBinding) {
  const char *blocks = "block B(a, b=2, c=3) {\n"
                       "  forward(x) { return x }\n"
                       "}\n";
  EXPECT_EQ(blockErrors(blocks, "  m = B()\n"),
            "7:7: error: missing argument 'a' in call to B(a, b, c)\n");
  EXPECT_EQ(blockErrors(blocks, "  m = B(1, 2, 3, 4)\n"),
            "7:18: error: B(a, b, c) takes at most 3 positional arguments; 4 "
            "given\n");
  EXPECT_EQ(blockErrors(blocks, "  m = B(1, d=2)\n"),
            "7:12: error: B has no argument named 'd'; did you mean 'a'?\n");
  EXPECT_EQ(blockErrors(blocks, "  m = B(1, a=2)\n"),
            "7:12: error: argument 'a' of B is given twice\n"
            "7:9: note: first given here\n");
  EXPECT_EQ(blockErrors(blocks, "  m = B(1, c=x)\n"),
            "7:14: error: use of undefined name 'x'\n");
}

TEST(Block, DefinitionErrors) {
  EXPECT_EQ(blockErrors("block B(a, a, b=1, c) {\n}\n", ""),
            "1:12: error: duplicate parameter 'a' in block 'B'\n"
            "1:20: error: parameter 'c' without a default follows parameter "
            "'b' with one\n");
  EXPECT_EQ(blockErrors("block B(a=k) {\n}\n", ""),
            "1:11: error: use of undefined name 'k'\n");
  EXPECT_EQ(blockErrors("block Linear(a) {\n}\n", ""),
            "1:7: error: block 'Linear' has the name of a built-in layer\n");
  EXPECT_EQ(blockErrors("block B() {\n}\nblock B() {\n}\n", ""),
            "3:7: error: redefinition of block 'B'\n"
            "1:7: note: previous definition is here\n");
  EXPECT_EQ(blockErrors("block B() {\n  forward { }\n}\n", ""),
            "2:3: error: the forward of a block takes its inputs as "
            "parameters, e.g. 'forward(x)'\n");
  EXPECT_EQ(blockErrors("block B() {\n  input x: f32[N, 3]\n}\n", ""),
            "2:3: error: a block has no inputs; its forward takes them as "
            "parameters, e.g. 'forward(x)'\n");
  EXPECT_EQ(blockErrors("block B(x) {\n  forward(y=1) { }\n}\n", ""),
            "2:12: error: parameters of forward cannot have default values\n");
}

TEST(Block, RecursionIsAnError) {
  const char *blocks = "block A(n) {\n"
                       "  if n > 0 { inner = A(n - 1) }\n"
                       "  forward(x) { return x }\n"
                       "}\n"
                       "block P() {\n  q = Q()\n  forward(x) { return x }\n}\n"
                       "block Q() {\n  p = P()\n  forward(x) { return x }\n}\n";
  EXPECT_EQ(blockErrors(blocks, "  a = A(3)\n  p = P()\n"),
            "2:22: error: block 'A' cannot contain itself (A -> A)\n"
            "16:7: note: in 'a' = A(3)\n"
            "10:7: error: block 'P' cannot contain itself (P -> Q -> P)\n"
            "6:7: note: in 'p.q' = Q()\n"
            "17:7: note: in 'p' = P()\n");
}

TEST(Block, ForwardErrors) {
  const char *blocks =
      "block NoForward() {\n  fc = Linear(1, 1)\n}\n"
      "block NoReturn() {\n  forward(x) { y = x }\n}\n"
      "block Const() {\n  forward(x) { return 3 }\n}\n"
      "block Min() {\n  forward(x) {\n    minimize x\n    return x\n  }\n}\n"
      "block Two() {\n  forward(x, y) { return x + y }\n}\n"
      "block Dead() {\n  forward(x) {\n    return x\n    x = x\n  }\n}\n";
  // The model's members start on line 28, its statements on line 37.
  EXPECT_EQ(
      blockErrors(blocks,
                  "  a = NoForward()\n  b = NoReturn()\n  c = Const()\n"
                  "  d = Min()\n  e = Two()\n  f = Dead()\n",
                  "    y = a(image)\n    y = b(image)\n    y = c(image)\n"
                  "    y = d(image)\n    y = e(image)\n"
                  "    y = e(image, label)\n    y = f(image)\n"),
      "37:9: error: 'a' cannot be applied: block 'NoForward' has no "
      "'forward'\n1:7: note: 'NoForward' is defined here\n5:3: error: forward "
      "of block 'NoReturn' has no 'return'\n38:9: note: in 'b' = NoReturn(), "
      "applied here\n8:23: error: a block's forward must return a tensor, "
      "found integer 3\n39:9: note: in 'c' = Const(), applied here\n12:5: "
      "error: 'minimize' can only be used in the model's forward, not in a "
      "block's\n40:9: note: in 'd' = Min(), applied here\n41:9: error: 'e' "
      "(Two) takes 2 inputs; 1 given\n17:3: note: 'Two' forward is defined "
      "here\n17:28: error: '+' needs two f32 tensors of the same shape; 'x' is "
      "f32[N, 1, 28, 28] and 'y' is i64[N]\n42:9: note: in 'e' = Two(), "
      "applied here\n22:5: warning: statement after 'return' is never "
      "run\n43:9: note: in 'f' = Dead(), applied here\n");
}

TEST(Block, ConditionsMustBeBooleans) {
  const char *blocks = "block B(n) {\n"
                       "  if n { fc = Linear(n, n) }\n"
                       "  forward(x) {\n"
                       "    if n - 1 { x = fc(x) }\n"
                       "    return fc(x)\n"
                       "  }\n"
                       "}\n";
  // Nothing is said about `fc`, which may or may not exist.
  EXPECT_EQ(
      blockErrors(blocks, "  b = B(784)\n", "    y = b(flatten(image, 1))\n"),
      "2:6: error: condition must be 'true' or 'false', found integer "
      "784\n11:7: note: in 'b' = B(784)\n");
}

TEST(Block, MembersAndConstantsCannotBeReassigned) {
  const char *blocks = "block B(n) {\n"
                       "  fc = Linear(n, n)\n"
                       "  forward(x) {\n"
                       "    n = 3\n"
                       "    fc = fc(x)\n"
                       "    return x\n"
                       "  }\n"
                       "}\n";
  EXPECT_EQ(
      blockErrors(blocks, "  b = B(784)\n", "    y = b(flatten(image, 1))\n"),
      "4:5: error: redefinition of 'n'\n16:9: note: in 'b' = B(784), applied "
      "here\n1:9: note: previous definition of 'n' is here\n5:5: error: "
      "redefinition of 'fc'\n16:9: note: in 'b' = B(784), applied here\n2:3: "
      "note: previous definition of 'fc' is here\n");
}

TEST(Block, UnusedBlocksAndMembersWarn) {
  const char *blocks = "block Used() {\n"
                       "  spare = ReLU()\n"
                       "  forward(x) { return x }\n"
                       "}\n"
                       "block Unused() {\n  forward(x) { return x }\n}\n";
  CheckResult result =
      checkValues("  u = Used()\n", "    y = u(image)\n", blocks);
  EXPECT_TRUE(result.graph);
  EXPECT_EQ(result.text,
            "2:3: warning: member 'spare' is never used in forward\n"
            "5:7: warning: block 'Unused' is never used\n");
}

} // namespace
