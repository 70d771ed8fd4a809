//===- Parser.h - recursive-descent parser for model files ------*- C++ -*-===//
//
// Builds the AST from tokens. After a syntax error the parser skips to the
// next line that starts a member or statement, so one run reports several
// independent errors without echoing the first one.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_PARSER_H
#define NNCC_FRONTEND_PARSER_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Token.h"

#include <vector>

namespace nncc {

/// Calls, parentheses, unary operators and `if` blocks nest at most this
/// deep; deeper input is an error, so the recursive parser (and everything
/// that walks its tree) has bounded stack use.
constexpr unsigned kMaxNestingDepth = 64;

/// Chains of binary operators (`a + b + c ...`) build trees without nesting
/// in the source; their height is bounded separately.
constexpr unsigned kMaxExprHeight = 256;

ast::File parse(std::vector<Token> tokens, DiagnosticEngine &diags);

} // namespace nncc

#endif // NNCC_FRONTEND_PARSER_H
