//===- Const.h - compile-time values ----------------------------*- C++ -*-===//
//
// Hyper-parameters are evaluated while the model is checked: block
// arguments, constant members, layer arguments and `if` conditions are all
// Consts. Arithmetic follows Python 3 (`/` gives a float, `//` and `%`
// round toward negative infinity) with two differences that catch
// mistakes: integers do not overflow silently, and `and`/`or`/`not` and
// conditions take only booleans.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_CONST_H
#define NNCC_FRONTEND_CONST_H

#include "frontend/AST.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

struct Const {
  enum class Kind { Int, Float, Bool, String, None, Tuple };
  Kind kind = Kind::None;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string stringValue;
  std::vector<Const> elements; ///< Tuple

  static Const ofInt(int64_t value);
  static Const ofFloat(double value);
  static Const ofBool(bool value);
  static Const ofString(std::string value);
  static Const none() { return Const(); }

  bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
  double asDouble() const {
    return kind == Kind::Int ? static_cast<double>(intValue) : floatValue;
  }
};

/// The value as it would be written: `3`, `0.1`, `true`, `"same"`, `(3, 3)`.
std::string formatConst(const Const &value);

/// The value for "found X" messages: `integer 3`, `string "same"`.
std::string describeConst(const Const &value);

/// Folds `lhs op rhs`; on failure returns nullopt and sets `error` to a
/// message such as "division by zero".
std::optional<Const> foldBinary(ast::BinaryOp op, const Const &lhs,
                                const Const &rhs, std::string &error);
std::optional<Const> foldUnary(ast::UnaryOp op, const Const &operand,
                               std::string &error);

} // namespace nncc

#endif // NNCC_FRONTEND_CONST_H
