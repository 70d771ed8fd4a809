//===- ExprTest.cpp - hyper-parameter expressions -------------------------===//
//
// Arithmetic follows Python 3 (floor division and modulo round toward
// negative infinity, `/` gives a float); overflow, division by zero and
// non-boolean conditions are errors. Checked both on the folding functions
// and end to end through layer arguments.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestUtil.h"

#include "frontend/Const.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

using Op = ast::BinaryOp;

std::string fold(Op op, const Const &a, const Const &b) {
  std::string error;
  std::optional<Const> result = foldBinary(op, a, b, error);
  return result ? describeConst(*result) : "error: " + error;
}

Const i(int64_t v) { return Const::ofInt(v); }
Const f(double v) { return Const::ofFloat(v); }
Const b(bool v) { return Const::ofBool(v); }

TEST(ConstFold, PythonIntegerDivision) {
  EXPECT_EQ(fold(Op::FloorDiv, i(7), i(2)), "integer 3");
  EXPECT_EQ(fold(Op::FloorDiv, i(-7), i(2)), "integer -4");
  EXPECT_EQ(fold(Op::FloorDiv, i(7), i(-2)), "integer -4");
  EXPECT_EQ(fold(Op::Mod, i(-7), i(3)), "integer 2");
  EXPECT_EQ(fold(Op::Mod, i(7), i(-3)), "integer -2");
  EXPECT_EQ(fold(Op::Div, i(7), i(2)), "number 3.5");
  EXPECT_EQ(fold(Op::Div, i(6), i(2)), "number 3.0");
  EXPECT_EQ(fold(Op::FloorDiv, f(-7.5), i(2)), "number -4.0");
  EXPECT_EQ(fold(Op::Mod, f(-7.5), i(2)), "number 0.5");
  EXPECT_EQ(fold(Op::FloorDiv, i(INT64_MIN), i(-1)),
            "error: integer overflow in '//'");
  EXPECT_EQ(fold(Op::Mod, i(INT64_MIN), i(-1)), "integer 0");
}

TEST(ConstFold, ErrorsInsteadOfSurprises) {
  EXPECT_EQ(fold(Op::FloorDiv, i(1), i(0)), "error: integer division by zero");
  EXPECT_EQ(fold(Op::Div, i(1), i(0)), "error: division by zero");
  EXPECT_EQ(fold(Op::Mul, i(INT64_MAX), i(2)),
            "error: integer overflow in '*'");
  EXPECT_EQ(fold(Op::Mul, f(1e308), i(10)),
            "error: the result of '*' is not a finite number");
  EXPECT_EQ(fold(Op::Add, i(1), b(true)),
            "error: '+' needs numbers, found 'true'");
  EXPECT_EQ(fold(Op::And, b(true), i(1)),
            "error: 'and' needs 'true' or 'false' on both sides, found "
            "integer 1");
  EXPECT_EQ(fold(Op::Lt, Const::ofString("a"), i(1)),
            "error: '<' needs numbers, found string \"a\"");
  std::string error;
  EXPECT_FALSE(foldUnary(ast::UnaryOp::Not, i(0), error));
  EXPECT_EQ(error, "'not' needs 'true' or 'false', found integer 0");
  EXPECT_FALSE(foldUnary(ast::UnaryOp::Neg, i(INT64_MIN), error));
}

TEST(ConstFold, Comparisons) {
  EXPECT_EQ(fold(Op::Eq, i(1), f(1.0)), "'true'");
  EXPECT_EQ(fold(Op::Ne, i(2), i(1)), "'true'");
  EXPECT_EQ(fold(Op::Le, i(2), f(2.5)), "'true'");
  EXPECT_EQ(fold(Op::Gt, i(2), i(2)), "'false'");
  EXPECT_EQ(fold(Op::Ge, i(2), i(2)), "'true'");
  // Values of different kinds are unequal, as in Python.
  EXPECT_EQ(fold(Op::Eq, Const::ofString("same"), i(1)), "'false'");
  EXPECT_EQ(fold(Op::Eq, Const::none(), Const::none()), "'true'");
  EXPECT_EQ(fold(Op::Or, b(false), b(true)), "'true'");
}

TEST(ConstFold, FormatsLikePython) {
  EXPECT_EQ(formatConst(f(1e-5)), "1e-05");
  EXPECT_EQ(formatConst(f(0.1)), "0.1");
  EXPECT_EQ(formatConst(f(784)), "784.0");
  Const pair;
  pair.kind = Const::Kind::Tuple;
  pair.elements = {i(3), i(5)};
  EXPECT_EQ(formatConst(pair), "(3, 5)");
  EXPECT_EQ(formatConst(Const::ofString("same")), "\"same\"");
}

/// The out_features that `expr` evaluates to in `Linear(784, expr)`.
int64_t outFeatures(const std::string &constants, const std::string &expr) {
  CheckResult result =
      checkValues(constants + "  fc = Linear(784, " + expr + ")\n",
                  "    y = fc(flatten(image, 1))\n");
  if (!result.graph)
    return -1;
  return result.graph->params[0].shape[0];
}

TEST(Expr, PrecedenceAsInPython) {
  EXPECT_EQ(outFeatures("", "2 + 3 * 4"), 14);
  EXPECT_EQ(outFeatures("", "(2 + 3) * 4"), 20);
  EXPECT_EQ(outFeatures("", "20 - 6 - 4"), 10);
  EXPECT_EQ(outFeatures("", "64 // 2 // 4"), 8);
  EXPECT_EQ(outFeatures("", "-3 * -4"), 12);
  EXPECT_EQ(outFeatures("", "17 % 5 + 1"), 3);
  EXPECT_EQ(outFeatures("", "--5"), 5);
}

TEST(Expr, ConstantMembers) {
  EXPECT_EQ(outFeatures("  width = 64\n  mult = 2\n", "width * mult"), 128);
  EXPECT_EQ(outFeatures("  width = 64\n  half = width // 2\n", "half"), 32);
}

TEST(Expr, FloatArgumentsFromArithmetic) {
  CheckResult result =
      checkValues("  d = Dropout(p=1 / 4)\n"
                  "  fc = Linear(2, 2, init=\"kaiming_normal\", "
                  "init_a=0.5 * 3)\n",
                  "    y = d(image)\n");
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(producer(*result.graph, "y")->floatAttrs.at("p"), 0.25);
  EXPECT_EQ(result.graph->params[0].initParam, 1.5);
}

std::string exprError(const std::string &members) {
  return firstDiagnostic(model(members, ""));
}

TEST(Expr, Errors) {
  EXPECT_EQ(exprError("  fc = Linear(784, 10 // 0)\n"),
            "4:23: error: integer division by zero");
  EXPECT_EQ(exprError("  fc = Linear(784, 10 / 2)\n"),
            "4:20: error: argument 'out_features' of Linear must be an "
            "integer, found number 5.0");
  EXPECT_EQ(exprError("  k = 1 < 2 < 3\n"),
            "4:13: error: comparisons cannot be chained; write 'a < b and b "
            "< c'");
  EXPECT_EQ(exprError("  k = not 1\n"),
            "4:7: error: 'not' needs 'true' or 'false', found integer 1");
  EXPECT_EQ(exprError("  k = -\"a\"\n"),
            "4:7: error: unary '-' needs a number, found string \"a\"");
  EXPECT_EQ(exprError("  k = x + 1\n"),
            "4:7: error: use of undefined name 'x'");
  EXPECT_EQ(exprError("  k = k + 1\n"),
            "4:7: error: use of undefined name 'k'");
  EXPECT_EQ(exprError("  k = None\n"),
            "4:7: error: use of undefined name 'None'; write 'none'");
  EXPECT_EQ(exprError("  k = image * 2\n"),
            "4:7: error: 'image' is an input; members can only use constants");
  EXPECT_EQ(exprError("  fc = Linear(1, 1)\n  k = fc\n"),
            "5:7: error: 'fc' is a module, not a value; apply it to a value, "
            "e.g. 'fc(x)'");
  EXPECT_EQ(exprError("  k = 1 +\n"),
            "4:10: error: expected an expression, found 'forward'");
  EXPECT_EQ(exprError("  k = (1, 2\n"),
            "4:12: error: expected ',' or ')', found 'forward'");
}

TEST(Expr, Tuples) {
  CheckResult result = checkValues("  c = Conv2d(1, 2, (3, 5), stride=(1, 2), "
                                   "padding=(1, 0))\n",
                                   "    y = c(image)\n");
  ASSERT_TRUE(result.graph) << result.text;
  EXPECT_EQ(result.graph->params[0].shape, (std::vector<int64_t>{2, 1, 3, 5}));
  EXPECT_EQ(shapeOf(*result.graph, "y"),
            (std::vector<int64_t>{kBatchDim, 2, 28, 12}));
  EXPECT_EQ(exprError("  c = Conv2d(1, 2, (3, 3, 3))\n"),
            "4:20: error: argument 'kernel_size' of Conv2d must be an integer "
            "or a pair (h, w) of integers, found tuple (3, 3, 3)");
  EXPECT_EQ(exprError("  c = Conv2d(1, 2, (3,))\n"),
            "4:20: error: argument 'kernel_size' of Conv2d must be an integer "
            "or a pair (h, w) of integers, found tuple (3,)");
}

TEST(Expr, LongOperatorChainsAreBounded) {
  std::string sum = "1";
  for (int n = 0; n < 300; ++n)
    sum += " + 1";
  EXPECT_EQ(exprError("  k = " + sum + "\n"),
            "4:1029: error: expression is too long; the limit is 256 nested "
            "operations");
  std::string ok = "1";
  for (int n = 0; n < 200; ++n)
    ok += " + 1";
  EXPECT_EQ(outFeatures("", ok), 201);
}

} // namespace
