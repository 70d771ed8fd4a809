//===- SemaMembersTest.cpp - diagnostics about inputs and layers ----------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

/// The first diagnostic for a model with `members` and an empty forward.
std::string memberError(const std::string &members) {
  return firstDiagnostic(model(members, ""));
}

TEST(SemaMembers, EmptyFileHasNoModel) {
  EXPECT_EQ(firstDiagnostic(""), "1:1: error: expected a model definition "
                                 "'model NAME { ... }'; the file has none");
  EXPECT_EQ(firstDiagnostic("# only a comment\n"),
            "1:1: error: expected a model definition "
            "'model NAME { ... }'; the file has none");
}

TEST(SemaMembers, OnlyOneModelPerFile) {
  CheckResult result = check(model("", "") + "model Other {\n}\n");
  EXPECT_NE(result.text.find("7:1: error: a file can define only one "
                             "model\n1:1: note: model 'M' is defined here\n"),
            std::string::npos)
      << result.text;
}

TEST(SemaMembers, UnknownLayerSuggestsTheClosest) {
  EXPECT_EQ(memberError("  fc = Linaer(784, 10)\n"),
            "4:8: error: unknown layer 'Linaer'; did you mean 'Linear'?");
  EXPECT_EQ(memberError("  act = relu()\n"),
            "4:9: error: unknown layer 'relu'; did you mean 'ReLU'?");
  EXPECT_EQ(memberError("  c = Conv3d(1, 32, 3)\n"),
            "4:7: error: unknown layer 'Conv3d'; did you mean 'Conv2d'?");
}

TEST(SemaMembers, MembersOfASequentialMustBeLayers) {
  EXPECT_EQ(memberError("  s = Sequential(784)\n"),
            "4:18: error: expected a layer such as 'Linear(784, 10)', found "
            "integer 784");
  EXPECT_EQ(memberError("  s = Sequential(Linear)\n"),
            "4:18: error: expected a layer such as 'Linear(784, 10)', found "
            "name 'Linear'");
}

TEST(SemaMembers, UnknownKeywordArgument) {
  EXPECT_EQ(memberError("  fc = Linear(784, 10, bais=false)\n"),
            "4:24: error: Linear has no argument named 'bais'; did you mean "
            "'bias'?");
}

TEST(SemaMembers, ArgumentGivenTwice) {
  CheckResult result =
      check(model("  fc = Linear(784, 10, in_features=784)\n", ""));
  EXPECT_EQ(result.text.substr(0, result.text.find("\n5:")),
            "4:24: error: argument 'in_features' of Linear is given twice\n"
            "4:15: note: first given here");
  EXPECT_EQ(memberError("  fc = Linear(784, 10, bias=true, bias=false)\n"),
            "4:35: error: argument 'bias' of Linear is given twice");
}

TEST(SemaMembers, PositionalAfterKeyword) {
  EXPECT_EQ(memberError("  fc = Linear(in_features=784, 10)\n"),
            "4:32: error: positional argument follows keyword argument");
}

TEST(SemaMembers, TooManyArguments) {
  EXPECT_EQ(memberError("  fc = Linear(1, 2, true, 4)\n"),
            "4:27: error: Linear(in_features, out_features, bias, *, init, "
            "init_a, init_gain) takes at most 3 positional arguments; 4 "
            "given");
  EXPECT_EQ(memberError("  act = ReLU(true, 1)\n"),
            "4:20: error: ReLU(inplace) takes at most 1 positional argument; "
            "2 given");
  // label_smoothing is keyword-only, as PyTorch's first parameter is weight.
  EXPECT_EQ(memberError("  ce = CrossEntropyLoss(0.1)\n"),
            "4:25: error: CrossEntropyLoss(*, reduction, label_smoothing) "
            "takes no positional arguments; 1 given");
}

TEST(SemaMembers, MissingArgument) {
  EXPECT_EQ(memberError("  fc = Linear(784)\n"),
            "4:8: error: missing argument 'out_features' in call to "
            "Linear(in_features, out_features, bias, *, init, init_a, "
            "init_gain)");
}

TEST(SemaMembers, WrongArgumentTypes) {
  EXPECT_EQ(memberError("  fc = Linear(784.0, 10)\n"),
            "4:15: error: argument 'in_features' of Linear must be an "
            "integer, found number 784.0");
  EXPECT_EQ(memberError("  fc = Linear(784, 10, bias=1)\n"),
            "4:29: error: argument 'bias' of Linear must be 'true' or "
            "'false', found integer 1");
  EXPECT_EQ(memberError("  fc = Linear(\"784\", 10)\n"),
            "4:15: error: argument 'in_features' of Linear must be an "
            "integer, found string \"784\"");
  EXPECT_EQ(memberError("  fc = Linear(hidden, 10)\n"),
            "4:15: error: use of undefined name 'hidden'");
  EXPECT_EQ(memberError("  fc = Linear(ReLU(), 10)\n"),
            "4:15: error: expected a constant, found call 'ReLU(...)'; layers "
            "are applied in 'forward'");
  EXPECT_EQ(memberError("  ce = CrossEntropyLoss(label_smoothing=true)\n"),
            "4:41: error: argument 'label_smoothing' of CrossEntropyLoss "
            "must be a number, found 'true'");
}

TEST(SemaMembers, ArgumentValueRanges) {
  EXPECT_EQ(memberError("  fc = Linear(0, 10)\n"),
            "4:15: error: in_features of Linear must be positive, found 0");
  EXPECT_EQ(memberError("  fc = Linear(784, -3)\n"),
            "4:20: error: out_features of Linear must be positive, found -3");
  EXPECT_EQ(memberError("  fc = Linear(4294967296, 4294967296)\n"),
            "4:8: error: Linear(4294967296, 4294967296) is too large; the "
            "limit is 2^40 weights");
  EXPECT_EQ(memberError("  ce = CrossEntropyLoss(label_smoothing=1.5)\n"),
            "4:41: error: label_smoothing must be between 0.0 and 1.0, "
            "found 1.5");
  EXPECT_EQ(memberError("  ce = CrossEntropyLoss(reduction=\"sum\")\n"),
            "4:35: error: reduction=\"sum\" is not supported; only \"mean\" "
            "is");
}

TEST(SemaMembers, SequentialErrors) {
  EXPECT_EQ(memberError("  s = Sequential()\n"),
            "4:7: error: Sequential needs at least one layer");
  EXPECT_EQ(memberError("  s = Sequential(ReLU(), x=ReLU())\n"),
            "4:26: error: Sequential takes no keyword arguments");
  EXPECT_EQ(memberError("  s = Sequential(ReLU(), CrossEntropyLoss())\n"),
            "4:26: error: CrossEntropyLoss is a loss and cannot be part of a "
            "Sequential; apply it in 'forward'");
  EXPECT_EQ(memberError("  s = Sequential(ReLU(), 3)\n"),
            "4:26: error: expected a layer such as 'Linear(784, 10)', found "
            "integer 3");
}

TEST(SemaMembers, ReportsEveryBadLayerInASequential) {
  CheckResult result =
      check(model("  s = Sequential(Relu(), Linaer(1, 2))\n", ""));
  EXPECT_EQ(result.text.substr(0, result.text.find("\n5:")),
            "4:18: error: unknown layer 'Relu'; did you mean 'ReLU'?\n"
            "4:26: error: unknown layer 'Linaer'; did you mean 'Linear'?");
}

TEST(SemaMembers, Redefinition) {
  CheckResult result = check(model("  fc = ReLU()\n  fc = ReLU()\n"
                                   "  image = ReLU()\n",
                                   ""));
  EXPECT_EQ(result.text.substr(0, result.text.find("\n7:")),
            "5:3: error: redefinition of 'fc'\n"
            "4:3: note: previous definition of 'fc' is here\n"
            "6:3: error: redefinition of 'image'\n"
            "2:9: note: previous definition of 'image' is here");
}

std::string inputError(const std::string &type) {
  return firstDiagnostic("model M {\n  input x: " + type + "\n}\n");
}

TEST(SemaMembers, InputTypeErrors) {
  EXPECT_EQ(inputError("f16[N, 3]"),
            "2:12: error: unknown element type 'f16'; expected 'f32' or "
            "'i64'");
  EXPECT_EQ(inputError("f32[3, 4]"),
            "2:16: error: the first dimension of input 'x' must be the batch "
            "size 'N'");
  EXPECT_EQ(inputError("f32[N, N]"),
            "2:19: error: the batch size 'N' can only be the first dimension");
  EXPECT_EQ(inputError("f32[N, M]"),
            "2:19: error: unknown dimension 'M'; only the first dimension, "
            "the batch size 'N', is symbolic");
  EXPECT_EQ(inputError("f32[N, 0]"),
            "2:19: error: dimension must be positive, found 0");
  EXPECT_EQ(inputError("f32[N, 2097152, 1048576]"),
            "2:12: error: input 'x' is too large; the limit is 2^40 elements "
            "per batch item");
}

TEST(SemaMembers, InputErrorsAreIndependent) {
  CheckResult result = check("model M {\n  input x: f16[3, N]\n}\n");
  EXPECT_EQ(result.text.substr(0, result.text.find("\n1:7")),
            "2:12: error: unknown element type 'f16'; expected 'f32' or "
            "'i64'\n"
            "2:16: error: the first dimension of input 'x' must be the batch "
            "size 'N'\n"
            "2:19: error: the batch size 'N' can only be the first dimension");
}

} // namespace
