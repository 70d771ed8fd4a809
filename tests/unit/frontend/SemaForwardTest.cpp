//===- SemaForwardTest.cpp - diagnostics about forward and shapes ---------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

// Members on lines 4-9; forward statements start on line 11.
const char *kMembers = "  layers = Sequential(\n"
                       "    Flatten(),\n"
                       "    Linear(3136, 128),\n"
                       "  )\n"
                       "  fc = Linear(784, 10)\n"
                       "  ce = CrossEntropyLoss()\n";

/// Diagnostics for `stmts`, leaving out the missing return/minimize errors
/// that most of these incomplete forward blocks also get.
std::string forward(const std::string &stmts) {
  std::string text = check(model(kMembers, stmts)).text, kept;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start) + 1;
    std::string line = text.substr(start, end - start);
    if (line.find("forward block has no") == std::string::npos)
      kept += line;
    start = end;
  }
  return kept;
}

TEST(SemaForward, LinearFeatureMismatchInsideSequential) {
  EXPECT_EQ(forward("    y = layers(image)\n"),
            "6:12: error: Linear(3136, 128) expects 3136 input features; "
            "'layers.0' (Flatten) produces 784\n");
}

TEST(SemaForward, LinearFeatureMismatchAtTheCall) {
  CheckResult result = check(model("  flat = Flatten()\n"
                                   "  fc = Linear(3136, 10)\n",
                                   "    x = flat(image)\n"
                                   "    y = fc(x)\n"));
  EXPECT_EQ(result.text.substr(0, result.text.find("\n6:")),
            "8:12: error: Linear(3136, 10) expects 3136 input features; 'x' "
            "has 784\n"
            "5:8: note: 'fc' is defined here");
}

TEST(SemaForward, LinearNeedsAFlatInput) {
  EXPECT_EQ(forward("    y = fc(image)\n"),
            "11:12: error: Linear(784, 10) expects an input of shape [N, 784]; "
            "'image' is f32[N, 1, 28, 28]; flatten it first\n"
            "8:8: note: 'fc' is defined here\n");
}

TEST(SemaForward, LayerNeedsAnF32Input) {
  EXPECT_EQ(forward("    y = fc(label)\n"),
            "11:12: error: Linear expects an f32 input; 'label' is i64[N]\n"
            "8:8: note: 'fc' is defined here\n");
}

TEST(SemaForward, FlattenDimensions) {
  auto flattenError = [](const std::string &args) {
    std::string text =
        check(model("  f = Flatten(" + args + ")\n", "    y = f(image)\n"))
            .text;
    return text.substr(0, text.find("\n5:3"));
  };
  // The argument is at fault; the note says where the input comes from.
  EXPECT_EQ(flattenError("start_dim=4"),
            "4:25: error: Flatten start_dim=4 is out of range for a 4-d "
            "input; 'image' is f32[N, 1, 28, 28]\n"
            "6:11: note: 'f' is applied to 'image' here");
  EXPECT_EQ(flattenError("1, -5"),
            "4:18: error: Flatten end_dim=-5 is out of range for a 4-d input; "
            "'image' is f32[N, 1, 28, 28]\n"
            "6:11: note: 'f' is applied to 'image' here");
  EXPECT_EQ(flattenError("3, 1"),
            "4:15: error: Flatten start_dim=3 comes after end_dim=1; 'image' "
            "is f32[N, 1, 28, 28]\n"
            "6:11: note: 'f' is applied to 'image' here");
  EXPECT_EQ(flattenError("0"),
            "4:15: error: Flatten cannot merge the batch dimension N into "
            "other dimensions; use start_dim=1; 'image' is f32[N, 1, 28, 28]\n"
            "6:11: note: 'f' is applied to 'image' here");
}

TEST(SemaForward, UndefinedValueSuggestsAndPointsAtIt) {
  EXPECT_EQ(forward("    y = fc(imgae)\n"),
            "11:12: error: use of undefined value 'imgae'; did you mean "
            "'image'?\n"
            "2:9: note: 'image' is defined here\n");
  EXPECT_EQ(forward("    y = fc(zzz)\n"),
            "11:12: error: use of undefined value 'zzz'\n");
}

TEST(SemaForward, UndefinedMemberSuggestsAndPointsAtIt) {
  EXPECT_EQ(forward("    y = layer(image)\n"),
            "11:9: error: use of undefined member 'layer'; did you mean "
            "'layers'?\n"
            "4:3: note: 'layers' is defined here\n");
}

TEST(SemaForward, UseBeforeDefinition) {
  EXPECT_EQ(forward("    y = fc(x)\n    x = layers(image)\n"),
            "11:12: error: 'x' is used before it is defined\n"
            "12:5: note: 'x' is defined here\n"
            "6:12: error: Linear(3136, 128) expects 3136 input features; "
            "'layers.0' (Flatten) produces 784\n");
}

TEST(SemaForward, SameErrorTwiceIsReportedOnce) {
  EXPECT_EQ(forward("    y = layers(image)\n    y = layers(image)\n"),
            "6:12: error: Linear(3136, 128) expects 3136 input features; "
            "'layers.0' (Flatten) produces 784\n");
}

TEST(SemaForward, MembersCannotBeReassigned) {
  EXPECT_EQ(forward("    fc = layers(image)\n"),
            "11:5: error: redefinition of 'fc'\n"
            "8:3: note: previous definition of 'fc' is here\n"
            "6:12: error: Linear(3136, 128) expects 3136 input features; "
            "'layers.0' (Flatten) produces 784\n");
}

TEST(SemaForward, ModulesAndValuesAreNotInterchangeable) {
  EXPECT_EQ(forward("    y = image(fc)\n"),
            "11:9: error: 'image' is a value, not a module; only members "
            "defined as 'NAME = LAYER(...)' can be applied\n"
            "11:15: error: 'fc' is a module, not a value; apply it to a "
            "value, e.g. 'fc(x)'\n");
  EXPECT_EQ(forward("    y = ReLU(image)\n"),
            "11:9: error: 'ReLU' is a layer type, not a member; define a "
            "member such as 'm = ReLU(...)' and apply that, or call "
            "'relu(...)'\n");
  EXPECT_EQ(forward("    y = Linear(image)\n"),
            "11:9: error: 'Linear' is a layer type, not a member; define a "
            "member such as 'm = Linear(...)' and apply that\n");
  EXPECT_EQ(forward("    y = fc\n"),
            "11:9: error: 'fc' is a module, not a value; apply it to a "
            "value, e.g. 'fc(x)'\n");
  EXPECT_EQ(forward("    y = fc(3)\n"),
            "11:12: error: expected a tensor, found integer 3\n");
  EXPECT_EQ(forward("    y = fc(x=image)\n"),
            "11:12: error: keyword arguments cannot be used when applying a "
            "module\n");
}

TEST(SemaForward, WrongNumberOfInputs) {
  EXPECT_EQ(forward("    l = ce(image)\n"),
            "11:9: error: 'ce' (CrossEntropyLoss) takes 2 inputs (logits, "
            "target); 1 given\n"
            "9:8: note: 'ce' is defined here\n");
  EXPECT_EQ(forward("    y = layers(image, label)\n"),
            "11:9: error: 'layers' (Sequential) takes 1 input; 2 given\n"
            "4:12: note: 'layers' is defined here\n");
}

TEST(SemaForward, LossOperandTypes) {
  CheckResult result =
      check(model("  ce = CrossEntropyLoss()\n", "    l = ce(image, image)\n"));
  EXPECT_EQ(result.text,
            "6:12: error: CrossEntropyLoss expects f32 logits of shape "
            "[N, C]; 'image' is f32[N, 1, 28, 28]\n"
            "4:8: note: 'ce' is defined here\n"
            "6:19: error: CrossEntropyLoss expects a target of class indices "
            "of type i64[N]; 'image' is f32[N, 1, 28, 28]\n"
            "4:8: note: 'ce' is defined here\n"
            "5:3: error: forward block has no 'return'; return the model's "
            "output, e.g. 'return logits'\n"
            "5:3: error: forward block has no 'minimize'; minimize a scalar "
            "loss, e.g. 'minimize loss'\n");
}

TEST(SemaForward, MinimizeNeedsAScalar) {
  EXPECT_EQ(
      forward("    x = fc(image)\n    return image\n    minimize image\n"),
      "11:12: error: Linear(784, 10) expects an input of shape [N, 784]; "
      "'image' is f32[N, 1, 28, 28]; flatten it first\n"
      "8:8: note: 'fc' is defined here\n"
      "13:14: error: 'minimize' needs a scalar f32 loss; 'image' is "
      "f32[N, 1, 28, 28]; apply a loss such as CrossEntropyLoss "
      "first\n");
}

TEST(SemaForward, ReturnAndMinimizeOnlyOnce) {
  EXPECT_EQ(forward("    return image\n    return image\n"
                    "    minimize x\n    minimize x\n"),
            "12:5: error: more than one 'return' in forward\n"
            "11:5: note: previous 'return' is here\n"
            "13:14: error: use of undefined value 'x'\n"
            "14:5: error: more than one 'minimize' in forward\n"
            "13:5: note: previous 'minimize' is here\n");
}

TEST(SemaForward, MissingForwardBlock) {
  EXPECT_EQ(firstDiagnostic("model M {\n  fc = ReLU()\n}\n"),
            "1:7: error: model 'M' has no 'forward' block");
}

TEST(SemaForward, OnlyOneForwardBlock) {
  CheckResult result = check(model("", "") + "");
  std::string text =
      check("model M {\n  forward {\n  }\n  forward {\n  }\n}\n").text;
  EXPECT_EQ(text.substr(0, text.find("\n2:3: error")),
            "4:3: error: a model can have only one 'forward' block\n"
            "2:3: note: first 'forward' block is here");
}

TEST(SemaForward, UnusedMembersAndInputsWarn) {
  CheckResult result = check(model("  flat = Flatten()\n"
                                   "  fc = Linear(784, 10)\n"
                                   "  spare = ReLU()\n"
                                   "  ce = CrossEntropyLoss()\n",
                                   "    y = fc(flat(image))\n"
                                   "    l = ce(y, label)\n"
                                   "    return y\n"
                                   "    minimize l\n"));
  EXPECT_EQ(result.text, "6:3: warning: member 'spare' is never used\n");
  EXPECT_TRUE(result.graph);
}

TEST(SemaForward, NoUnusedWarningsAfterErrors) {
  CheckResult result =
      check(model("  spare = ReLU()\n", "    y = zz(image)\n"));
  EXPECT_EQ(result.diags.warningCount(), 0u);
}

TEST(SemaForward, ErrorsDoNotCascadeThroughPoisonedValues) {
  // `y` could not be computed; its uses must not be reported again.
  CheckResult result = check(model(kMembers, "    y = layers(image)\n"
                                             "    z = fc(y)\n"
                                             "    l = ce(z, label)\n"
                                             "    return z\n"
                                             "    minimize l\n"));
  EXPECT_EQ(result.diags.errorCount(), 1u) << result.text;
}

} // namespace
