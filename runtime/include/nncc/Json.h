//===- nncc/Json.h - a small, defensive JSON reader -------------*- C++ -*-===//
//
// Only what safetensors headers and metrics files need. The reader takes
// untrusted bytes: every access is bounds-checked, nesting is limited, and
// numbers keep their source text so int64 offsets are read exactly (a double
// would silently round offsets above 2^53).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_JSON_H
#define NNCC_JSON_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nncc {
namespace json {

struct Value {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool boolean = false;
  std::string text; // the string's value, or a number's source text
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members; // in source order

  /// The member named `key`, or nullptr.
  const Value *find(const std::string &key) const;
  /// An integral number that fits int64_t; false for anything else.
  bool asInt64(int64_t &out) const;
  /// A number's value as a double (NaN for non-numbers).
  double asDouble() const;
};

/// Parses one JSON value filling all of [data, data+size) except white
/// space. Throws nncc::Error "<where>: <problem> at byte offset N", with N
/// counted from `baseOffset` so messages point into the enclosing file.
Value parse(const char *data, size_t size, const std::string &where,
            size_t baseOffset = 0);

/// `s` as a JSON string literal, quotes included.
std::string quote(const std::string &s);

} // namespace json
} // namespace nncc

#endif // NNCC_JSON_H
