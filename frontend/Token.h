//===- Token.h - tokens of the model language -------------------*- C++ -*-===//
//
// The lexer turns a whole file into tokens up front; the parser looks ahead
// by index. Each token remembers whether it starts a line, which the parser
// uses to find a sensible place to resume after a syntax error.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_TOKEN_H
#define NNCC_FRONTEND_TOKEN_H

#include "frontend/Graph.h"

#include <cstdint>
#include <string>

namespace nncc {

enum class TokenKind {
  Eof,
  Ident,
  Int,
  Float,
  String,
  // Keywords.
  KwModel,
  KwInput,
  KwForward,
  KwReturn,
  KwMinimize,
  KwTrue,
  KwFalse,
  KwNone,
  KwBlock,
  KwIf,
  KwElse,
  KwAnd,
  KwOr,
  KwNot,
  KwFrozen,
  // Reserved for repetition and imports; no rule uses them yet.
  KwFor,
  KwIn,
  KwImport,
  // Punctuation and operators.
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equal,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  SlashSlash,
  Percent,
  EqualEqual,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string text; ///< spelling; the decoded value for strings
  SourceLoc loc;
  unsigned endCol = 0; ///< column just past the token, on loc.line
  int64_t intValue = 0;
  double floatValue = 0;
  bool startsLine = false;
  /// The lexer already reported this literal as invalid; later stages must
  /// not report anything about it again.
  bool malformed = false;

  bool is(TokenKind k) const { return kind == k; }
};

/// The fixed spelling of a keyword or punctuation kind, e.g. "'('".
const char *spell(TokenKind kind);
/// Describes a token for "expected X, found Y" messages.
std::string describe(const Token &tok);
/// True for the reserved words, which cannot name anything.
bool isKeyword(TokenKind kind);

} // namespace nncc

#endif // NNCC_FRONTEND_TOKEN_H
