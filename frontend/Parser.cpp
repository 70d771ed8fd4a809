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
// returns failure; the caller then resynchronises.
//
//===----------------------------------------------------------------------===//
#include "frontend/Parser.h"

namespace nncc {

namespace {

class Parser {
public:
  Parser(std::vector<Token> tokens, DiagnosticEngine &diags)
      : tokens(std::move(tokens)), diags(diags) {}

  ast::File parseFile();

private:
  const Token &tok() const { return tokens[pos]; }
  const Token &peek(size_t ahead = 1) const {
    return tokens[std::min(pos + ahead, tokens.size() - 1)];
  }
  bool at(TokenKind kind) const { return tok().is(kind); }
  Token consume() {
    Token t = tokens[pos];
    if (!t.is(TokenKind::Eof))
      ++pos;
    return t;
  }
  bool stop() const { return diags.reachedErrorLimit(); }

  SourceLoc errorLoc() const;
  void errorExpected(const std::string &what);
  bool expect(TokenKind kind, const std::string &context);
  void skipToMember();
  void skipToStmt();
  bool atAssignment() const {
    return at(TokenKind::Ident) && peek().is(TokenKind::Equal);
  }
  bool atKeywordAssignment() const;

  void parseModel(ast::File &file);
  void parseMember(ast::Model &model);
  bool parseInput(ast::Model &model);
  bool parseType(ast::Type &type);
  void parseForward(ast::Model &model);
  bool parseStmt(ast::ForwardBlock &block);
  std::unique_ptr<ast::Expr> parseExpr(unsigned depth);
  std::unique_ptr<ast::Expr> parseCall(unsigned depth);

  std::vector<Token> tokens;
  size_t pos = 0;
  DiagnosticEngine &diags;
};

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

void Parser::parseForward(ast::Model &model) {
  ast::ForwardBlock block;
  block.loc = consume().loc;
  if (!expect(TokenKind::LBrace, " after 'forward'")) {
    block.complete = false;
    model.forwards.push_back(std::move(block));
    skipToMember();
    return;
  }
  SourceLoc lbrace = tokens[pos - 1].loc;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof) && !stop()) {
    if ((at(TokenKind::KwInput) || at(TokenKind::KwForward) ||
         at(TokenKind::KwModel)) &&
        !atKeywordAssignment())
      break;
    size_t before = pos;
    if (!parseStmt(block)) {
      block.complete = false;
      if (pos == before)
        consume();
      skipToStmt();
    }
  }
  if (at(TokenKind::RBrace)) {
    consume();
  } else if (!stop()) {
    errorExpected("'}' at end of forward block");
    diags.note(lbrace, "to match this '{'");
    block.complete = false;
  }
  model.forwards.push_back(std::move(block));
}

bool Parser::parseStmt(ast::ForwardBlock &block) {
  ast::Stmt stmt;
  stmt.loc = tok().loc;
  if (at(TokenKind::KwReturn) || at(TokenKind::KwMinimize)) {
    stmt.kind = at(TokenKind::KwReturn) ? ast::Stmt::Kind::Return
                                        : ast::Stmt::Kind::Minimize;
    consume();
  } else if (atAssignment()) {
    stmt.kind = ast::Stmt::Kind::Assign;
    stmt.target = consume().text;
    consume(); // '='
  } else if (atKeywordAssignment()) {
    diags.error(tok().loc, "'" + tok().text +
                               "' is a keyword and cannot be used as a name");
    return false;
  } else {
    errorExpected("a statement ('NAME = MODULE(VALUE, ...)', 'return VALUE' "
                  "or 'minimize VALUE')");
    return false;
  }
  stmt.value = parseExpr(0);
  bool ok = stmt.value != nullptr;
  // Keep the statement even when broken, so its target counts as defined.
  block.stmts.push_back(std::move(stmt));
  return ok;
}

std::unique_ptr<ast::Expr> Parser::parseExpr(unsigned depth) {
  if (depth >= kMaxNestingDepth) {
    diags.error(tok().loc, "expression is nested too deeply; the limit is " +
                               std::to_string(kMaxNestingDepth) + " levels");
    return nullptr;
  }
  auto expr = std::make_unique<ast::Expr>();
  expr->loc = tok().loc;
  bool negate = false;
  if (at(TokenKind::Minus)) {
    consume();
    negate = true;
    if (!at(TokenKind::Int) && !at(TokenKind::Float)) {
      errorExpected("a number after '-'");
      return nullptr;
    }
  }
  switch (tok().kind) {
  case TokenKind::Int:
    expr->kind = ast::Expr::Kind::Int;
    expr->malformed = tok().malformed;
    expr->intValue = negate ? -tok().intValue : tok().intValue;
    expr->text = consume().text;
    return expr;
  case TokenKind::Float:
    expr->kind = ast::Expr::Kind::Float;
    expr->malformed = tok().malformed;
    expr->floatValue = negate ? -tok().floatValue : tok().floatValue;
    expr->text = consume().text;
    return expr;
  case TokenKind::String:
    expr->kind = ast::Expr::Kind::String;
    expr->malformed = tok().malformed;
    expr->text = consume().text;
    return expr;
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
    expr->kind = ast::Expr::Kind::Bool;
    expr->boolValue = consume().is(TokenKind::KwTrue);
    return expr;
  case TokenKind::Ident:
    if (peek().is(TokenKind::LParen))
      return parseCall(depth);
    expr->kind = ast::Expr::Kind::Name;
    expr->text = consume().text;
    return expr;
  default:
    errorExpected("an expression");
    return nullptr;
  }
}

std::unique_ptr<ast::Expr> Parser::parseCall(unsigned depth) {
  auto call = std::make_unique<ast::Expr>();
  call->kind = ast::Expr::Kind::Call;
  call->loc = tok().loc;
  call->text = consume().text;
  SourceLoc lparen = consume().loc;
  while (!at(TokenKind::RParen)) {
    ast::Arg arg;
    if (atAssignment()) {
      arg.keywordLoc = tok().loc;
      arg.keyword = consume().text;
      consume(); // '='
    }
    arg.value = parseExpr(depth + 1);
    if (!arg.value)
      return nullptr;
    call->args.push_back(std::move(arg));
    if (at(TokenKind::Comma)) {
      consume();
      continue;
    }
    if (!at(TokenKind::RParen)) {
      errorExpected("',' or ')' after argument of '" + call->text + "'");
      if (tok().loc.line != lparen.line)
        diags.note(lparen, "to match this '('");
      return nullptr;
    }
  }
  consume(); // ')'
  return call;
}

} // namespace

ast::File parse(std::vector<Token> tokens, DiagnosticEngine &diags) {
  return Parser(std::move(tokens), diags).parseFile();
}

} // namespace nncc
