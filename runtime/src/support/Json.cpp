//===- Json.cpp - recursive-descent JSON reader ---------------------------===//
//
// Strict RFC 8259: no trailing commas, no comments, no NaN, control
// characters must be escaped, \u escapes (surrogate pairs included) become
// UTF-8. Depth is capped so a header of 100k '[' cannot overflow the stack.
//
//===----------------------------------------------------------------------===//
#include "nncc/Json.h"
#include "nncc/Error.h"

namespace nncc {
namespace json {

namespace {

constexpr int kMaxDepth = 64;

class Parser {
public:
  Parser(const char *data, size_t size, const std::string &where, size_t base)
      : p_(data), size_(size), where_(where), base_(base) {}

  Value parseDocument() {
    Value v = parseValue(0);
    skipSpace();
    if (pos_ != size_)
      fail("unexpected characters after the JSON value");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string &what) {
    throw Error(where_ + ": " + what + " at byte offset " +
                std::to_string(base_ + pos_));
  }
  bool atEnd() const { return pos_ >= size_; }
  char peek() const { return atEnd() ? '\0' : p_[pos_]; }
  void skipSpace() {
    while (!atEnd() && (p_[pos_] == ' ' || p_[pos_] == '\t' ||
                        p_[pos_] == '\n' || p_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    if (atEnd() || p_[pos_] != c)
      fail(atEnd() ? std::string("unexpected end of JSON, expected '") + c + "'"
                   : std::string("expected '") + c + "'");
    ++pos_;
  }
  void expectWord(const char *word) {
    for (const char *w = word; *w; ++w) {
      if (atEnd() || p_[pos_] != *w)
        fail(std::string("invalid literal, expected '") + word + "'");
      ++pos_;
    }
  }

  Value parseValue(int depth) {
    if (depth > kMaxDepth)
      fail("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
    skipSpace();
    if (atEnd())
      fail("unexpected end of JSON");
    Value v;
    char c = p_[pos_];
    if (c == '{') {
      v.kind = Value::Object;
      ++pos_;
      skipSpace();
      if (peek() == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        skipSpace();
        if (peek() != '"')
          fail("expected a string key");
        std::string key = parseString();
        skipSpace();
        expect(':');
        v.members.emplace_back(std::move(key), parseValue(depth + 1));
        skipSpace();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = Value::Array;
      ++pos_;
      skipSpace();
      if (peek() == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.items.push_back(parseValue(depth + 1));
        skipSpace();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = Value::String;
      v.text = parseString();
      return v;
    }
    if (c == 't' || c == 'f') {
      v.kind = Value::Bool;
      v.boolean = c == 't';
      expectWord(v.boolean ? "true" : "false");
      return v;
    }
    if (c == 'n') {
      expectWord("null");
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = Value::Number;
      v.text = parseNumber();
      return v;
    }
    fail(std::string("unexpected character '") + c + "'");
  }

  std::string parseNumber() {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (!atEnd() && p_[pos_] >= '0' && p_[pos_] <= '9')
        ++pos_;
      if (pos_ == from)
        fail("malformed number");
    };
    if (peek() == '-')
      ++pos_;
    if (peek() == '0')
      ++pos_;
    else
      digits();
    if (peek() == '.') {
      ++pos_;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-')
        ++pos_;
      digits();
    }
    return std::string(p_ + start, pos_ - start);
  }

  unsigned parseHex4() {
    if (size_ - pos_ < 4)
      fail("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = p_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= unsigned(c - 'A' + 10);
      else
        fail("bad hex digit in \\u escape");
    }
    return v;
  }

  static void appendUtf8(std::string &out, unsigned cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3f));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    }
  }

  std::string parseString() {
    expect('"');
    std::string out;
    for (;;) {
      if (atEnd())
        fail("unterminated string");
      char c = p_[pos_++];
      if (c == '"')
        return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        --pos_;
        fail("unescaped control character in string");
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (atEnd())
        fail("unterminated escape");
      char e = p_[pos_++];
      switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        unsigned cp = parseHex4();
        if (cp >= 0xd800 && cp < 0xdc00) {
          if (size_ - pos_ < 2 || p_[pos_] != '\\' || p_[pos_ + 1] != 'u')
            fail("unpaired surrogate in \\u escape");
          pos_ += 2;
          unsigned low = parseHex4();
          if (low < 0xdc00 || low >= 0xe000)
            fail("unpaired surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        } else if (cp >= 0xdc00 && cp < 0xe000) {
          fail("unpaired surrogate in \\u escape");
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        --pos_;
        fail("invalid escape in string");
      }
    }
  }

  const char *p_;
  size_t size_;
  size_t pos_ = 0;
  const std::string &where_;
  size_t base_;
};

} // namespace

Value parse(const char *data, size_t size, const std::string &where,
            size_t baseOffset) {
  return Parser(data, size, where, baseOffset).parseDocument();
}

} // namespace json
} // namespace nncc
