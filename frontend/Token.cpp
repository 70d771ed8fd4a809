//===- Token.cpp - spelling tokens in diagnostics -------------------------===//
//
// Parser messages say what they found in the user's terms ("found identifier
// 'ReLU'", "found end of file"), never an internal token kind.
//
//===----------------------------------------------------------------------===//
#include "frontend/Token.h"

namespace nncc {

const char *spell(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Ident:
    return "identifier";
  case TokenKind::Int:
    return "integer";
  case TokenKind::Float:
    return "number";
  case TokenKind::String:
    return "string";
  case TokenKind::KwModel:
    return "'model'";
  case TokenKind::KwInput:
    return "'input'";
  case TokenKind::KwForward:
    return "'forward'";
  case TokenKind::KwReturn:
    return "'return'";
  case TokenKind::KwMinimize:
    return "'minimize'";
  case TokenKind::KwTrue:
    return "'true'";
  case TokenKind::KwFalse:
    return "'false'";
  case TokenKind::KwNone:
    return "'none'";
  case TokenKind::KwBlock:
    return "'block'";
  case TokenKind::KwIf:
    return "'if'";
  case TokenKind::KwElse:
    return "'else'";
  case TokenKind::KwAnd:
    return "'and'";
  case TokenKind::KwOr:
    return "'or'";
  case TokenKind::KwNot:
    return "'not'";
  case TokenKind::KwFrozen:
    return "'frozen'";
  case TokenKind::KwFor:
    return "'for'";
  case TokenKind::KwIn:
    return "'in'";
  case TokenKind::KwImport:
    return "'import'";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::LBrace:
    return "'{'";
  case TokenKind::RBrace:
    return "'}'";
  case TokenKind::LBracket:
    return "'['";
  case TokenKind::RBracket:
    return "']'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Equal:
    return "'='";
  case TokenKind::Dot:
    return "'.'";
  case TokenKind::Plus:
    return "'+'";
  case TokenKind::Minus:
    return "'-'";
  case TokenKind::Star:
    return "'*'";
  case TokenKind::Slash:
    return "'/'";
  case TokenKind::SlashSlash:
    return "'//'";
  case TokenKind::Percent:
    return "'%'";
  case TokenKind::EqualEqual:
    return "'=='";
  case TokenKind::NotEqual:
    return "'!='";
  case TokenKind::Less:
    return "'<'";
  case TokenKind::LessEqual:
    return "'<='";
  case TokenKind::Greater:
    return "'>'";
  case TokenKind::GreaterEqual:
    return "'>='";
  }
  return "token";
}

bool isKeyword(TokenKind kind) {
  return kind >= TokenKind::KwModel && kind <= TokenKind::KwImport;
}

std::string describe(const Token &tok) {
  std::string shown =
      tok.text.size() > 32 ? tok.text.substr(0, 32) + "..." : tok.text;
  switch (tok.kind) {
  case TokenKind::Ident:
    return "identifier '" + shown + "'";
  case TokenKind::Int:
    return "integer " + shown;
  case TokenKind::Float:
    return "number " + shown;
  case TokenKind::String:
    return "string";
  default:
    return spell(tok.kind);
  }
}

} // namespace nncc
