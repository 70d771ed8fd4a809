//===- DataTestUtil.h - byte builders for NPY, zip, PNG and CIFAR tests ---===//
//
// Each builder writes a minimal valid file so a test can break exactly one
// thing in it (a CRC, a length, a size claim) and check the message.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TESTS_RUNTIME_DATATESTUTIL_H
#define NNCC_TESTS_RUNTIME_DATATESTUTIL_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>
#include <zlib.h>

namespace nncc::test {

using Bytes = std::vector<uint8_t>;

/// `bytes` little-endian bytes of `v`; bytes past the eighth are zero (a
/// shift by 64 or more would be undefined).
inline void putLe(Bytes &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(i < 8 ? uint8_t(v >> (8 * i)) : 0);
}

inline Bytes npyBytes(const std::string &dtype, const std::string &shape,
                      const Bytes &data, const std::string &order = "False") {
  std::string header = "{'descr': '" + dtype + "', 'fortran_order': " + order +
                       ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  putLe(out, header.size(), 2);
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

inline Bytes deflateRaw(const Bytes &in) {
  z_stream zs = {};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&zs, uLong(in.size())));
  zs.next_in = const_cast<Bytef *>(in.data());
  zs.avail_in = uInt(in.size());
  zs.next_out = out.data();
  zs.avail_out = uInt(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

/// A zip archive of `members` (name, bytes), deflated or stored.
inline Bytes zipBytes(const std::vector<std::pair<std::string, Bytes>> &members,
                      bool deflated) {
  Bytes out, dir;
  for (const auto &[name, data] : members) {
    Bytes packed = deflated ? deflateRaw(data) : data;
    uint32_t crc = uint32_t(crc32(0, data.data(), uInt(data.size())));
    uint64_t local = out.size();
    putLe(out, 0x04034b50, 4);
    putLe(out, 20, 2);
    putLe(out, 0, 2);
    putLe(out, deflated ? 8 : 0, 2);
    putLe(out, 0, 4); // time, date
    putLe(out, crc, 4);
    putLe(out, packed.size(), 4);
    putLe(out, data.size(), 4);
    putLe(out, name.size(), 2);
    putLe(out, 0, 2);
    out.insert(out.end(), name.begin(), name.end());
    out.insert(out.end(), packed.begin(), packed.end());
    putLe(dir, 0x02014b50, 4);
    putLe(dir, 20, 2);
    putLe(dir, 20, 2);
    putLe(dir, 0, 2);
    putLe(dir, deflated ? 8 : 0, 2);
    putLe(dir, 0, 4);
    putLe(dir, crc, 4);
    putLe(dir, packed.size(), 4);
    putLe(dir, data.size(), 4);
    putLe(dir, name.size(), 2);
    putLe(dir, 0, 2 + 2 + 2 + 2 + 4);
    putLe(dir, local, 4);
    dir.insert(dir.end(), name.begin(), name.end());
  }
  uint64_t dirOffset = out.size();
  out.insert(out.end(), dir.begin(), dir.end());
  putLe(out, 0x06054b50, 4);
  putLe(out, 0, 4);
  putLe(out, members.size(), 2);
  putLe(out, members.size(), 2);
  putLe(out, dir.size(), 4);
  putLe(out, dirOffset, 4);
  putLe(out, 0, 2);
  return out;
}

inline void putBe32(Bytes &out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8)
    out.push_back(uint8_t(v >> s));
}

inline void pngChunk(Bytes &out, const char *type, const Bytes &body) {
  putBe32(out, uint32_t(body.size()));
  Bytes typed(type, type + 4);
  typed.insert(typed.end(), body.begin(), body.end());
  out.insert(out.end(), typed.begin(), typed.end());
  putBe32(out, uint32_t(crc32(0, typed.data(), uInt(typed.size()))));
}

/// A PNG whose IDAT is zlib(`filtered`): rows already carrying their filter
/// byte. `extra` chunks (PLTE, tRNS) go between IHDR and IDAT.
inline Bytes
pngBytes(uint32_t width, uint32_t height, int bitDepth, int colorType,
         const Bytes &filtered,
         const std::vector<std::pair<std::string, Bytes>> &extra = {},
         int interlace = 0) {
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  putBe32(ihdr, width);
  putBe32(ihdr, height);
  ihdr.push_back(uint8_t(bitDepth));
  ihdr.push_back(uint8_t(colorType));
  ihdr.push_back(0);
  ihdr.push_back(0);
  ihdr.push_back(uint8_t(interlace));
  pngChunk(out, "IHDR", ihdr);
  for (const auto &[type, body] : extra)
    pngChunk(out, type.c_str(), body);
  uLongf packedSize = compressBound(uLong(filtered.size()));
  Bytes packed(packedSize);
  compress(packed.data(), &packedSize, filtered.data(), uLong(filtered.size()));
  packed.resize(packedSize);
  pngChunk(out, "IDAT", packed);
  pngChunk(out, "IEND", {});
  return out;
}

/// One CIFAR record: label byte(s) then 3072 pixels of value `fill`.
inline Bytes cifarRecord(std::vector<uint8_t> labels, uint8_t fill) {
  Bytes r = labels;
  r.resize(labels.size() + 3072, fill);
  return r;
}

} // namespace nncc::test

#endif // NNCC_TESTS_RUNTIME_DATATESTUTIL_H
