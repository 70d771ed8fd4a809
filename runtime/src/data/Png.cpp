//===- Png.cpp - PNG decoding over zlib's inflate -------------------------===//
//
// Chunks are walked with their CRCs checked; IDAT data is concatenated and
// inflated into a buffer of exactly the size IHDR implies, which is first
// bounded by what the compressed bytes can expand to (deflate's ratio is at
// most 1032:1), so a tiny file cannot claim a gigapixel allocation. Rows are
// then unfiltered in place and expanded to 8-bit samples.
//
//===----------------------------------------------------------------------===//
#include "nncc/Png.h"
#include "nncc/Error.h"

#include <cstdlib>
#include <cstring>
#include <zlib.h>

namespace nncc {

namespace {

uint32_t be32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         p[3];
}

[[noreturn]] void fail(const std::string &name, size_t offset,
                       const std::string &what) {
  throw Error("'" + name + "': " + what + " at byte offset " +
              std::to_string(offset));
}

uint8_t paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b),
      pc = std::abs(p - c);
  if (pa <= pb && pa <= pc)
    return uint8_t(a);
  return uint8_t(pb <= pc ? b : c);
}

/// Undoes the per-row filters of `raw` (each row: filter byte, rowBytes).
void unfilter(std::vector<uint8_t> &raw, size_t rows, size_t rowBytes,
              size_t bpp, const std::string &name, size_t idatOffset) {
  for (size_t y = 0; y < rows; ++y) {
    uint8_t *row = &raw[y * (rowBytes + 1)];
    uint8_t filter = row[0];
    uint8_t *cur = row + 1;
    const uint8_t *prev = y ? cur - (rowBytes + 1) : nullptr;
    for (size_t i = 0; i < rowBytes; ++i) {
      int a = i >= bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0,
          c = prev && i >= bpp ? prev[i - bpp] : 0;
      switch (filter) {
      case 0:
        break;
      case 1:
        cur[i] = uint8_t(cur[i] + a);
        break;
      case 2:
        cur[i] = uint8_t(cur[i] + b);
        break;
      case 3:
        cur[i] = uint8_t(cur[i] + ((a + b) >> 1));
        break;
      case 4:
        cur[i] = uint8_t(cur[i] + paeth(a, b, c));
        break;
      default:
        fail(name, idatOffset,
             "row " + std::to_string(y) + " has unknown filter type " +
                 std::to_string(filter) + " (in the inflated IDAT data)");
      }
    }
  }
}

} // namespace

PngImage decodePng(const std::vector<uint8_t> &bytes, const std::string &name) {
  return decodePng(bytes.data(), bytes.size(), name);
}

PngImage decodePng(const uint8_t *data, size_t size, const std::string &name) {
  static const uint8_t kSignature[8] = {0x89, 'P',  'N',  'G',
                                        '\r', '\n', 0x1a, '\n'};
  if (size < 8 || std::memcmp(data, kSignature, 8) != 0)
    fail(name, 0, "not a PNG file (bad signature)");
  uint32_t width = 0, height = 0;
  int bitDepth = 0, colorType = -1;
  std::vector<uint8_t> palette, paletteAlpha, idat;
  size_t firstIdat = 0;
  bool sawEnd = false;
  for (size_t at = 8; !sawEnd;) {
    if (size - at < 12)
      fail(name, at, "truncated PNG: a chunk header is cut off (no IEND)");
    uint32_t len = be32(data + at);
    if (len > 0x7fffffffu || len > size - at - 12)
      fail(name, at,
           "truncated PNG: a chunk of " + std::to_string(len) +
               " bytes runs past the end of the file");
    const uint8_t *type = data + at + 4, *body = data + at + 8;
    std::string tag(reinterpret_cast<const char *>(type), 4);
    uint32_t crc = uint32_t(crc32(0, type, 4 + len));
    if (crc != be32(body + len))
      fail(name, at, "CRC mismatch in the " + tag + " chunk");
    bool first = at == 8;
    if (first != (tag == "IHDR"))
      fail(name, at, first ? "the first chunk is not IHDR" : "a second IHDR");
    if (tag == "IHDR") {
      if (len != 13)
        fail(name, at, "IHDR has length " + std::to_string(len) + ", not 13");
      width = be32(body);
      height = be32(body + 4);
      bitDepth = body[8];
      colorType = body[9];
      if (width == 0 || height == 0 || width > 0x7fffffffu ||
          height > 0x7fffffffu)
        fail(name, at + 8,
             "invalid image size " + std::to_string(width) + "x" +
                 std::to_string(height));
      bool ok = false;
      switch (colorType) {
      case 0:
        ok = bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 ||
             bitDepth == 16;
        break;
      case 3:
        ok = bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
        break;
      case 2:
      case 4:
      case 6:
        ok = bitDepth == 8 || bitDepth == 16;
        break;
      }
      if (!ok)
        fail(name, at + 16,
             "invalid color type " + std::to_string(colorType) +
                 " with bit depth " + std::to_string(bitDepth));
      if (bitDepth == 16)
        fail(name, at + 16, "16-bit PNG samples are not supported");
      if (body[10] != 0 || body[11] != 0)
        fail(name, at + 18, "unknown compression or filter method");
      if (body[12] == 1)
        fail(name, at + 20, "interlaced (Adam7) PNGs are not supported");
      if (body[12] != 0)
        fail(name, at + 20, "unknown interlace method");
    } else if (tag == "PLTE") {
      if (len % 3 != 0 || len == 0 || len > 768)
        fail(name, at, "PLTE has invalid length " + std::to_string(len));
      palette.assign(body, body + len);
    } else if (tag == "tRNS") {
      if (colorType == 3)
        paletteAlpha.assign(body, body + len);
      // A gray or RGB colour key is dropped, as PIL's convert("RGB") does.
    } else if (tag == "IDAT") {
      if (idat.empty())
        firstIdat = at;
      idat.insert(idat.end(), body, body + len);
    } else if (tag == "IEND") {
      sawEnd = true;
    } else if (!(type[0] & 0x20)) {
      fail(name, at, "unknown critical chunk '" + tag + "'");
    }
    at += 12 + size_t(len);
  }
  if (idat.empty())
    fail(name, size, "PNG has no IDAT chunk");
  if (colorType == 3 && palette.empty())
    fail(name, firstIdat, "palette image without a PLTE chunk");

  static const int kSamples[7] = {1, 0, 3, 1, 2, 0, 4};
  int samples = kSamples[colorType];
  uint64_t rowBytes = (uint64_t(width) * samples * bitDepth + 7) / 8;
  uint64_t bound = uint64_t(idat.size()) * 1032 + 64;
  if (rowBytes + 1 > bound / height || (rowBytes + 1) * height > 0x7fffffffu)
    fail(name, firstIdat,
         "IHDR's " + std::to_string(width) + "x" + std::to_string(height) +
             " image is more than its " + std::to_string(idat.size()) +
             " IDAT bytes can hold (truncated or corrupt)");
  size_t rawSize = size_t((rowBytes + 1) * height);
  std::vector<uint8_t> raw(rawSize);
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit(&zs) != Z_OK)
    throw Error("cannot initialise zlib to read '" + name + "'");
  zs.next_in = idat.data();
  zs.avail_in = uInt(idat.size());
  zs.next_out = raw.data();
  zs.avail_out = uInt(rawSize);
  int rc = inflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  inflateEnd(&zs);
  if (produced < rawSize)
    fail(name, firstIdat,
         "IDAT data inflates to " + std::to_string(produced) + " bytes, " +
             std::to_string(rawSize) + " needed" +
             (rc == Z_DATA_ERROR ? " (corrupt deflate stream)" : ""));
  if (rc != Z_STREAM_END)
    fail(name, firstIdat, "IDAT data does not end where the image does");

  size_t bpp = std::max<size_t>(1, size_t(samples * bitDepth / 8));
  unfilter(raw, height, size_t(rowBytes), bpp, name, firstIdat);

  PngImage img;
  img.width = width;
  img.height = height;
  img.channels = colorType == 3 ? (paletteAlpha.empty() ? 3 : 4) : samples;
  img.pixels.resize(size_t(width) * height * img.channels);
  size_t paletteSize = palette.size() / 3;
  uint8_t *out = img.pixels.data();
  for (size_t y = 0; y < height; ++y) {
    const uint8_t *row = &raw[y * (rowBytes + 1) + 1];
    if (bitDepth == 8 && colorType != 3) {
      std::memcpy(out, row, size_t(rowBytes));
      out += rowBytes;
      continue;
    }
    for (size_t x = 0; x < width; ++x) {
      // Packed samples: a row has width * bitDepth bits, not width bytes.
      size_t bit = x * size_t(bitDepth);
      unsigned v = bitDepth == 8 ? row[x]
                                 : (row[bit / 8] >> (8 - bitDepth - bit % 8)) &
                                       ((1u << bitDepth) - 1);
      if (colorType == 0) {
        *out++ = uint8_t(v * 255 / ((1u << bitDepth) - 1));
        continue;
      }
      if (v >= paletteSize)
        fail(name, firstIdat,
             "palette index " + std::to_string(v) + " at pixel (" +
                 std::to_string(x) + ", " + std::to_string(y) +
                 ") is outside the " + std::to_string(paletteSize) +
                 "-entry palette");
      std::memcpy(out, &palette[3 * v], 3);
      out += 3;
      if (img.channels == 4)
        *out++ = v < paletteAlpha.size() ? paletteAlpha[v] : 255;
    }
  }
  return img;
}

} // namespace nncc
