//===- ParserImpl.h - the parser's state, shared by its sources -*- C++ -*-===//
//
// Private to the frontend: Parser.cpp parses the model structure and
// ParseForward.cpp the forward block and expressions; both need the token
// cursor and the recovery helpers declared here.
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

} // namespace nncc::detail

#endif // NNCC_FRONTEND_PARSERIMPL_H
