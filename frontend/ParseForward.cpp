//===- ParseForward.cpp - forward blocks, statements, expressions ---------===//
//
// Statements and expressions. Expressions are the one grammar shared by
// layer definitions and forward statements; their nesting is bounded so
// that recursion stays shallow on any input.
//
//===----------------------------------------------------------------------===//
#include "frontend/ParserImpl.h"

namespace nncc::detail {

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

} // namespace nncc::detail
