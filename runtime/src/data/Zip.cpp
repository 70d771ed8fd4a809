//===- Zip.cpp - the zip reader behind .npz -------------------------------===//
//
// Members are found through the central directory (the local headers of a
// streamed archive may carry zero sizes), zip64 fields included because
// np.savez writes them. Every offset is checked against the archive's
// length, and a member's uncompressed size is bounded by what deflate can
// produce from its compressed bytes (at most 1032:1) before it is allocated.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Npy.h"

#include <cstring>
#include <zlib.h>

namespace nncc {

namespace {

class ZipReader {
public:
  ZipReader(const std::vector<uint8_t> &bytes, const std::string &name)
      : b_(bytes), name_(name) {}

  std::map<std::string, std::vector<uint8_t>> members();

private:
  [[noreturn]] void fail(uint64_t offset, const std::string &what) const {
    throw Error("'" + name_ + "': " + what + " at byte offset " +
                std::to_string(offset));
  }
  void need(uint64_t offset, uint64_t size, const char *what) const {
    if (offset > b_.size() || size > b_.size() - offset)
      fail(offset, std::string("truncated zip archive: ") + what +
                       " runs past the end of the file");
  }
  uint64_t le(uint64_t offset, int bytes) const {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
      v = v << 8 | b_[size_t(offset) + i];
    return v;
  }
  std::vector<uint8_t> extract(uint64_t entry, uint64_t localOffset,
                               uint64_t method, uint64_t compressed,
                               uint64_t size, uint32_t crc,
                               const std::string &member);

  const std::vector<uint8_t> &b_;
  const std::string &name_;
};

std::map<std::string, std::vector<uint8_t>> ZipReader::members() {
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  if (b_.size() < 22)
    fail(b_.size(), "not a zip archive: too short for its directory");
  uint64_t eocd = b_.size() - 22, stop = eocd > 65535 ? eocd - 65535 : 0;
  while (le(eocd, 4) != 0x06054b50) {
    if (eocd == stop)
      fail(b_.size(), "not a zip archive: no end-of-directory record");
    --eocd;
  }
  uint64_t entries = le(eocd + 10, 2), dirSize = le(eocd + 12, 4),
           dirOffset = le(eocd + 16, 4);
  if (entries == 0xffff || dirSize == 0xffffffff || dirOffset == 0xffffffff) {
    // zip64: a locator just before the record points at the zip64 record.
    if (eocd < 20 || le(eocd - 20, 4) != 0x07064b50)
      fail(eocd, "zip64 archive without its locator");
    uint64_t z = le(eocd - 20 + 8, 8);
    need(z, 56, "the zip64 directory record");
    if (le(z, 4) != 0x06064b50)
      fail(z, "bad zip64 directory record signature");
    entries = le(z + 32, 8);
    dirSize = le(z + 40, 8);
    dirOffset = le(z + 48, 8);
  }
  need(dirOffset, dirSize, "the central directory");
  std::map<std::string, std::vector<uint8_t>> out;
  uint64_t at = dirOffset, end = dirOffset + dirSize;
  for (uint64_t e = 0; e < entries; ++e) {
    if (at + 46 > end)
      fail(at,
           "the central directory ends before its entry " + std::to_string(e));
    if (le(at, 4) != 0x02014b50)
      fail(at, "bad central directory entry signature");
    uint64_t flags = le(at + 8, 2), method = le(at + 10, 2);
    uint32_t crc = uint32_t(le(at + 16, 4));
    uint64_t compressed = le(at + 20, 4), size = le(at + 24, 4);
    uint64_t nameLen = le(at + 28, 2), extraLen = le(at + 30, 2),
             commentLen = le(at + 32, 2), local = le(at + 42, 4);
    if (at + 46 + nameLen + extraLen + commentLen > end)
      fail(at, "a central directory entry runs past the directory");
    std::string member(reinterpret_cast<const char *>(&b_[at + 46]), nameLen);
    // zip64 extra field: the 8-byte values replace the saturated ones, in
    // this order.
    for (uint64_t x = at + 46 + nameLen;
         x + 4 <= at + 46 + nameLen + extraLen;) {
      uint64_t id = le(x, 2), len = le(x + 2, 2), p = x + 4;
      if (x + 4 + len > at + 46 + nameLen + extraLen)
        fail(x, "a zip extra field runs past its entry");
      if (id == 0x0001) {
        for (uint64_t *v : {&size, &compressed, &local}) {
          if (*v != 0xffffffff)
            continue;
          if (p + 8 > x + 4 + len)
            fail(x, "a zip64 extra field is too short");
          *v = le(p, 8);
          p += 8;
        }
      }
      x += 4 + len;
    }
    if (flags & 1)
      fail(at, "member '" + member + "' is encrypted");
    if (out.count(member))
      fail(at, "member '" + member + "' appears twice");
    out[member] = extract(at, local, method, compressed, size, crc, member);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

std::vector<uint8_t> ZipReader::extract(uint64_t entry, uint64_t local,
                                        uint64_t method, uint64_t compressed,
                                        uint64_t size, uint32_t crc,
                                        const std::string &member) {
  need(local, 30, "a local file header");
  if (le(local, 4) != 0x04034b50)
    fail(local, "bad local header signature for member '" + member + "'");
  uint64_t data = local + 30 + le(local + 26, 2) + le(local + 28, 2);
  need(data, compressed, "member data");
  std::vector<uint8_t> out;
  if (method == 0) {
    if (compressed != size)
      fail(entry, "stored member '" + member +
                      "' has different compressed and uncompressed sizes");
    out.assign(b_.begin() + ptrdiff_t(data),
               b_.begin() + ptrdiff_t(data + size));
  } else if (method == 8) {
    if (size > compressed * 1032 + 64)
      fail(entry, "member '" + member + "' claims " + std::to_string(size) +
                      " bytes, more than its " + std::to_string(compressed) +
                      " deflated bytes can hold");
    out.resize(size_t(size));
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK)
      throw Error("cannot initialise zlib to read '" + name_ + "'");
    // Sizes are under 1032 times the archive's, far below zlib's 4 GiB
    // counters for any archive we read whole.
    zs.next_in = const_cast<Bytef *>(&b_[size_t(data)]);
    zs.avail_in = uInt(compressed);
    zs.next_out = out.data();
    zs.avail_out = uInt(size);
    int rc = inflate(&zs, Z_FINISH);
    uint64_t produced = zs.total_out, consumed = zs.total_in;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || produced != size)
      fail(data + consumed, "member '" + member + "' does not inflate to its " +
                                std::to_string(size) +
                                " bytes (corrupt deflate data)");
  } else {
    fail(entry, "member '" + member + "' uses compression method " +
                    std::to_string(method) +
                    " (only stored and deflate are "
                    "supported)");
  }
  uint32_t actual =
      uint32_t(crc32(0, out.empty() ? nullptr : out.data(), uInt(out.size())));
  if (actual != crc)
    fail(data, "member '" + member + "' fails its CRC check");
  return out;
}

} // namespace

std::map<std::string, std::vector<uint8_t>>
readZip(const std::vector<uint8_t> &bytes, const std::string &name) {
  return ZipReader(bytes, name).members();
}

} // namespace nncc
