//===- RepeatTest.cpp - `for` repetition and conditional expressions ------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

std::vector<std::string> paramNames(const Graph &graph) {
  std::vector<std::string> names;
  for (const Parameter &param : graph.params)
    names.push_back(param.name +
                    std::string(param.shape.size() == 2
                                    ? "[" + std::to_string(param.shape[0]) +
                                          "x" + std::to_string(param.shape[1]) +
                                          "]"
                                    : ""));
  return names;
}

TEST(Repeat, CopiesAreNumberedAfterTheLayersBefore) {
  CheckResult result = checkValues(
      "  body = Sequential(Flatten(), Linear(784, 8),\n"
      "                    Linear(8, 8) for i in range(2), ReLU())\n",
      "    y = body(image)\n");
  ASSERT_TRUE(result.graph) << result.text;
  std::vector<std::string> names = paramNames(*result.graph);
  EXPECT_EQ(names[0], "body.1.weight[8x784]");
  EXPECT_EQ(names[2], "body.2.weight[8x8]");
  EXPECT_EQ(names[4], "body.3.weight[8x8]");
  EXPECT_EQ(names[6], "head_.weight[10x784]");
}

TEST(Repeat, TupleElementsAreSplicedAndTheVariableIsAConstant) {
  CheckResult result = checkValues(
      "  body = Sequential(Flatten(),\n"
      "    (Linear(784 if i == 0 else 16 * i, 16 * (i + 1)), ReLU())\n"
      "        for i in range(3))\n",
      "    y = body(image)\n");
  ASSERT_TRUE(result.graph) << result.text;
  std::vector<std::string> names = paramNames(*result.graph);
  EXPECT_EQ(names[0], "body.1.weight[16x784]");
  EXPECT_EQ(names[2], "body.3.weight[32x16]");
  EXPECT_EQ(names[4], "body.5.weight[48x32]");
}

TEST(Repeat, RangeFollowsPython) {
  CheckResult result = checkValues(
      "  body = Sequential(Linear(784, 784) for i in range(10, 0, -3))\n",
      "    y = body(flatten(image, 1))\n");
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(result.graph->params.size(), 4u * 2 + 2); // 10, 7, 4, 1
}

TEST(Repeat, ErrorsNameTheCopy) {
  CheckResult result = check(
      model("  body = Sequential(Linear(4 - i, 4) for i in range(6))\n", ""));
  EXPECT_EQ(result.text.substr(0, result.text.find("\n", 80)),
            "4:28: error: in_features of Linear must be positive, found 0\n"
            "4:38: note: in the copy where i = 4");
}

TEST(Repeat, Misuse) {
  EXPECT_EQ(
      firstDiagnostic(model("  f = Linear(4, 4) for i in range(2)\n", "")),
      "4:20: error: a 'for' repetition must be an argument of "
      "Sequential: write 'Sequential(LAYER for i in range(n))'");
  EXPECT_EQ(
      firstDiagnostic(model("  f = Linear(4, 4 for i in range(2))\n", "")),
      "4:19: error: a 'for' repetition can only be an argument of "
      "Sequential");
  EXPECT_EQ(
      firstDiagnostic(model(
          "  f = Sequential(Linear(4, 4) for i in range(2, 9, 0))\n", "")),
      "4:52: error: range step must not be zero");
  EXPECT_EQ(firstDiagnostic(
                model("  f = Sequential(Linear(4, 4) for i in range())\n", "")),
            "4:40: error: range takes 1 to 3 arguments (stop, or start, "
            "stop[, step]), found 0");
  EXPECT_EQ(
      firstDiagnostic(model(
          "  f = Sequential(Linear(4, 4) for i in range(1000000))\n", "")),
      "4:40: error: range repeats 1000000 times; a model may define "
      "at most 100000 layers");
  EXPECT_EQ(firstDiagnostic(model(
                "  f = Sequential(Linear(4, 4) for i in range(0))\n", "")),
            "4:7: error: Sequential needs at least one layer; its "
            "repetitions produced none");
  EXPECT_EQ(firstDiagnostic(model("  i = 1\n  f = Sequential(Linear(4, 4) "
                                  "for i in range(2))\n",
                                  "")),
            "5:31: error: loop variable 'i' would hide the name defined "
            "before; choose another name");
  EXPECT_EQ(firstDiagnostic(model(
                "  f = Sequential(Linear(4, 4) for i in range(2) for j in "
                "range(2))\n",
                "")),
            "4:49: error: only one 'for' per repetition; nest a block or a "
            "tuple instead");
}

TEST(Conditional, PicksALayerOrAConstant) {
  CheckResult result = checkValues("  wide = false\n"
                                   "  width = 64 if wide else 32\n"
                                   "  act = GELU() if wide else ReLU()\n"
                                   "  fc = Linear(784, width)\n",
                                   "    y = act(fc(flatten(image, 1)))\n");
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(shapeOf(*result.graph, "y"), (std::vector<int64_t>{-1, 32}));
  const Node *act = producer(*result.graph, "y");
  ASSERT_TRUE(act);
  EXPECT_EQ(act->kind, Node::Kind::ReLU);
}

TEST(Conditional, OnlyTheChosenBranchIsChecked) {
  CheckResult result =
      checkValues("  act = ReLU() if true else Nonsense(1)\n",
                  "    y = act(image) if true else undefined_value\n");
  EXPECT_TRUE(result.graph) << result.text;
}

TEST(Conditional, AnIfAtALineStartIsAMemberIf) {
  CheckResult result = checkValues("  fc = Linear(784, 8)\n"
                                   "  if true {\n"
                                   "    extra = ReLU()\n"
                                   "  }\n",
                                   "    y = extra(fc(flatten(image, 1)))\n");
  EXPECT_TRUE(result.graph) << result.text;
  EXPECT_EQ(firstDiagnostic(model("  w = 3 if true\n", "")),
            "4:16: error: expected 'else' in conditional expression 'A if "
            "COND else B', found 'forward'");
}

} // namespace
