//===- JsonValue.cpp - JSON value accessors and string quoting ------------===//
//
// Accessors convert on demand from the number's source text, so callers
// choose exact int64 (tensor offsets) or double (metrics) per use.
//
//===----------------------------------------------------------------------===//
#include "nncc/Json.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nncc {
namespace json {

const Value *Value::find(const std::string &key) const {
  for (const auto &m : members)
    if (m.first == key)
      return &m.second;
  return nullptr;
}

bool Value::asInt64(int64_t &out) const {
  if (kind != Number || text.empty())
    return false;
  if (text.find_first_of(".eE") != std::string::npos)
    return false;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || end != text.c_str() + text.size())
    return false;
  out = v;
  return true;
}

double Value::asDouble() const {
  return kind == Number ? std::strtod(text.c_str(), nullptr) : std::nan("");
}

std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

} // namespace json
} // namespace nncc
