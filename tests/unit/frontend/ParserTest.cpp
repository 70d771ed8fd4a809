//===- ParserTest.cpp - syntax errors and recovery ------------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

const char *kValidMembers = "  fc = Linear(784, 10)\n"
                            "  flat = Flatten()\n"
                            "  ce = CrossEntropyLoss()\n";
const char *kValidForward = "    x = flat(image)\n"
                            "    y = fc(x)\n"
                            "    l = ce(y, label)\n"
                            "    return y\n"
                            "    minimize l\n";

TEST(Parser, ValidModelHasNoDiagnostics) {
  CheckResult result = check(model(kValidMembers, kValidForward));
  EXPECT_EQ(result.text, "");
  EXPECT_TRUE(result.graph);
}

TEST(Parser, TrailingCommaAndKeywordArguments) {
  CheckResult result =
      check(model("  fc = Linear(in_features=784, out_features=10, "
                  "bias=false,)\n"
                  "  flat = Flatten(1, -1)\n"
                  "  ce = CrossEntropyLoss(label_smoothing=0.1)\n",
                  kValidForward));
  EXPECT_EQ(result.text, "");
  ASSERT_TRUE(result.graph);
  EXPECT_EQ(result.graph->params.size(), 1u);
}

TEST(Parser, MissingCommaPointsAfterThePreviousLine) {
  CheckResult result = check(model("  layers = Sequential(\n"
                                   "    Flatten()\n"
                                   "    Linear(784, 10),\n"
                                   "  )\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    y = layers(image)\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  EXPECT_EQ(result.text,
            "5:14: error: expected ',' or ')' after argument of 'Sequential', "
            "found identifier 'Linear'\n"
            "4:22: note: to match this '('\n");
}

TEST(Parser, MissingCommaOnTheSameLine) {
  EXPECT_EQ(firstDiagnostic(model("  fc = Linear(3 4)\n", "")),
            "4:17: error: expected ',' or ')' after argument of 'Linear', "
            "found integer 4");
}

TEST(Parser, MissingCloseParenInForward) {
  CheckResult result = check(model(kValidMembers, "    x = flat(image\n"
                                                  "    y = fc(x)\n"
                                                  "    l = ce(y, label)\n"
                                                  "    return y\n"
                                                  "    minimize l\n"));
  EXPECT_EQ(result.text,
            "8:19: error: expected ',' or ')' after argument of 'flat', "
            "found identifier 'y'\n"
            "8:13: note: to match this '('\n");
  EXPECT_FALSE(result.graph);
}

TEST(Parser, SeveralIndependentErrorsInOneRun) {
  CheckResult result = check("model M {\n"
                             "  input image f32[N, 784]\n"
                             "  fc = Linear(784 10)\n"
                             "  ce = CrossEntropyLoss()\n"
                             "  forward {\n"
                             "    y = fc(image))\n"
                             "    return y\n"
                             "  }\n"
                             "}\n");
  EXPECT_EQ(result.text,
            "2:15: error: expected ':' after input name, found identifier "
            "'f32'\n"
            "3:19: error: expected ',' or ')' after argument of 'Linear', "
            "found integer 10\n"
            "6:18: error: expected a statement ('NAME = ...', 'return ...', "
            "'minimize ...' or 'if ...'), found ')'\n");
}

TEST(Parser, MemberWithoutInputKeyword) {
  EXPECT_EQ(firstDiagnostic("model M {\n  image: f32[N, 3]\n}\n"),
            "2:3: error: expected 'input' before 'image:'; inputs are "
            "declared as 'input image: f32[N, ...]'");
}

TEST(Parser, GarbageAtTopLevel) {
  EXPECT_EQ(firstDiagnostic("layers = Linear(1, 2)\n"),
            "1:1: error: expected 'model', 'block' or 'import', found "
            "identifier 'layers'");
}

TEST(Parser, MissingModelName) {
  EXPECT_EQ(firstDiagnostic("model {\n}\n"),
            "1:7: error: expected model name after 'model', found '{'");
}

TEST(Parser, UnclosedModel) {
  CheckResult result = check("model M {\n  fc = Linear(1, 2)\n");
  EXPECT_EQ(result.text, "2:20: error: expected '}' at end of model 'M', "
                         "found end of file\n"
                         "1:9: note: to match this '{'\n");
}

TEST(Parser, UnclosedForward) {
  CheckResult result =
      check(model(kValidMembers, kValidForward).substr(0, 190));
  EXPECT_NE(result.text.find("error: expected '}' at end of forward block"),
            std::string::npos)
      << result.text;
}

TEST(Parser, BadTypes) {
  EXPECT_EQ(firstDiagnostic("model M {\n  input x: f32[]\n}\n"),
            "2:16: error: expected dimension (an integer or 'N'), found ']'");
  EXPECT_EQ(firstDiagnostic("model M {\n  input x: f32(N)\n}\n"),
            "2:15: error: expected '[' after element type, found '('");
  EXPECT_EQ(firstDiagnostic("model M {\n  input x: f32[N, 3\n}\n"),
            "2:20: error: expected ']' or ',' after dimension, found '}'");
}

TEST(Parser, BadExpressions) {
  EXPECT_EQ(firstDiagnostic(model("  fc = Linear(-)\n", "")),
            "4:16: error: expected an expression, found ')'");
  EXPECT_EQ(firstDiagnostic(model("  fc = Linear(,)\n", "")),
            "4:15: error: expected an expression, found ','");
  EXPECT_EQ(firstDiagnostic(model("  fc = \n", "")),
            "4:7: error: expected an expression, found 'forward'");
}

TEST(Parser, KeywordIsNotAName) {
  EXPECT_EQ(firstDiagnostic(model("", "    input = fc(image)\n")),
            "5:5: error: 'input' is a keyword and cannot be used as a name");
  EXPECT_EQ(firstDiagnostic(model("  forward = ReLU()\n", "")),
            "4:3: error: 'forward' is a keyword and cannot be used as a name");
}

TEST(Parser, SyntaxErrorDoesNotCascadeIntoUndefinedNames) {
  // `layers` is broken, but it exists: its uses are not reported again.
  CheckResult result =
      check(model("  layers = Sequential(Flatten() Linear(784, 10))\n"
                  "  ce = CrossEntropyLoss()\n",
                  "    y = layers(image)\n"
                  "    l = ce(y, label)\n"
                  "    return y\n"
                  "    minimize l\n"));
  EXPECT_EQ(result.diags.errorCount(), 1u) << result.text;
}

TEST(Parser, BlockSyntaxErrors) {
  EXPECT_EQ(firstDiagnostic("block {\n}\n"),
            "1:7: error: expected block name after 'block', found '{'");
  EXPECT_EQ(firstDiagnostic("block B[x] {\n}\n"),
            "1:8: error: expected '(' or '{' after block name, found '['");
  EXPECT_EQ(firstDiagnostic("block B(x y) {\n}\n"),
            "1:11: error: expected ',' or ')' after parameter of block 'B', "
            "found identifier 'y'");
  EXPECT_EQ(firstDiagnostic("block B(1) {\n}\n"),
            "1:9: error: expected a parameter name, found integer 1");
  EXPECT_EQ(firstDiagnostic("block B(x) {\n  forward(x) { return x\n}\n"),
            "3:2: error: expected '}' at end of block 'B', found end of file");
}

TEST(Parser, BlockWithoutParenthesesHasNoParameters) {
  CheckResult result =
      checkValues("  s = Stem()\n", "    y = s(image)\n",
                  "block Stem {\n  forward(x) { return relu(x) }\n}\n");
  EXPECT_TRUE(result.graph) << result.text;
}

TEST(Parser, IfSyntaxErrors) {
  EXPECT_EQ(firstDiagnostic(model("  if k = 1 {\n  }\n", "")),
            "4:8: error: expected '{' after the condition (use '==' to "
            "compare), found '='");
  EXPECT_EQ(firstDiagnostic(model("  if true\n  fc = ReLU()\n", "")),
            "4:10: error: expected '{', found identifier 'fc'");
  EXPECT_EQ(firstDiagnostic(model("", "    if true { y = 1 } else y = 2\n")),
            "5:28: error: expected '{', found identifier 'y'");
  EXPECT_EQ(
      firstDiagnostic(model("  if true {\n    input x: f32[N]\n  }\n", "")),
      "5:5: error: inputs cannot be declared inside 'if'");
  EXPECT_EQ(
      firstDiagnostic(model("  if true {\n    forward {\n    }\n  }\n", "")),
      "5:5: error: 'forward' cannot be inside 'if'; put the 'if' inside "
      "forward");
  EXPECT_EQ(firstDiagnostic("model M {\n  forward(x) {\n  }\n}\n"),
            "2:3: error: a model's forward takes no parameters; declare its "
            "inputs with 'input NAME: TYPE'");
}

TEST(Parser, BrokenConditionKeepsTheBody) {
  // The body's '}' must not end the model: one error, nothing else.
  CheckResult result =
      checkValues("  if 1 + {\n    fc = ReLU()\n  }\n", "    y = fc(image)\n");
  EXPECT_EQ(result.diags.errorCount(), 1u) << result.text;
  EXPECT_EQ(result.text, "4:10: error: expected an expression, found '{'\n");
}

TEST(Parser, ElseIfChains) {
  CheckResult result = checkValues(
      "  k = 2\n"
      "  if k == 1 { a = ReLU() } else if k == 2 { a = Tanh() } else { a = "
      "Sigmoid() }\n",
      "    if k > 1 {\n      y = a(image)\n    } else if k > 0 {\n"
      "      y = image\n    } else {\n      y = image\n    }\n");
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(producer(*result.graph, "y")->kind, Node::Kind::Tanh);
}

} // namespace
