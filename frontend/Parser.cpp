//===- Parser.cpp - recursive-descent parser for model files --------------===//
//
// Grammar (docs/language.md has the full EBNF):
//   file    := (import | model | block)*
//   import  := 'import' (STRING | IDENT)
//   model   := 'model' IDENT '{' member* '}'
//   block   := 'block' IDENT ['(' [param (',' param)*] ')'] '{' member* '}'
//   member  := 'input' IDENT ':' type | ['frozen'] IDENT '=' expr
//            | 'if' expr '{' member* '}' ['else' ('{' member* '}' | if)]
//            | 'forward' ['(' params ')'] '{' stmt* '}'
//
// Every parse function either succeeds or reports exactly one error and
// returns failure; the caller then resynchronises. This file parses
// definitions and members; ParseForward.cpp statements, ParseExpr.cpp
// expressions.
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

void Parser::errorExpected(const std::string &what, const char *site,
                           unsigned siteLine) {
  diags.error(errorLoc(), "expected " + what + ", found " + describe(tok()),
              site, siteLine);
}

void Parser::errorExpectedHere(const std::string &what, const char *site,
                               unsigned siteLine) {
  diags.error(tok().loc, "expected " + what + ", found " + describe(tok()),
              site, siteLine);
}

bool Parser::expect(TokenKind kind, const std::string &context,
                    const char *site, unsigned siteLine) {
  if (at(kind)) {
    consume();
    return true;
  }
  errorExpected(std::string(spell(kind)) + context, site, siteLine);
  return false;
}

bool Parser::checkDepth(unsigned depth, const char *what) {
  if (depth < kMaxNestingDepth)
    return true;
  diags.error(tok().loc, std::string(what) +
                             " is nested too deeply; the limit is " +
                             std::to_string(kMaxNestingDepth) + " levels");
  return false;
}

/// Skips to a token that starts a line and can start a member, or to a '}'
/// that closes a body.
void Parser::skipToMember() {
  while (!at(TokenKind::Eof)) {
    if (tok().startsLine &&
        (at(TokenKind::KwInput) || at(TokenKind::KwForward) ||
         at(TokenKind::KwIf) || at(TokenKind::KwFrozen) ||
         atDefinitionStart() || at(TokenKind::RBrace) || atAssignment()))
      return;
    consume();
  }
}

/// After a broken `if` condition: resume at the '{' of its body if it is on
/// the same line, so that the body's '}' does not close the definition.
void Parser::skipToBraceOnLine(unsigned line) {
  while (!at(TokenKind::Eof) && tok().loc.line == line &&
         !at(TokenKind::LBrace))
    consume();
}

ast::File Parser::parseFile() {
  ast::File file;
  while (!at(TokenKind::Eof) && !stop()) {
    if (atDefinitionStart()) {
      parseDefinition(file);
      continue;
    }
    if (at(TokenKind::KwImport)) {
      parseImport(file);
      continue;
    }
    errorExpectedHere("'model', 'block' or 'import'");
    do
      consume();
    while (!at(TokenKind::Eof) &&
           !((atDefinitionStart() || at(TokenKind::KwImport)) &&
             tok().startsLine));
  }
  return file;
}

void Parser::parseDefinition(ast::File &file) {
  ast::Definition def;
  def.isBlock = at(TokenKind::KwBlock);
  const char *kind = def.isBlock ? "block" : "model";
  def.loc = consume().loc;
  if (at(TokenKind::Ident)) {
    def.nameLoc = tok().loc;
    def.name = consume().text;
  } else {
    errorExpected(std::string(kind) + " name after '" + kind + "'");
    def.nameLoc = def.loc;
  }
  auto &list = def.isBlock ? file.blocks : file.models;
  if (def.isBlock && at(TokenKind::LParen) && !def.name.empty())
    def.paramsComplete =
        parseParams(def.params, true, "block '" + def.name + "'");
  if (!at(TokenKind::LBrace)) {
    if (!def.name.empty() && def.paramsComplete)
      errorExpected(def.isBlock ? "'(' or '{' after block name"
                                : "'{' after model name");
    def.complete = false;
    // `block B[3] {`: parse the body anyway, or its '}' would be an error
    // of its own and its members would go unchecked.
    skipToBraceOnLine(def.loc.line);
    if (!at(TokenKind::LBrace)) {
      list.push_back(std::move(def));
      skipToMember();
      return;
    }
  }
  SourceLoc lbrace = consume().loc;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof) && !stop()) {
    if (atDefinitionStart() && !atKeywordAssignment()) {
      errorExpected("'}' at end of " + std::string(kind) + " '" + def.name +
                    "'");
      break;
    }
    size_t before = pos;
    parseMember(def.members, def, 0);
    if (pos == before)
      consume();
  }
  if (at(TokenKind::RBrace)) {
    consume();
  } else {
    def.complete = false;
    if (at(TokenKind::Eof) && !stop()) {
      errorExpected("'}' at end of " + std::string(kind) + " '" + def.name +
                    "'");
      diags.note(lbrace, "to match this '{'");
    }
  }
  list.push_back(std::move(def));
}

/// `import "path.nn"` or `import std`.
void Parser::parseImport(ast::File &file) {
  ast::Import import;
  import.loc = consume().loc;
  import.targetLoc = tok().loc;
  if (at(TokenKind::String)) {
    import.target = consume().text;
  } else if (at(TokenKind::Ident)) {
    import.target = consume().text;
    import.isLibrary = true;
  } else {
    errorExpected("a file name \"blocks.nn\" or a library name after "
                  "'import'");
    while (!at(TokenKind::Eof) && !(atDefinitionStart() && tok().startsLine))
      consume();
    return;
  }
  file.imports.push_back(std::move(import));
}

/// `(name, name = default, ...)` for blocks and forward. Reports the first
/// problem and skips to the ')'.
bool Parser::parseParams(std::vector<ast::Param> &params, bool allowDefaults,
                         const std::string &owner) {
  SourceLoc lparen = consume().loc;
  while (!at(TokenKind::RParen)) {
    if (!at(TokenKind::Ident)) {
      errorExpected("a parameter name");
      if (tok().loc.line != lparen.line)
        diags.note(lparen, "to match this '('");
      skipToBraceOnLine(tok().loc.line);
      return false;
    }
    ast::Param param;
    param.loc = tok().loc;
    param.name = consume().text;
    if (at(TokenKind::Equal)) {
      if (!allowDefaults) {
        diags.error(tok().loc,
                    "parameters of " + owner + " cannot have default values");
        skipToBraceOnLine(tok().loc.line);
        return false;
      }
      consume();
      param.defaultValue = parseExpr(1);
      if (!param.defaultValue) {
        skipToBraceOnLine(tok().loc.line);
        return false;
      }
    }
    params.push_back(std::move(param));
    if (at(TokenKind::Comma)) {
      consume();
      continue;
    }
    if (!at(TokenKind::RParen)) {
      errorExpected("',' or ')' after parameter of " + owner);
      skipToBraceOnLine(tok().loc.line);
      return false;
    }
  }
  consume(); // ')'
  return true;
}

/// Parses one member into `members`; returns false after an error (having
/// resynchronised). `depth` counts the enclosing `if` bodies.
bool Parser::parseMember(std::vector<ast::Member> &members,
                         ast::Definition &def, unsigned depth) {
  if (atKeywordAssignment()) {
    diags.error(tok().loc, "'" + tok().text +
                               "' is a keyword and cannot be used as a name");
    consume();
    skipToMember();
    return false;
  }
  if (at(TokenKind::KwInput)) {
    if (def.isBlock || depth > 0) {
      diags.error(tok().loc, def.isBlock
                                 ? "a block has no inputs; its forward takes "
                                   "them as parameters, e.g. 'forward(x)'"
                                 : "inputs cannot be declared inside 'if'");
      consume();
      skipToMember();
      return false;
    }
    if (!parseInput(members)) {
      skipToMember();
      return false;
    }
    return true;
  }
  if (at(TokenKind::KwForward)) {
    parseForward(def, depth > 0);
    return true;
  }
  if (at(TokenKind::KwIf)) {
    parseMemberIf(members, def, depth);
    return true;
  }
  bool frozen = false;
  SourceLoc frozenLoc;
  if (at(TokenKind::KwFrozen)) {
    frozen = true;
    frozenLoc = consume().loc;
    if (!atAssignment()) {
      errorExpected("a member definition 'NAME = LAYER(...)' after 'frozen'");
      skipToMember();
      return false;
    }
  }
  if (atAssignment()) {
    ast::Member member;
    member.kind = ast::Member::Kind::Define;
    member.frozen = frozen;
    member.frozenLoc = frozenLoc;
    member.loc = tok().loc;
    member.name = consume().text;
    consume(); // '='
    member.value = parseExpr(0);
    bool ok = member.value != nullptr;
    if (ok && at(TokenKind::KwFor)) {
      diags.error(tok().loc, "a 'for' repetition must be an argument of "
                             "Sequential: write 'Sequential(LAYER for i in "
                             "range(n))'");
      ok = false;
    }
    members.push_back(std::move(member));
    if (!ok)
      skipToMember();
    return ok;
  }
  if (at(TokenKind::Ident) && peek().is(TokenKind::Colon)) {
    diags.error(tok().loc, "expected 'input' before '" + tok().text +
                               ":'; inputs are declared as 'input " +
                               tok().text + ": f32[N, ...]'");
  } else {
    errorExpectedHere(def.isBlock ? "'forward', 'if' or a member definition "
                                    "'NAME = ...'"
                                  : "'input', 'forward' or a member definition "
                                    "'NAME = ...'");
  }
  consume();
  skipToMember();
  return false;
}

/// `if COND { members } [else { members } | else if ...]`: members that
/// exist only for some hyper-parameters.
void Parser::parseMemberIf(std::vector<ast::Member> &members,
                           ast::Definition &def, unsigned depth) {
  ast::Member member;
  member.kind = ast::Member::Kind::If;
  member.loc = tok().loc;
  if (!checkDepth(depth, "'if'")) {
    skipToMember();
    return;
  }
  consume(); // 'if'
  member.value = parseExpr(0);
  if (!member.value)
    skipToBraceOnLine(member.loc.line);
  // `if a = b {` is reported once: the condition is not checked as well.
  if (!at(TokenKind::LBrace))
    member.value = nullptr;
  parseMemberBody(member.thenBody, def, depth + 1);
  if (at(TokenKind::KwElse)) {
    consume();
    if (at(TokenKind::KwIf))
      parseMemberIf(member.elseBody, def, depth + 1);
    else
      parseMemberBody(member.elseBody, def, depth + 1);
  }
  members.push_back(std::move(member));
}

/// `{ member* }`, the body of a member `if` or `else`.
void Parser::parseMemberBody(std::vector<ast::Member> &members,
                             ast::Definition &def, unsigned depth) {
  if (!at(TokenKind::LBrace)) {
    errorExpected(at(TokenKind::Equal) ? "'{' after the condition (use '==' "
                                         "to compare)"
                                       : "'{'");
    def.complete = false;
    // `if a = b {`: parse the body anyway, or its '}' would close the
    // definition and its members would be lost.
    skipToBraceOnLine(tokens[pos - 1].loc.line);
    if (!at(TokenKind::LBrace)) {
      skipToMember();
      return;
    }
  }
  SourceLoc lbrace = consume().loc;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof) && !stop()) {
    if (atDefinitionStart())
      break;
    size_t before = pos;
    parseMember(members, def, depth);
    if (pos == before)
      consume();
  }
  if (at(TokenKind::RBrace)) {
    consume();
    return;
  }
  def.complete = false;
  if (!stop()) {
    errorExpected("'}' at end of 'if' body");
    diags.note(lbrace, "to match this '{'");
  }
}

bool Parser::parseInput(std::vector<ast::Member> &members) {
  consume(); // 'input'
  if (!at(TokenKind::Ident)) {
    errorExpected("input name after 'input'");
    return false;
  }
  ast::Member input;
  input.kind = ast::Member::Kind::Input;
  input.loc = tok().loc;
  input.name = consume().text;
  bool ok =
      expect(TokenKind::Colon, " after input name") && parseType(input.type);
  input.type.poisoned = !ok;
  members.push_back(std::move(input));
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
