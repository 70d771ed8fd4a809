//===- Npy.cpp - NumPy .npy parsing ---------------------------------------===//
//
// The header is a Python dict literal; we read only the three keys np.save
// writes ('descr', 'fortran_order', 'shape') with a small scanner instead of
// a Python parser, and treat anything unexpected as an error rather than a
// guess. Sizes are multiplied with overflow checks before they are compared
// with the bytes present.
//
//===----------------------------------------------------------------------===//
#include "nncc/Npy.h"
#include "nncc/Error.h"

#include <cstring>

namespace nncc {

namespace {

[[noreturn]] void fail(const std::string &name, size_t offset,
                       const std::string &what) {
  throw Error("'" + name + "': " + what + " at byte offset " +
              std::to_string(offset));
}

/// The text after `'key':` in the header dict, or npos.
size_t findValue(const std::string &header, const char *key) {
  std::string quoted = std::string("'") + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string::npos)
    return at;
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos)
    return at;
  ++at;
  while (at < header.size() && header[at] == ' ')
    ++at;
  return at;
}

} // namespace

int64_t NpyArray::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t NpyArray::itemSize() const {
  return dtype.size() >= 3 ? std::atoi(dtype.c_str() + 2) : 0;
}

NpyArray parseNpy(const std::vector<uint8_t> &bytes, const std::string &name) {
  static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10)
    fail(name, bytes.size(), "truncated .npy header: the file ends");
  if (std::memcmp(bytes.data(), kMagic, 6) != 0)
    fail(name, 0, "not a .npy file (no \\x93NUMPY magic)");
  uint8_t major = bytes[6];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = bytes[8] | size_t(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      fail(name, bytes.size(), "truncated .npy header: the file ends");
    headerLen = bytes[8] | size_t(bytes[9]) << 8 | size_t(bytes[10]) << 16 |
                size_t(bytes[11]) << 24;
    headerStart = 12;
  } else {
    fail(name, 6,
         ".npy format version " + std::to_string(major) +
             " is not supported (1, 2 and 3 are)");
  }
  if (headerLen > bytes.size() - headerStart)
    fail(name, bytes.size(),
         "truncated .npy header: it declares " + std::to_string(headerLen) +
             " bytes but the file ends");
  std::string header(reinterpret_cast<const char *>(bytes.data()) + headerStart,
                     headerLen);
  size_t dataStart = headerStart + headerLen;

  NpyArray a;
  size_t at = findValue(header, "descr");
  if (at == std::string::npos || at >= header.size() || header[at] != '\'')
    fail(name, headerStart, ".npy header has no 'descr' string");
  size_t close = header.find('\'', at + 1);
  if (close == std::string::npos)
    fail(name, headerStart, ".npy header has an unterminated 'descr'");
  a.dtype = header.substr(at + 1, close - at - 1);
  static const char *kSupported[] = {"|u1", "|i1", "<i2", "<u2", "<i4", "<u4",
                                     "<i8", "<u8", "<f4", "<f8", "|b1"};
  bool known = false;
  for (const char *d : kSupported)
    known |= a.dtype == d;
  if (!known && a.dtype.size() == 3 && a.dtype[0] == '>')
    fail(name, headerStart + at,
         "big-endian dtype '" + a.dtype + "' is not supported");
  if (!known)
    fail(name, headerStart + at,
         "dtype '" + a.dtype +
             "' is not supported (integers, bool, float32/64, little-endian)");

  at = findValue(header, "fortran_order");
  if (at == std::string::npos)
    fail(name, headerStart, ".npy header has no 'fortran_order'");
  if (header.compare(at, 4, "True") == 0)
    fail(name, headerStart + at,
         "Fortran-order arrays are not supported; save with "
         "np.ascontiguousarray");
  if (header.compare(at, 5, "False") != 0)
    fail(name, headerStart + at, "'fortran_order' is neither True nor False");

  at = findValue(header, "shape");
  if (at == std::string::npos || at >= header.size() || header[at] != '(')
    fail(name, headerStart, ".npy header has no 'shape' tuple");
  // Elements fit in the file, so a product above its length is an error; the
  // check before each multiply keeps it from overflowing.
  uint64_t numel = 1, limit = bytes.size();
  for (size_t i = at + 1;;) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ','))
      ++i;
    if (i >= header.size())
      fail(name, headerStart + i, "unterminated 'shape' tuple");
    if (header[i] == ')')
      break;
    if (header[i] < '0' || header[i] > '9')
      fail(name, headerStart + i, "unexpected character in 'shape'");
    uint64_t dim = 0;
    while (i < header.size() && header[i] >= '0' && header[i] <= '9') {
      dim = dim * 10 + uint64_t(header[i] - '0');
      if (dim > limit + 1)
        fail(name, headerStart + i,
             "'shape' declares more elements than the file holds");
      ++i;
    }
    if (a.shape.size() == 32)
      fail(name, headerStart + i, "'shape' has more than 32 dimensions");
    a.shape.push_back(int64_t(dim));
    if (dim != 0 && numel > limit / dim + 1)
      fail(name, headerStart + i,
           "'shape' declares more elements than the file holds");
    numel *= dim;
  }
  uint64_t dataBytes = numel * uint64_t(a.itemSize());
  uint64_t present = bytes.size() - dataStart;
  if (present < dataBytes)
    fail(name, bytes.size(),
         "truncated .npy data: shape and dtype need " +
             std::to_string(dataBytes) + " bytes from offset " +
             std::to_string(dataStart) + ", the file ends");
  if (present > dataBytes)
    fail(name, dataStart + dataBytes,
         std::to_string(present - dataBytes) + " unexpected trailing bytes");
  a.data.assign(bytes.begin() + ptrdiff_t(dataStart), bytes.end());
  return a;
}

int64_t npyInteger(const NpyArray &a, int64_t i, const std::string &name) {
  const uint8_t *p = a.data.data() + i * a.itemSize();
  auto load = [&](auto v) {
    std::memcpy(&v, p, sizeof v);
    return int64_t(v);
  };
  const std::string &d = a.dtype;
  if (d == "|u1" || d == "|b1")
    return load(uint8_t());
  if (d == "|i1")
    return load(int8_t());
  if (d == "<i2")
    return load(int16_t());
  if (d == "<u2")
    return load(uint16_t());
  if (d == "<i4")
    return load(int32_t());
  if (d == "<u4")
    return load(uint32_t());
  if (d == "<i8")
    return load(int64_t());
  if (d == "<u8") {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if (v > uint64_t(INT64_MAX))
      throw Error("'" + name + "': label " + std::to_string(v) +
                  " does not fit int64");
    return int64_t(v);
  }
  throw Error("'" + name + "': labels must be integers, the dtype is '" + d +
              "'");
}

} // namespace nncc
