//===- nncc/Png.h - a PNG decoder for dataset images -------------*- C++
//-*-===//
//
// Our own decoder over zlib's inflate, enough for datasets: 8-bit gray,
// gray+alpha, RGB, RGBA and palette images (1, 2, 4 or 8 bits per palette
// index and 1, 2, 4 bits gray are expanded), all five row filters, every
// chunk's CRC checked. 16-bit samples and Adam7 interlacing are rejected with
// an error saying so. The size IHDR claims is checked against what the IDAT
// bytes can inflate to before the pixel buffer is allocated.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_PNG_H
#define NNCC_PNG_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

struct PngImage {
  int64_t width = 0, height = 0;
  /// 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA); palette images come out
  /// as RGB, or RGBA when they have a tRNS chunk.
  int channels = 0;
  std::vector<uint8_t> pixels; // [height, width, channels], interleaved
};

/// Decodes a PNG file held in memory; errors name `name` and a byte offset.
PngImage decodePng(const uint8_t *data, size_t size, const std::string &name);
PngImage decodePng(const std::vector<uint8_t> &bytes, const std::string &name);

} // namespace nncc

#endif // NNCC_PNG_H
