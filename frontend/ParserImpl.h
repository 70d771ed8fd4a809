//===- ParserImpl.h - the parser's state, shared by its sources -*- C++ -*-===//
//
// Private to the frontend: Parser.cpp parses definitions and their members,
// ParseForward.cpp forward blocks and statements, ParseExpr.cpp
// expressions; all need the token cursor and the recovery helpers declared
// here.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_PARSERIMPL_H
#define NNCC_FRONTEND_PARSERIMPL_H

#include "frontend/Parser.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace nncc::detail {

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
  /// Both report for their caller, whose line the diagnostic site names.
  void errorExpected(const std::string &what,
                     const char *site = __builtin_FILE(),
                     unsigned siteLine = __builtin_LINE());
  /// For what starts a line (a definition, member or statement): reported
  /// at the token found, not at the end of the line before.
  void errorExpectedHere(const std::string &what,
                         const char *site = __builtin_FILE(),
                         unsigned siteLine = __builtin_LINE());
  bool expect(TokenKind kind, const std::string &context,
              const char *site = __builtin_FILE(),
              unsigned siteLine = __builtin_LINE());
  bool checkDepth(unsigned depth, const char *what);
  void skipToMember();
  void skipToStmt();
  void skipToBraceOnLine(unsigned line);
  bool atAssignment() const {
    return at(TokenKind::Ident) && peek().is(TokenKind::Equal);
  }
  bool atKeywordAssignment() const {
    return isKeyword(tok().kind) && peek().is(TokenKind::Equal);
  }
  bool atDefinitionStart() const {
    return at(TokenKind::KwModel) || at(TokenKind::KwBlock);
  }

  // Parser.cpp: definitions and their members.
  void parseDefinition(ast::File &file);
  void parseImport(ast::File &file);
  bool parseParams(std::vector<ast::Param> &params, bool allowDefaults,
                   const std::string &owner);
  bool parseMember(std::vector<ast::Member> &members, ast::Definition &def,
                   unsigned depth);
  void parseMemberIf(std::vector<ast::Member> &members, ast::Definition &def,
                     unsigned depth);
  void parseMemberBody(std::vector<ast::Member> &members, ast::Definition &def,
                       unsigned depth);
  bool parseInput(std::vector<ast::Member> &members);
  bool parseType(ast::Type &type);

  // ParseForward.cpp: forward blocks and statements.
  void parseForward(ast::Definition &def, bool nested);
  bool parseStmts(std::vector<ast::Stmt> &stmts, unsigned depth);
  bool parseStmt(std::vector<ast::Stmt> &stmts, unsigned depth);
  bool parseStmtIf(std::vector<ast::Stmt> &stmts, unsigned depth);

  // ParseExpr.cpp: expressions, by falling precedence.
  std::unique_ptr<ast::Expr> parseExpr(unsigned depth);
  std::unique_ptr<ast::Expr> parseOr(unsigned depth);
  std::unique_ptr<ast::Expr> parseAnd(unsigned depth);
  std::unique_ptr<ast::Expr> parseNot(unsigned depth);
  std::unique_ptr<ast::Expr> parseComparison(unsigned depth);
  std::unique_ptr<ast::Expr> parseSum(unsigned depth);
  std::unique_ptr<ast::Expr> parseTerm(unsigned depth);
  std::unique_ptr<ast::Expr> parseFactor(unsigned depth);
  std::unique_ptr<ast::Expr> parsePrimary(unsigned depth);
  std::unique_ptr<ast::Expr> parseParenthesized(unsigned depth);
  std::unique_ptr<ast::Expr> parseCall(unsigned depth);
  std::unique_ptr<ast::Expr>
  parseComprehension(std::unique_ptr<ast::Expr> element, unsigned depth);
  std::unique_ptr<ast::Expr> makeBinary(ast::BinaryOp op, const Token &opTok,
                                        std::unique_ptr<ast::Expr> lhs,
                                        std::unique_ptr<ast::Expr> rhs);

  std::vector<Token> tokens;
  size_t pos = 0;
  DiagnosticEngine &diags;
};

} // namespace nncc::detail

#endif // NNCC_FRONTEND_PARSERIMPL_H
