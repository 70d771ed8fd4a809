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
            "1:1: error: expected 'model' or 'block', found identifier "
            "'layers'");
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

} // namespace
