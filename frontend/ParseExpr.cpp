//===- ParseExpr.cpp - expressions ----------------------------------------===//
//
// Python's precedence, lowest first:
//   expr       := or ['if' or 'else' expr]      ('if' not at a line start)
//   or         := and ('or' and)*
//   and        := not ('and' not)*
//   not        := 'not' not | comparison
//   comparison := sum [('==' | '!=' | '<' | '<=' | '>' | '>=') sum]
//   sum        := term (('+' | '-') term)*
//   term       := factor (('*' | '/' | '//' | '%') factor)*
//   factor     := ('-' | '+') factor | primary
//   primary    := INT | FLOAT | STRING | 'true' | 'false' | 'none' | IDENT
//               | call | '(' expr ')' | '(' [expr (',' expr)* [',']] ')'
//   call       := IDENT '(' [arg (',' arg)* [',']] ')'
//   arg        := [IDENT '='] expr | expr 'for' IDENT 'in' expr
//
// Nesting (parentheses, calls, unary operators) is bounded by
// kMaxNestingDepth, the height of operator chains by kMaxExprHeight, so
// recursion over the tree stays shallow on any input.
//
//===----------------------------------------------------------------------===//
#include "frontend/ParserImpl.h"

namespace nncc {

const char *ast::spell(BinaryOp op) {
  static const char *const names[] = {"+",  "-", "*",  "/", "//", "%",   "==",
                                      "!=", "<", "<=", ">", ">=", "and", "or"};
  return names[static_cast<int>(op)];
}

const char *ast::spell(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg:
    return "-";
  case UnaryOp::Plus:
    return "+";
  case UnaryOp::Not:
    return "not";
  }
  return "?";
}

namespace detail {

std::unique_ptr<ast::Expr> Parser::makeBinary(ast::BinaryOp op,
                                              const Token &opTok,
                                              std::unique_ptr<ast::Expr> lhs,
                                              std::unique_ptr<ast::Expr> rhs) {
  if (!lhs || !rhs)
    return nullptr;
  unsigned height = std::max(lhs->height, rhs->height) + 1;
  if (height > kMaxExprHeight) {
    diags.error(opTok.loc, "expression is too long; the limit is " +
                               std::to_string(kMaxExprHeight) +
                               " nested operations");
    return nullptr;
  }
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::Expr::Kind::Binary;
  expr->loc = lhs->loc;
  expr->opLoc = opTok.loc;
  expr->binaryOp = op;
  expr->height = height;
  expr->lhs = std::move(lhs);
  expr->rhs = std::move(rhs);
  return expr;
}

/// `a if cond else b`, Python's conditional expression. An `if` that starts
/// a line begins a member or statement instead, so `x = f(y)` followed by
/// `if c { ... }` on the next line stays two constructs.
std::unique_ptr<ast::Expr> Parser::parseExpr(unsigned depth) {
  if (!checkDepth(depth, "expression"))
    return nullptr;
  auto then = parseOr(depth);
  if (!then || !at(TokenKind::KwIf) || tok().startsLine)
    return then;
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::Expr::Kind::Conditional;
  expr->loc = then->loc;
  expr->opLoc = consume().loc;
  expr->cond = parseOr(depth + 1);
  if (!expr->cond)
    return nullptr;
  if (!at(TokenKind::KwElse)) {
    errorExpected("'else' in conditional expression 'A if COND else B'");
    return nullptr;
  }
  consume();
  expr->rhs = parseExpr(depth + 1);
  if (!expr->rhs)
    return nullptr;
  expr->height =
      std::max({then->height, expr->cond->height, expr->rhs->height}) + 1;
  expr->lhs = std::move(then);
  if (expr->height > kMaxExprHeight) {
    diags.error(expr->opLoc, "expression is too long; the limit is " +
                                 std::to_string(kMaxExprHeight) +
                                 " nested operations");
    return nullptr;
  }
  return expr;
}

std::unique_ptr<ast::Expr> Parser::parseOr(unsigned depth) {
  auto lhs = parseAnd(depth);
  while (lhs && at(TokenKind::KwOr)) {
    Token op = consume();
    lhs = makeBinary(ast::BinaryOp::Or, op, std::move(lhs), parseAnd(depth));
  }
  return lhs;
}

std::unique_ptr<ast::Expr> Parser::parseAnd(unsigned depth) {
  auto lhs = parseNot(depth);
  while (lhs && at(TokenKind::KwAnd)) {
    Token op = consume();
    lhs = makeBinary(ast::BinaryOp::And, op, std::move(lhs), parseNot(depth));
  }
  return lhs;
}

std::unique_ptr<ast::Expr> Parser::parseNot(unsigned depth) {
  if (!at(TokenKind::KwNot))
    return parseComparison(depth);
  if (!checkDepth(depth + 1, "expression"))
    return nullptr;
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::Expr::Kind::Unary;
  expr->unaryOp = ast::UnaryOp::Not;
  expr->loc = consume().loc;
  expr->lhs = parseNot(depth + 1);
  if (!expr->lhs)
    return nullptr;
  expr->height = expr->lhs->height + 1;
  return expr;
}

static bool comparisonOp(TokenKind kind, ast::BinaryOp &op) {
  switch (kind) {
  case TokenKind::EqualEqual:
    op = ast::BinaryOp::Eq;
    return true;
  case TokenKind::NotEqual:
    op = ast::BinaryOp::Ne;
    return true;
  case TokenKind::Less:
    op = ast::BinaryOp::Lt;
    return true;
  case TokenKind::LessEqual:
    op = ast::BinaryOp::Le;
    return true;
  case TokenKind::Greater:
    op = ast::BinaryOp::Gt;
    return true;
  case TokenKind::GreaterEqual:
    op = ast::BinaryOp::Ge;
    return true;
  default:
    return false;
  }
}

std::unique_ptr<ast::Expr> Parser::parseComparison(unsigned depth) {
  auto lhs = parseSum(depth);
  ast::BinaryOp op;
  if (!lhs || !comparisonOp(tok().kind, op))
    return lhs;
  Token opTok = consume();
  auto expr = makeBinary(op, opTok, std::move(lhs), parseSum(depth));
  if (expr && comparisonOp(tok().kind, op)) {
    // Python would read `a < b < c` as `a < b and b < c`; say so instead of
    // guessing.
    diags.error(tok().loc, "comparisons cannot be chained; write 'a < b and "
                           "b < c'");
    return nullptr;
  }
  return expr;
}

std::unique_ptr<ast::Expr> Parser::parseSum(unsigned depth) {
  auto lhs = parseTerm(depth);
  while (lhs && (at(TokenKind::Plus) || at(TokenKind::Minus))) {
    Token op = consume();
    auto kind =
        op.is(TokenKind::Plus) ? ast::BinaryOp::Add : ast::BinaryOp::Sub;
    lhs = makeBinary(kind, op, std::move(lhs), parseTerm(depth));
  }
  return lhs;
}

std::unique_ptr<ast::Expr> Parser::parseTerm(unsigned depth) {
  auto lhs = parseFactor(depth);
  while (lhs && (at(TokenKind::Star) || at(TokenKind::Slash) ||
                 at(TokenKind::SlashSlash) || at(TokenKind::Percent))) {
    Token op = consume();
    auto kind = op.is(TokenKind::Star)         ? ast::BinaryOp::Mul
                : op.is(TokenKind::Slash)      ? ast::BinaryOp::Div
                : op.is(TokenKind::SlashSlash) ? ast::BinaryOp::FloorDiv
                                               : ast::BinaryOp::Mod;
    lhs = makeBinary(kind, op, std::move(lhs), parseFactor(depth));
  }
  return lhs;
}

std::unique_ptr<ast::Expr> Parser::parseFactor(unsigned depth) {
  if (!at(TokenKind::Minus) && !at(TokenKind::Plus))
    return parsePrimary(depth);
  if (!checkDepth(depth + 1, "expression"))
    return nullptr;
  bool negate = at(TokenKind::Minus);
  SourceLoc loc = consume().loc;
  auto operand = parseFactor(depth + 1);
  if (!operand)
    return nullptr;
  // Fold a sign into a literal, so that `-1` reads as the integer -1 in
  // messages (and `-9223372036854775807` stays in range).
  if (operand->kind == ast::Expr::Kind::Int ||
      operand->kind == ast::Expr::Kind::Float) {
    if (negate) {
      operand->intValue = -operand->intValue;
      operand->floatValue = -operand->floatValue;
      operand->text = operand->text[0] == '-' ? operand->text.substr(1)
                                              : "-" + operand->text;
    }
    operand->loc = loc;
    return operand;
  }
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::Expr::Kind::Unary;
  expr->unaryOp = negate ? ast::UnaryOp::Neg : ast::UnaryOp::Plus;
  expr->loc = loc;
  expr->height = operand->height + 1;
  expr->lhs = std::move(operand);
  return expr;
}

std::unique_ptr<ast::Expr> Parser::parsePrimary(unsigned depth) {
  auto expr = std::make_unique<ast::Expr>();
  expr->loc = tok().loc;
  expr->malformed = tok().malformed;
  switch (tok().kind) {
  case TokenKind::Int:
    expr->kind = ast::Expr::Kind::Int;
    expr->intValue = tok().intValue;
    expr->text = consume().text;
    return expr;
  case TokenKind::Float:
    expr->kind = ast::Expr::Kind::Float;
    expr->floatValue = tok().floatValue;
    expr->text = consume().text;
    return expr;
  case TokenKind::String:
    expr->kind = ast::Expr::Kind::String;
    expr->text = consume().text;
    return expr;
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
    expr->kind = ast::Expr::Kind::Bool;
    expr->boolValue = consume().is(TokenKind::KwTrue);
    return expr;
  case TokenKind::KwNone:
    expr->kind = ast::Expr::Kind::None;
    expr->text = consume().text;
    return expr;
  case TokenKind::Ident:
    if (peek().is(TokenKind::LParen))
      return parseCall(depth);
    expr->kind = ast::Expr::Kind::Name;
    expr->text = consume().text;
    return expr;
  case TokenKind::LParen:
    return parseParenthesized(depth);
  default:
    errorExpected("an expression");
    return nullptr;
  }
}

/// `(e)` groups; `()`, `(e,)` and `(e1, e2, ...)` are tuples.
std::unique_ptr<ast::Expr> Parser::parseParenthesized(unsigned depth) {
  SourceLoc lparen = consume().loc;
  auto tuple = std::make_unique<ast::Expr>();
  tuple->kind = ast::Expr::Kind::Tuple;
  tuple->loc = lparen;
  bool sawComma = false;
  while (!at(TokenKind::RParen)) {
    ast::Arg element;
    element.value = parseExpr(depth + 1);
    if (!element.value)
      return nullptr;
    tuple->height = std::max(tuple->height, element.value->height + 1);
    tuple->args.push_back(std::move(element));
    if (at(TokenKind::Comma)) {
      consume();
      sawComma = true;
      continue;
    }
    if (!at(TokenKind::RParen)) {
      errorExpected("',' or ')'");
      if (tok().loc.line != lparen.line)
        diags.note(lparen, "to match this '('");
      return nullptr;
    }
  }
  consume(); // ')'
  if (tuple->args.size() == 1 && !sawComma)
    return std::move(tuple->args[0].value);
  return tuple;
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
    if (at(TokenKind::KwFor)) {
      arg.value = parseComprehension(std::move(arg.value), depth + 1);
      if (!arg.value)
        return nullptr;
    }
    call->height = std::max(call->height, arg.value->height + 1);
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

/// `ELEMENT for NAME in ITERABLE`: repetition inside a call's arguments
/// (Python's generator argument, as in `Sequential(*[... for i in ...])`).
/// Sema decides where it may appear and what it may iterate.
std::unique_ptr<ast::Expr>
Parser::parseComprehension(std::unique_ptr<ast::Expr> element, unsigned depth) {
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::Expr::Kind::Comprehension;
  expr->loc = element->loc;
  expr->opLoc = consume().loc; // 'for'
  if (!at(TokenKind::Ident)) {
    errorExpected("a loop variable name after 'for'");
    return nullptr;
  }
  expr->text = consume().text;
  if (!expect(TokenKind::KwIn, " after the loop variable"))
    return nullptr;
  expr->rhs = parseOr(depth + 1);
  if (!expr->rhs)
    return nullptr;
  if (at(TokenKind::KwFor)) {
    diags.error(tok().loc, "only one 'for' per repetition; nest a block or "
                           "a tuple instead");
    return nullptr;
  }
  expr->height = std::max(element->height, expr->rhs->height) + 1;
  expr->lhs = std::move(element);
  return expr;
}

} // namespace detail

} // namespace nncc
