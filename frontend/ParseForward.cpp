//===- ParseForward.cpp - forward blocks and statements -------------------===//
//
//   forward := 'forward' ['(' [IDENT (',' IDENT)*] ')'] '{' stmt* '}'
//   stmt    := IDENT '=' expr | 'return' expr | 'minimize' expr
//            | 'if' expr '{' stmt* '}' ['else' ('{' stmt* '}' | stmt-if)]
//
// After a broken statement the parser skips to the next line that starts
// one; `if` bodies nest at most kMaxNestingDepth deep.
//
//===----------------------------------------------------------------------===//
#include "frontend/ParserImpl.h"

namespace nncc::detail {

void Parser::skipToStmt() {
  while (!at(TokenKind::Eof)) {
    if (tok().startsLine &&
        (at(TokenKind::KwReturn) || at(TokenKind::KwMinimize) ||
         at(TokenKind::KwIf) || at(TokenKind::RBrace) || atAssignment() ||
         (at(TokenKind::Ident) && peek().is(TokenKind::Comma)) ||
         // where parseStmts stops: a forward cut short by the next member
         // or definition must not swallow it
         at(TokenKind::KwInput) || at(TokenKind::KwForward) ||
         atDefinitionStart()))
      return;
    consume();
  }
}

void Parser::parseForward(ast::Definition &def, bool nested) {
  ast::ForwardBlock block;
  block.loc = consume().loc;
  if (nested)
    diags.error(block.loc, "'forward' cannot be inside 'if'; put the 'if' "
                           "inside forward");
  if (at(TokenKind::LParen)) {
    block.hasParams = true;
    if (!parseParams(block.params, false, "forward"))
      block.complete = false;
  }
  if (!at(TokenKind::LBrace)) {
    if (block.complete)
      errorExpected(def.isBlock ? "'(' or '{' after 'forward'"
                                : "'{' after 'forward'");
    block.complete = false;
    def.forwards.push_back(std::move(block));
    skipToMember();
    return;
  }
  if (!parseStmts(block.stmts, 0))
    block.complete = false;
  def.forwards.push_back(std::move(block));
}

/// `{ stmt* }`; returns false if statements were lost to syntax errors.
bool Parser::parseStmts(std::vector<ast::Stmt> &stmts, unsigned depth) {
  bool complete = true;
  if (!at(TokenKind::LBrace)) {
    errorExpected(at(TokenKind::Equal) ? "'{' after the condition (use '==' "
                                         "to compare)"
                                       : "'{'");
    // `if a = b {`: parse the body anyway, or its '}' would end forward.
    skipToBraceOnLine(tokens[pos - 1].loc.line);
    if (!at(TokenKind::LBrace)) {
      skipToStmt();
      return false;
    }
  }
  SourceLoc lbrace = consume().loc;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof) && !stop()) {
    if ((at(TokenKind::KwInput) || at(TokenKind::KwForward) ||
         atDefinitionStart()) &&
        !atKeywordAssignment())
      break;
    size_t before = pos;
    if (!parseStmt(stmts, depth)) {
      complete = false;
      if (pos == before)
        consume();
      skipToStmt();
    }
  }
  if (at(TokenKind::RBrace)) {
    consume();
    return complete;
  }
  if (!stop()) {
    errorExpected(depth == 0 ? "'}' at end of forward block"
                             : "'}' at end of 'if' body");
    diags.note(lbrace, "to match this '{'");
  }
  return false;
}

bool Parser::parseStmt(std::vector<ast::Stmt> &stmts, unsigned depth) {
  ast::Stmt stmt;
  stmt.loc = tok().loc;
  if (atKeywordAssignment()) {
    diags.error(tok().loc, "'" + tok().text +
                               "' is a keyword and cannot be used as a name");
    return false;
  }
  if (at(TokenKind::KwIf))
    return parseStmtIf(stmts, depth);
  if (at(TokenKind::KwReturn) || at(TokenKind::KwMinimize)) {
    stmt.kind = at(TokenKind::KwReturn) ? ast::Stmt::Kind::Return
                                        : ast::Stmt::Kind::Minimize;
    consume();
  } else if (atAssignment()) {
    stmt.kind = ast::Stmt::Kind::Assign;
    stmt.target = consume().text;
    consume(); // '='
  } else if (at(TokenKind::Ident) && peek().is(TokenKind::Comma)) {
    // `a, b = ...`: unpacks a block's several outputs.
    stmt.kind = ast::Stmt::Kind::Assign;
    while (true) {
      if (!at(TokenKind::Ident)) {
        errorExpected("a name to assign to");
        return false;
      }
      stmt.unpack.push_back({tok().text, tok().loc});
      consume();
      if (!at(TokenKind::Comma))
        break;
      consume();
    }
    if (!expect(TokenKind::Equal, " after the names to assign to"))
      return false;
    stmt.target = stmt.unpack.front().first;
  } else {
    errorExpectedHere("a statement ('NAME = ...', 'return ...', 'minimize ...' "
                      "or 'if ...')");
    return false;
  }
  stmt.value = parseExpr(0);
  if (stmt.value && stmt.kind == ast::Stmt::Kind::Return &&
      at(TokenKind::Comma)) {
    // `return a, b`: a block's several outputs, as a tuple.
    auto tuple = std::make_unique<ast::Expr>();
    tuple->kind = ast::Expr::Kind::Tuple;
    tuple->loc = stmt.value->loc;
    tuple->height = stmt.value->height + 1;
    tuple->args.push_back({"", {}, std::move(stmt.value)});
    bool broken = false;
    while (!broken && at(TokenKind::Comma)) {
      consume();
      auto element = parseExpr(1);
      broken = !element;
      if (element) {
        tuple->height = std::max(tuple->height, element->height + 1);
        tuple->args.push_back({"", {}, std::move(element)});
      }
    }
    if (!broken)
      stmt.value = std::move(tuple);
  }
  bool ok = stmt.value != nullptr;
  // Keep the statement even when broken, so its target counts as defined.
  stmts.push_back(std::move(stmt));
  return ok;
}

bool Parser::parseStmtIf(std::vector<ast::Stmt> &stmts, unsigned depth) {
  ast::Stmt stmt;
  stmt.kind = ast::Stmt::Kind::If;
  stmt.loc = tok().loc;
  if (!checkDepth(depth, "'if'"))
    return false;
  consume(); // 'if'
  stmt.value = parseExpr(0);
  bool ok = stmt.value != nullptr;
  if (!ok)
    skipToBraceOnLine(stmt.loc.line);
  // `if a = b {` is reported once: the condition is not checked as well.
  if (!at(TokenKind::LBrace))
    stmt.value = nullptr;
  ok &= parseStmts(stmt.thenBody, depth + 1);
  if (at(TokenKind::KwElse)) {
    consume();
    if (at(TokenKind::KwIf))
      ok &= parseStmtIf(stmt.elseBody, depth + 1);
    else
      ok &= parseStmts(stmt.elseBody, depth + 1);
  }
  // Kept even when broken: its targets count as defined.
  stmts.push_back(std::move(stmt));
  return ok;
}

} // namespace nncc::detail
