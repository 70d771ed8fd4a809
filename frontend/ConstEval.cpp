//===- ConstEval.cpp - arithmetic on compile-time values ------------------===//
//
// Python 3 semantics for numbers: int op int stays an int (except `/`),
// any float makes a float, `//` floors and `%` takes the divisor's sign.
// Overflow and non-finite results are errors rather than wrapping or
// infinities that would surface later as nonsense shapes.
//
//===----------------------------------------------------------------------===//
#include "frontend/Const.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace nncc {

Const Const::ofInt(int64_t value) {
  Const c;
  c.kind = Kind::Int;
  c.intValue = value;
  return c;
}

Const Const::ofFloat(double value) {
  Const c;
  c.kind = Kind::Float;
  c.floatValue = value;
  return c;
}

Const Const::ofBool(bool value) {
  Const c;
  c.kind = Kind::Bool;
  c.boolValue = value;
  return c;
}

Const Const::ofString(std::string value) {
  Const c;
  c.kind = Kind::String;
  c.stringValue = std::move(value);
  return c;
}

/// The shortest spelling that reads back as the same double, as Python's
/// repr: 0.1, 1e-05, 784.0.
static std::string formatDouble(double value) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value)
      break;
  }
  std::string text = buf;
  if (text.find_first_of(".en") == std::string::npos)
    text += ".0";
  return text;
}

std::string formatConst(const Const &value) {
  switch (value.kind) {
  case Const::Kind::Int:
    return std::to_string(value.intValue);
  case Const::Kind::Float:
    return formatDouble(value.floatValue);
  case Const::Kind::Bool:
    return value.boolValue ? "true" : "false";
  case Const::Kind::String:
    return "\"" + value.stringValue + "\"";
  case Const::Kind::None:
    return "none";
  case Const::Kind::Tuple: {
    std::string text = "(";
    for (size_t i = 0; i < value.elements.size(); ++i)
      text += (i ? ", " : "") + formatConst(value.elements[i]);
    return text + (value.elements.size() == 1 ? ",)" : ")");
  }
  }
  return "?";
}

std::string describeConst(const Const &value) {
  switch (value.kind) {
  case Const::Kind::Int:
    return "integer " + formatConst(value);
  case Const::Kind::Float:
    return "number " + formatConst(value);
  case Const::Kind::String:
    return "string " + formatConst(value);
  case Const::Kind::Tuple:
    return "tuple " + formatConst(value);
  case Const::Kind::Bool:
  case Const::Kind::None:
    return "'" + formatConst(value) + "'";
  }
  return "?";
}

static bool equal(const Const &a, const Const &b) {
  if (a.isNumber() && b.isNumber())
    return a.kind == Const::Kind::Int && b.kind == Const::Kind::Int
               ? a.intValue == b.intValue
               : a.asDouble() == b.asDouble();
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case Const::Kind::Bool:
    return a.boolValue == b.boolValue;
  case Const::Kind::String:
    return a.stringValue == b.stringValue;
  case Const::Kind::Tuple:
    if (a.elements.size() != b.elements.size())
      return false;
    for (size_t i = 0; i < a.elements.size(); ++i)
      if (!equal(a.elements[i], b.elements[i]))
        return false;
    return true;
  default:
    return true; // none == none
  }
}

static std::optional<Const> foldInts(ast::BinaryOp op, int64_t a, int64_t b,
                                     std::string &error) {
  int64_t result = 0;
  bool overflow = false;
  switch (op) {
  case ast::BinaryOp::Add:
    overflow = __builtin_add_overflow(a, b, &result);
    break;
  case ast::BinaryOp::Sub:
    overflow = __builtin_sub_overflow(a, b, &result);
    break;
  case ast::BinaryOp::Mul:
    overflow = __builtin_mul_overflow(a, b, &result);
    break;
  case ast::BinaryOp::FloorDiv:
  case ast::BinaryOp::Mod:
    if (b == 0) {
      error = "integer division by zero";
      return std::nullopt;
    }
    if (b == -1) {
      overflow = op == ast::BinaryOp::FloorDiv &&
                 a == std::numeric_limits<int64_t>::min();
      result = op == ast::BinaryOp::FloorDiv && !overflow ? -a : 0;
      break;
    }
    if (op == ast::BinaryOp::FloorDiv) {
      result = a / b;
      if ((a % b != 0) && ((a < 0) != (b < 0)))
        --result;
    } else {
      result = a % b;
      if (result != 0 && ((result < 0) != (b < 0)))
        result += b;
    }
    break;
  default:
    return std::nullopt;
  }
  if (overflow) {
    error = std::string("integer overflow in '") + ast::spell(op) + "'";
    return std::nullopt;
  }
  return Const::ofInt(result);
}

static std::optional<Const> foldDoubles(ast::BinaryOp op, double a, double b,
                                        std::string &error) {
  double result = 0;
  switch (op) {
  case ast::BinaryOp::Add:
    result = a + b;
    break;
  case ast::BinaryOp::Sub:
    result = a - b;
    break;
  case ast::BinaryOp::Mul:
    result = a * b;
    break;
  case ast::BinaryOp::Div:
  case ast::BinaryOp::FloorDiv:
  case ast::BinaryOp::Mod: {
    if (b == 0) {
      error = "division by zero";
      return std::nullopt;
    }
    if (op == ast::BinaryOp::Div) {
      result = a / b;
      break;
    }
    // CPython's float floor division and modulo.
    double mod = std::fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) {
      mod += b;
      div -= 1.0;
    }
    if (op == ast::BinaryOp::Mod) {
      result = mod != 0 ? mod : std::copysign(0.0, b);
      break;
    }
    result = std::floor(div);
    if (div - result > 0.5)
      result += 1.0;
    break;
  }
  default:
    return std::nullopt;
  }
  if (!std::isfinite(result)) {
    error = std::string("the result of '") + ast::spell(op) +
            "' is not a finite number";
    return std::nullopt;
  }
  return Const::ofFloat(result);
}

std::optional<Const> foldBinary(ast::BinaryOp op, const Const &lhs,
                                const Const &rhs, std::string &error) {
  using Op = ast::BinaryOp;
  std::string spelled = std::string("'") + ast::spell(op) + "'";
  switch (op) {
  case Op::And:
  case Op::Or:
    for (const Const *side : {&lhs, &rhs})
      if (side->kind != Const::Kind::Bool) {
        error = spelled + " needs 'true' or 'false' on both sides, found " +
                describeConst(*side);
        return std::nullopt;
      }
    return Const::ofBool(op == Op::And ? lhs.boolValue && rhs.boolValue
                                       : lhs.boolValue || rhs.boolValue);
  case Op::Eq:
    return Const::ofBool(equal(lhs, rhs));
  case Op::Ne:
    return Const::ofBool(!equal(lhs, rhs));
  case Op::Lt:
  case Op::Le:
  case Op::Gt:
  case Op::Ge: {
    for (const Const *side : {&lhs, &rhs})
      if (!side->isNumber()) {
        error = spelled + " needs numbers, found " + describeConst(*side);
        return std::nullopt;
      }
    bool ints = lhs.kind == Const::Kind::Int && rhs.kind == Const::Kind::Int;
    bool less =
        ints ? lhs.intValue < rhs.intValue : lhs.asDouble() < rhs.asDouble();
    bool same = equal(lhs, rhs);
    bool result = op == Op::Lt   ? less
                  : op == Op::Le ? less || same
                  : op == Op::Gt ? !less && !same
                                 : !less;
    return Const::ofBool(result);
  }
  default:
    break;
  }
  for (const Const *side : {&lhs, &rhs})
    if (!side->isNumber()) {
      error = spelled + " needs numbers, found " + describeConst(*side);
      return std::nullopt;
    }
  if (lhs.kind == Const::Kind::Int && rhs.kind == Const::Kind::Int &&
      op != Op::Div)
    return foldInts(op, lhs.intValue, rhs.intValue, error);
  return foldDoubles(op, lhs.asDouble(), rhs.asDouble(), error);
}

std::optional<Const> foldUnary(ast::UnaryOp op, const Const &operand,
                               std::string &error) {
  if (op == ast::UnaryOp::Not) {
    if (operand.kind != Const::Kind::Bool) {
      error = "'not' needs 'true' or 'false', found " + describeConst(operand);
      return std::nullopt;
    }
    return Const::ofBool(!operand.boolValue);
  }
  if (!operand.isNumber()) {
    error = std::string("unary '") + ast::spell(op) +
            "' needs a number, found " + describeConst(operand);
    return std::nullopt;
  }
  if (op == ast::UnaryOp::Plus)
    return operand;
  if (operand.kind == Const::Kind::Float)
    return Const::ofFloat(-operand.floatValue);
  if (operand.intValue == std::numeric_limits<int64_t>::min()) {
    error = "integer overflow in '-'";
    return std::nullopt;
  }
  return Const::ofInt(-operand.intValue);
}

} // namespace nncc
