//===- Lexer.h - split a model file into tokens -----------------*- C++ -*-===//
//
// Lexing never fails: bad characters, unterminated strings and out-of-range
// numbers are reported and skipped (or marked malformed), so the parser
// always gets a token stream ending in Eof.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_LEXER_H
#define NNCC_FRONTEND_LEXER_H

#include "frontend/Diagnostics.h"
#include "frontend/Token.h"

#include <string>
#include <vector>

namespace nncc {

/// Longer identifiers are an error; they are never needed and would make
/// messages and "did you mean" suggestions expensive.
constexpr size_t kMaxIdentifierLength = 256;

std::vector<Token> lex(const std::string &file, const std::string &text,
                       DiagnosticEngine &diags);

} // namespace nncc

#endif // NNCC_FRONTEND_LEXER_H
