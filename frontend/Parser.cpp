//===- Parser.cpp - recursive-descent parser for model files --------------===//
//
// Grammar (docs/language.md has the full EBNF):
//   file   := model*
//   model  := 'model' IDENT '{' member* '}'
//   member := 'input' IDENT ':' type | IDENT '=' expr | 'forward' '{' stmt* '}'
//   stmt   := IDENT '=' expr | 'return' expr | 'minimize' expr
//   expr   := ['-'] (INT | FLOAT) | STRING | 'true' | 'false' | IDENT | call
//   call   := IDENT '(' [arg (',' arg)* [',']] ')'    arg := [IDENT '='] expr
//
// Every parse function either succeeds or reports exactly one error and
// returns failure; the caller then resynchronises. This file parses the
// model's structure; ParseForward.cpp its forward block and expressions.
//
//===----------------------------------------------------------------------===//
#include "frontend/ParserImpl.h"

namespace nncc {

namespace detail {

/// Where a "expected X" error points: at the offending token, unless it sits
/// on a later line; then just past the previous token, where the missing
/// text belongs (a forgotten ',' at the end of a line).
SourceLoc Parser::errorLoc() const {
  if (pos == 0 || tok().loc.line == tokens[pos - 1].loc.line)
    return tok().loc;
  SourceLoc loc = tokens[pos - 1].loc;
  loc.col = tokens[pos - 1].endCol;
  return loc;
}

void Parser::errorExpected(const std::string &what) {
  diags.error(errorLoc(), "expected " + what + ", found " + describe(tok()));
}

bool Parser::expect(TokenKind kind, const std::string &context) {
  if (at(kind)) {
    consume();
    return true;
  }
  errorExpected(std::string(spell(kind)) + context);
  return false;
}

/// `input = ...`: a keyword where a name belongs. Worth its own message,
/// since 'input' is a natural name for a value.
bool Parser::atKeywordAssignment() const {
  if (!peek().is(TokenKind::Equal))
    return false;
  switch (tok().kind) {
  case TokenKind::KwModel:
  case TokenKind::KwInput:
  case TokenKind::KwForward:
  case TokenKind::KwReturn:
  case TokenKind::KwMinimize:
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
    return true;
  default:
    return false;
  }
}

/// Skips to a token that starts a line and can start a model member, or to
/// the '}' that closes the model.
void Parser::skipToMember() {
  while (!at(TokenKind::Eof)) {
    if (tok().startsLine &&
        (at(TokenKind::KwInput) || at(TokenKind::KwForward) ||
         at(TokenKind::KwModel) || at(TokenKind::RBrace) || atAssignment()))
      return;
    consume();
  }
}

void Parser::skipToStmt() {
  while (!at(TokenKind::Eof)) {
    if (tok().startsLine &&
        (at(TokenKind::KwReturn) || at(TokenKind::KwMinimize) ||
         at(TokenKind::RBrace) || atAssignment()))
      return;
    consume();
  }
}

ast::File Parser::parseFile() {
  ast::File file;
  while (!at(TokenKind::Eof) && !stop()) {
    if (at(TokenKind::KwModel)) {
      parseModel(file);
      continue;
    }
    errorExpected("'model'");
    do
      consume();
    while (!at(TokenKind::Eof) &&
           !(at(TokenKind::KwModel) && tok().startsLine));
  }
  return file;
}

void Parser::parseModel(ast::File &file) {
  ast::Model model;
  model.loc = consume().loc;
  if (at(TokenKind::Ident)) {
    model.nameLoc = tok().loc;
    model.name = consume().text;
  } else {
    errorExpected("model name after 'model'");
    model.nameLoc = model.loc;
  }
  if (!at(TokenKind::LBrace)) {
    if (!model.name.empty())
      errorExpected("'{' after model name");
    model.complete = false;
    file.models.push_back(std::move(model));
    skipToMember();
    return;
  }
  SourceLoc lbrace = consume().loc;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof) && !stop()) {
    if (at(TokenKind::KwModel)) {
      errorExpected("'}' at end of model '" + model.name + "'");
      break;
    }
    size_t before = pos;
    parseMember(model);
    if (pos == before)
      consume();
  }
  if (at(TokenKind::RBrace)) {
    consume();
  } else {
    model.complete = false;
    if (at(TokenKind::Eof) && !stop()) {
      errorExpected("'}' at end of model '" + model.name + "'");
      diags.note(lbrace, "to match this '{'");
    }
  }
  file.models.push_back(std::move(model));
}

void Parser::parseMember(ast::Model &model) {
  if (atKeywordAssignment()) {
    diags.error(tok().loc, "'" + tok().text +
                               "' is a keyword and cannot be used as a name");
    consume();
    skipToMember();
    return;
  }
  if (at(TokenKind::KwInput)) {
    if (!parseInput(model))
      skipToMember();
    return;
  }
  if (at(TokenKind::KwForward)) {
    parseForward(model);
    return;
  }
  if (atAssignment()) {
    ast::MemberDecl member;
    member.loc = tok().loc;
    member.name = consume().text;
    consume(); // '='
    member.value = parseExpr(0);
    model.members.push_back(std::move(member));
    if (!model.members.back().value)
      skipToMember();
    return;
  }
  if (at(TokenKind::Ident) && peek().is(TokenKind::Colon)) {
    diags.error(tok().loc, "expected 'input' before '" + tok().text +
                               ":'; inputs are declared as 'input " +
                               tok().text + ": f32[N, ...]'");
  } else {
    errorExpected("'input', 'forward' or a member definition 'NAME = ...'");
  }
  consume();
  skipToMember();
}

bool Parser::parseInput(ast::Model &model) {
  consume(); // 'input'
  if (!at(TokenKind::Ident)) {
    errorExpected("input name after 'input'");
    return false;
  }
  ast::InputDecl input;
  input.loc = tok().loc;
  input.name = consume().text;
  bool ok =
      expect(TokenKind::Colon, " after input name") && parseType(input.type);
  input.type.poisoned = !ok;
  model.inputs.push_back(std::move(input));
  return ok;
}

bool Parser::parseType(ast::Type &type) {
  if (!at(TokenKind::Ident)) {
    errorExpected("element type such as 'f32'");
    return false;
  }
  type.loc = tok().loc;
  type.dtype = consume().text;
  if (!expect(TokenKind::LBracket, " after element type"))
    return false;
  while (true) {
    ast::Dim dim;
    dim.loc = tok().loc;
    if (at(TokenKind::Int)) {
      if (tok().malformed)
        return false;
      dim.value = consume().intValue;
    } else if (at(TokenKind::Ident)) {
      dim.isName = true;
      dim.name = consume().text;
    } else {
      errorExpected("dimension (an integer or 'N')");
      return false;
    }
    type.dims.push_back(std::move(dim));
    if (!at(TokenKind::Comma))
      break;
    consume();
  }
  return expect(TokenKind::RBracket, " or ',' after dimension");
}

} // namespace detail

ast::File parse(std::vector<Token> tokens, DiagnosticEngine &diags) {
  return detail::Parser(std::move(tokens), diags).parseFile();
}

} // namespace nncc
