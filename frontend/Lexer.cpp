//===- Lexer.cpp - split a model file into tokens -------------------------===//
//
// Columns count bytes from 1, as clang's do. Input is arbitrary bytes (the
// fuzzer feeds anything), so every branch makes progress and every number is
// range-checked before it is converted.
//
//===----------------------------------------------------------------------===//
#include "frontend/Lexer.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace nncc {

namespace {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

/// Length of the valid UTF-8 sequence at `s[i]`, or 0 if it is invalid.
size_t utf8Length(const std::string &s, size_t i, uint32_t &codePoint) {
  unsigned char c = s[i];
  size_t len;
  if (c < 0x80) {
    codePoint = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    codePoint = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    codePoint = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    codePoint = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80)
      return 0;
    codePoint = (codePoint << 6) | (cc & 0x3F);
  }
  // Reject overlong encodings, surrogates and values past U+10FFFF.
  if ((len == 3 && codePoint < 0x800) || (len == 4 && codePoint < 0x10000) ||
      (codePoint >= 0xD800 && codePoint <= 0xDFFF) || codePoint > 0x10FFFF)
    return 0;
  return len;
}

std::string hexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02X", c);
  return buf;
}

class Lexer {
public:
  Lexer(const std::string &file, const std::string &text,
        DiagnosticEngine &diags)
      : file(file), text(text), diags(diags) {}

  std::vector<Token> run();

private:
  char peek(size_t ahead = 0) const {
    return pos + ahead < text.size() ? text[pos + ahead] : '\0';
  }
  bool atEnd() const { return pos >= text.size(); }
  SourceLoc here() const {
    return {file, line, static_cast<unsigned>(pos - lineStart + 1)};
  }
  void skipWhitespaceAndComments();
  bool startsToken(size_t at) const;
  void lexIdentifier(Token &tok);
  void lexNumber(Token &tok);
  void lexString(Token &tok);
  bool lexPunctuation(Token &tok);
  void reportStrayCharacters();

  const std::string &file;
  const std::string &text;
  DiagnosticEngine &diags;
  size_t pos = 0;
  size_t lineStart = 0;
  unsigned line = 1;
  bool sawNewline = true;
};

void Lexer::skipWhitespaceAndComments() {
  while (!atEnd()) {
    char c = peek();
    if (c == '\n') {
      ++pos;
      ++line;
      lineStart = pos;
      sawNewline = true;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (c == '#') {
      while (!atEnd() && peek() != '\n')
        ++pos;
    } else {
      return;
    }
  }
}

std::vector<Token> Lexer::run() {
  std::vector<Token> tokens;
  while (true) {
    skipWhitespaceAndComments();
    Token tok;
    tok.loc = here();
    tok.startsLine = sawNewline;
    if (atEnd()) {
      tok.kind = TokenKind::Eof;
      tok.endCol = tok.loc.col;
      tokens.push_back(std::move(tok));
      return tokens;
    }
    size_t start = pos;
    char c = peek();
    if (isIdentStart(c)) {
      lexIdentifier(tok);
    } else if (isDigit(c)) {
      lexNumber(tok);
    } else if (c == '"') {
      lexString(tok);
    } else if (!lexPunctuation(tok)) {
      reportStrayCharacters();
      continue;
    }
    sawNewline = false;
    tok.endCol = tok.loc.col + static_cast<unsigned>(pos - start);
    tokens.push_back(std::move(tok));
  }
}

void Lexer::lexIdentifier(Token &tok) {
  size_t start = pos;
  while (isIdentChar(peek()))
    ++pos;
  tok.text = text.substr(start, pos - start);
  if (tok.text.size() > kMaxIdentifierLength)
    diags.error(tok.loc, "identifier is " + std::to_string(tok.text.size()) +
                             " characters long; the limit is " +
                             std::to_string(kMaxIdentifierLength));
  static const std::pair<const char *, TokenKind> keywords[] = {
      {"model", TokenKind::KwModel},
      {"input", TokenKind::KwInput},
      {"forward", TokenKind::KwForward},
      {"return", TokenKind::KwReturn},
      {"minimize", TokenKind::KwMinimize},
      {"true", TokenKind::KwTrue},
      {"false", TokenKind::KwFalse},
      {"none", TokenKind::KwNone},
      {"block", TokenKind::KwBlock},
      {"if", TokenKind::KwIf},
      {"else", TokenKind::KwElse},
      {"and", TokenKind::KwAnd},
      {"or", TokenKind::KwOr},
      {"not", TokenKind::KwNot},
      {"frozen", TokenKind::KwFrozen},
      {"for", TokenKind::KwFor},
      {"in", TokenKind::KwIn},
      {"import", TokenKind::KwImport}};
  tok.kind = TokenKind::Ident;
  for (const auto &[spelling, kind] : keywords)
    if (tok.text == spelling)
      tok.kind = kind;
}

void Lexer::lexNumber(Token &tok) {
  size_t start = pos;
  while (isDigit(peek()))
    ++pos;
  bool isFloat = false;
  if (peek() == '.' && isDigit(peek(1))) {
    isFloat = true;
    ++pos;
    while (isDigit(peek()))
      ++pos;
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (isDigit(peek(1)) ||
       ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
    isFloat = true;
    pos += 2;
    while (isDigit(peek()))
      ++pos;
  }
  tok.text = text.substr(start, pos - start);
  tok.kind = isFloat ? TokenKind::Float : TokenKind::Int;
  if (isIdentChar(peek())) {
    size_t suffixStart = pos;
    while (isIdentChar(peek()))
      ++pos;
    std::string suffix = text.substr(suffixStart, pos - suffixStart);
    if (suffix.size() > 16)
      suffix = suffix.substr(0, 16) + "...";
    diags.error(tok.loc, "invalid suffix '" + suffix + "' on number");
    tok.malformed = true;
    return;
  }
  if (isFloat) {
    errno = 0;
    tok.floatValue = std::strtod(tok.text.c_str(), nullptr);
    if (std::isinf(tok.floatValue) || std::isnan(tok.floatValue)) {
      diags.error(tok.loc, "floating-point literal is out of range");
      tok.malformed = true;
      tok.floatValue = 0;
    }
    return;
  }
  int64_t value = 0;
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  for (char digit : tok.text) {
    int d = digit - '0';
    if (value > (max - d) / 10) {
      diags.error(tok.loc, "integer literal is too large; the limit is " +
                               std::to_string(max));
      tok.malformed = true;
      return;
    }
    value = value * 10 + d;
  }
  tok.intValue = value;
}

void Lexer::lexString(Token &tok) {
  tok.kind = TokenKind::String;
  ++pos; // opening quote
  while (true) {
    if (atEnd() || peek() == '\n') {
      diags.error(tok.loc, "unterminated string literal");
      tok.malformed = true;
      return;
    }
    char c = peek();
    if (c == '"') {
      ++pos;
      return;
    }
    if (c == '\\') {
      char e = peek(1);
      const char *decoded = e == 'n'    ? "\n"
                            : e == 't'  ? "\t"
                            : e == '\\' ? "\\"
                            : e == '"'  ? "\""
                                        : nullptr;
      if (!decoded) {
        SourceLoc loc = here();
        diags.error(loc, "invalid escape sequence in string literal");
        tok.malformed = true;
        ++pos;
        continue;
      }
      tok.text += decoded;
      pos += 2;
      continue;
    }
    uint32_t codePoint;
    size_t len = utf8Length(text, pos, codePoint);
    if (len == 0 || codePoint < 0x20) {
      diags.error(
          here(),
          len == 0 ? "invalid UTF-8 byte " + hexByte(c) + " in string literal"
                   : "control character " + hexByte(c) + " in string literal");
      tok.malformed = true;
      ++pos;
      continue;
    }
    tok.text += text.substr(pos, len);
    pos += len;
  }
}

bool Lexer::lexPunctuation(Token &tok) {
  // Two-character operators first, so that "//" is not read as two '/'.
  static const std::pair<const char *, TokenKind> operators[] = {
      {"//", TokenKind::SlashSlash},
      {"==", TokenKind::EqualEqual},
      {"!=", TokenKind::NotEqual},
      {"<=", TokenKind::LessEqual},
      {">=", TokenKind::GreaterEqual}};
  for (const auto &[spelling, kind] : operators) {
    if (peek() == spelling[0] && peek(1) == spelling[1]) {
      tok.kind = kind;
      tok.text = spelling;
      pos += 2;
      return true;
    }
  }
  static const std::pair<char, TokenKind> punctuation[] = {
      {'(', TokenKind::LParen},   {')', TokenKind::RParen},
      {'{', TokenKind::LBrace},   {'}', TokenKind::RBrace},
      {'[', TokenKind::LBracket}, {']', TokenKind::RBracket},
      {',', TokenKind::Comma},    {':', TokenKind::Colon},
      {'=', TokenKind::Equal},    {'.', TokenKind::Dot},
      {'+', TokenKind::Plus},     {'-', TokenKind::Minus},
      {'*', TokenKind::Star},     {'/', TokenKind::Slash},
      {'%', TokenKind::Percent},  {'<', TokenKind::Less},
      {'>', TokenKind::Greater}};
  for (const auto &[c, kind] : punctuation) {
    if (peek() == c) {
      tok.kind = kind;
      tok.text = std::string(1, c);
      ++pos;
      return true;
    }
  }
  return false;
}

bool Lexer::startsToken(size_t at) const {
  char c = text[at];
  static const std::string others = "(){}[],:=.+-*/%<>!\"# \t\r\n\f\v";
  return isIdentChar(c) || others.find(c) != std::string::npos;
}

/// Reports one error for a run of characters that cannot start a token, so a
/// binary blob costs one diagnostic instead of one per byte.
void Lexer::reportStrayCharacters() {
  SourceLoc loc = here();
  unsigned char c = peek();
  uint32_t codePoint;
  size_t len = utf8Length(text, pos, codePoint);
  if (len == 0) {
    diags.error(loc, "invalid UTF-8 byte " + hexByte(c));
    len = 1;
  } else if (len > 1) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "U+%04X", codePoint);
    diags.error(loc, std::string("unexpected character ") + buf + " '" +
                         text.substr(pos, len) + "'");
  } else if (c < 0x20 || c == 0x7F) {
    diags.error(loc, "unexpected control character " + hexByte(c));
  } else {
    // Python's operators are words here; say so for C's spellings.
    const char *hint = c == '!'   ? "; use 'not' for negation"
                       : c == '&' ? "; use 'and'"
                       : c == '|' ? "; use 'or'"
                                  : "";
    diags.error(loc, std::string("unexpected character '") +
                         static_cast<char>(c) + "'" + hint);
  }
  pos += len;
  while (!atEnd() && !startsToken(pos))
    ++pos;
}

} // namespace

std::vector<Token> lex(const std::string &file, const std::string &text,
                       DiagnosticEngine &diags) {
  return Lexer(file, text, diags).run();
}

} // namespace nncc
