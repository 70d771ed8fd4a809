//===- LexerTest.cpp - tokens, literals and lexical errors ----------------===//
#include "frontend/Lexer.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {

struct Lexed {
  std::vector<Token> tokens;
  DiagnosticEngine diags;
};

Lexed lexText(const std::string &text) {
  Lexed result;
  result.tokens = lex("test.nn", text, result.diags);
  return result;
}

std::string firstError(const Lexed &lexed) {
  if (lexed.diags.diagnostics().empty())
    return "";
  const Diagnostic &diag = lexed.diags.diagnostics().front();
  return std::to_string(diag.loc.line) + ":" + std::to_string(diag.loc.col) +
         ": " + diag.message;
}

TEST(Lexer, EmptyInputIsJustEof) {
  Lexed lexed = lexText("");
  ASSERT_EQ(lexed.tokens.size(), 1u);
  EXPECT_TRUE(lexed.tokens[0].is(TokenKind::Eof));
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
}

TEST(Lexer, KeywordsIdentifiersAndPunctuation) {
  Lexed lexed = lexText("model M { input x: f32[N, 3] fc = Linear(1, 2) }");
  std::vector<TokenKind> kinds;
  for (const Token &tok : lexed.tokens)
    kinds.push_back(tok.kind);
  std::vector<TokenKind> expected = {
      TokenKind::KwModel, TokenKind::Ident,    TokenKind::LBrace,
      TokenKind::KwInput, TokenKind::Ident,    TokenKind::Colon,
      TokenKind::Ident,   TokenKind::LBracket, TokenKind::Ident,
      TokenKind::Comma,   TokenKind::Int,      TokenKind::RBracket,
      TokenKind::Ident,   TokenKind::Equal,    TokenKind::Ident,
      TokenKind::LParen,  TokenKind::Int,      TokenKind::Comma,
      TokenKind::Int,     TokenKind::RParen,   TokenKind::RBrace,
      TokenKind::Eof};
  EXPECT_EQ(kinds, expected);
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
}

TEST(Lexer, LocationsAndLineStarts) {
  Lexed lexed = lexText("# comment\n  model\tM # trailing\n{");
  ASSERT_EQ(lexed.tokens.size(), 4u);
  EXPECT_EQ(lexed.tokens[0].loc.line, 2u);
  EXPECT_EQ(lexed.tokens[0].loc.col, 3u);
  EXPECT_EQ(lexed.tokens[0].endCol, 8u);
  EXPECT_TRUE(lexed.tokens[0].startsLine);
  EXPECT_EQ(lexed.tokens[1].loc.col, 9u);
  EXPECT_FALSE(lexed.tokens[1].startsLine);
  EXPECT_EQ(lexed.tokens[2].loc.line, 3u);
  EXPECT_TRUE(lexed.tokens[2].startsLine);
  EXPECT_EQ(lexed.tokens[0].loc.file, "test.nn");
}

TEST(Lexer, NumberLiterals) {
  Lexed lexed = lexText("0 784 0.5 1e-5 2E+3 9223372036854775807 1.");
  const auto &t = lexed.tokens;
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
  EXPECT_TRUE(t[0].is(TokenKind::Int));
  EXPECT_EQ(t[1].intValue, 784);
  EXPECT_TRUE(t[2].is(TokenKind::Float));
  EXPECT_DOUBLE_EQ(t[2].floatValue, 0.5);
  EXPECT_DOUBLE_EQ(t[3].floatValue, 1e-5);
  EXPECT_DOUBLE_EQ(t[4].floatValue, 2000.0);
  EXPECT_EQ(t[5].intValue, INT64_MAX);
  // "1." is the integer 1 followed by a '.', not a float.
  EXPECT_TRUE(t[6].is(TokenKind::Int));
  EXPECT_TRUE(t[7].is(TokenKind::Dot));
}

TEST(Lexer, OperatorsLongestFirst) {
  Lexed lexed = lexText("a // b / c % d == e != f <= g >= h < i > j = k");
  std::vector<TokenKind> operators;
  for (size_t i = 1; i < lexed.tokens.size(); i += 2)
    operators.push_back(lexed.tokens[i].kind);
  using K = TokenKind;
  EXPECT_EQ(operators,
            (std::vector<K>{K::SlashSlash, K::Slash, K::Percent, K::EqualEqual,
                            K::NotEqual, K::LessEqual, K::GreaterEqual, K::Less,
                            K::Greater, K::Equal, K::Eof}));
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
}

TEST(Lexer, NewKeywords) {
  Lexed lexed =
      lexText("block if else and or not frozen none for in import blocks");
  using K = TokenKind;
  std::vector<K> kinds;
  for (const Token &tok : lexed.tokens)
    kinds.push_back(tok.kind);
  EXPECT_EQ(kinds,
            (std::vector<K>{K::KwBlock, K::KwIf, K::KwElse, K::KwAnd, K::KwOr,
                            K::KwNot, K::KwFrozen, K::KwNone, K::KwFor, K::KwIn,
                            K::KwImport, K::Ident, K::Eof}));
  for (size_t i = 0; i + 2 < kinds.size(); ++i)
    EXPECT_TRUE(isKeyword(kinds[i])) << i;
  EXPECT_FALSE(isKeyword(K::Ident));
}

TEST(Lexer, COperatorsSuggestPythonWords) {
  EXPECT_EQ(firstError(lexText("!a")),
            "1:1: unexpected character '!'; use 'not' for negation");
  EXPECT_EQ(firstError(lexText("a && b")),
            "1:3: unexpected character '&'; use 'and'");
  EXPECT_EQ(firstError(lexText("a || b")),
            "1:3: unexpected character '|'; use 'or'");
}

TEST(Lexer, NegativeNumbersAreMinusThenLiteral) {
  Lexed lexed = lexText("-1");
  EXPECT_TRUE(lexed.tokens[0].is(TokenKind::Minus));
  EXPECT_TRUE(lexed.tokens[1].is(TokenKind::Int));
}

TEST(Lexer, IntegerOverflowIsAnError) {
  Lexed lexed = lexText("x = 99999999999999999999999");
  EXPECT_EQ(firstError(lexed), "1:5: integer literal is too large; the limit "
                               "is 9223372036854775807");
  EXPECT_TRUE(lexed.tokens[2].malformed);
  EXPECT_EQ(firstError(lexText("9223372036854775808")),
            "1:1: integer literal is too large; the limit is "
            "9223372036854775807");
}

TEST(Lexer, FloatOutOfRangeIsAnError) {
  Lexed lexed = lexText("1e400");
  EXPECT_EQ(firstError(lexed), "1:1: floating-point literal is out of range");
  EXPECT_TRUE(lexed.tokens[0].malformed);
}

TEST(Lexer, InvalidSuffixOnNumber) {
  EXPECT_EQ(firstError(lexText("12abc")),
            "1:1: invalid suffix 'abc' on number");
  EXPECT_EQ(firstError(lexText("1e")), "1:1: invalid suffix 'e' on number");
}

TEST(Lexer, Strings) {
  Lexed lexed = lexText(R"("zeros" "a\"b\\c" "héllo")");
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
  EXPECT_EQ(lexed.tokens[0].text, "zeros");
  EXPECT_EQ(lexed.tokens[1].text, "a\"b\\c");
  EXPECT_EQ(lexed.tokens[2].text, "héllo");
}

TEST(Lexer, StringErrors) {
  EXPECT_EQ(firstError(lexText("x = \"abc\ny")),
            "1:5: unterminated string literal");
  EXPECT_EQ(firstError(lexText("\"a\\qb\"")),
            "1:3: invalid escape sequence in string literal");
  EXPECT_EQ(firstError(lexText("\"a\xff\"")),
            "1:3: invalid UTF-8 byte 0xFF in string literal");
}

TEST(Lexer, StrayCharacters) {
  EXPECT_EQ(firstError(lexText("a @ b")), "1:3: unexpected character '@'");
  EXPECT_EQ(firstError(lexText("a \xc3\xa9 b")),
            "1:3: unexpected character U+00E9 '\xc3\xa9'");
  EXPECT_EQ(firstError(lexText("a\x01")),
            "1:2: unexpected control character 0x01");
}

TEST(Lexer, InvalidUtf8IsOneErrorPerRun) {
  Lexed lexed = lexText("model \xff\xfe\xc0\x80 M");
  EXPECT_EQ(firstError(lexed), "1:7: invalid UTF-8 byte 0xFF");
  EXPECT_EQ(lexed.diags.errorCount(), 1u);
  EXPECT_TRUE(lexed.tokens[1].is(TokenKind::Ident));
}

TEST(Lexer, LongIdentifierIsAnError) {
  std::string name(300, 'a');
  EXPECT_EQ(firstError(lexText(name)),
            "1:1: identifier is 300 characters long; the limit is 256");
  EXPECT_EQ(lexText(std::string(256, 'a')).diags.errorCount(), 0u);
}

TEST(Lexer, CommentsMayContainAnything) {
  Lexed lexed = lexText("# \xff\xfe anything @ goes\nmodel");
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
  EXPECT_TRUE(lexed.tokens[0].is(TokenKind::KwModel));
}

TEST(Lexer, CarriageReturnsAreWhitespace) {
  Lexed lexed = lexText("model\r\nM\r\n");
  EXPECT_EQ(lexed.diags.errorCount(), 0u);
  EXPECT_EQ(lexed.tokens[1].loc.line, 2u);
}

} // namespace
