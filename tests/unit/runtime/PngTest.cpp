//===- PngTest.cpp - PNG decoding against PIL's files and broken input ----===//
#include "nncc/Png.h"
#include "DataFixtures.h"
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;
namespace fx = nncc::test::fixtures;

namespace {

Bytes bytesOf(const uint8_t *p, size_t n) { return Bytes(p, p + n); }

TEST(Png, DecodesEveryModePilWrites) {
  struct Case {
    const char *name;
    const uint8_t *png;
    size_t size;
    const uint8_t *expected;
    size_t expectedSize;
    int channels;
  } cases[] = {
      {"rgb", fx::kPngRgb, fx::kPngRgbSize, fx::kPngRgbRaw, fx::kPngRgbRawSize,
       3},
      {"rgba", fx::kPngRgba, fx::kPngRgbaSize, fx::kPngRgbaRaw,
       fx::kPngRgbaRawSize, 4},
      {"gray", fx::kPngGray, fx::kPngGraySize, fx::kPngGrayRaw,
       fx::kPngGrayRawSize, 1},
      {"gray+alpha", fx::kPngGrayAlpha, fx::kPngGrayAlphaSize,
       fx::kPngGrayAlphaRaw, fx::kPngGrayAlphaRawSize, 2},
      // A palette image decodes to its colours; a 1-bit image to 0/255.
      {"palette", fx::kPngPalette, fx::kPngPaletteSize, fx::kPngPaletteRgb,
       fx::kPngPaletteRgbSize, 3},
      {"1-bit", fx::kPngBilevel, fx::kPngBilevelSize, fx::kPngBilevelRaw,
       fx::kPngBilevelRawSize, 1},
  };
  for (const Case &c : cases) {
    PngImage img = decodePng(c.png, c.size, c.name);
    EXPECT_EQ(img.width, fx::kPngWidth) << c.name;
    EXPECT_EQ(img.height, fx::kPngHeight) << c.name;
    EXPECT_EQ(img.channels, c.channels) << c.name;
    EXPECT_EQ(img.pixels, bytesOf(c.expected, c.expectedSize)) << c.name;
  }
}

TEST(Png, UndoesEachRowFilter) {
  // A 3x5 gray image whose rows use filters None, Sub, Up, Average, Paeth.
  const Bytes pixels = {10, 20, 30, 40, 50,  60,  70, 80,
                        90, 5,  7,  9,  200, 100, 1};
  Bytes filtered;
  for (int y = 0; y < 5; ++y) {
    filtered.push_back(uint8_t(y));
    for (int x = 0; x < 3; ++x) {
      int a = x ? pixels[y * 3 + x - 1] : 0,
          b = y ? pixels[(y - 1) * 3 + x] : 0,
          c = x && y ? pixels[(y - 1) * 3 + x - 1] : 0;
      int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b),
          pc = std::abs(p - c);
      int pred[5] = {0, a, b, (a + b) / 2,
                     pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)};
      filtered.push_back(uint8_t(pixels[y * 3 + x] - pred[y]));
    }
  }
  PngImage img = decodePng(pngBytes(3, 5, 8, 0, filtered), "filters.png");
  EXPECT_EQ(img.pixels, pixels);
}

TEST(Png, PaletteWithTransparencyGivesRgba) {
  Bytes filtered = {0, 0x1b}; // 2 bits per index: 0, 1, 2, 3 -> 4 pixels
  Bytes plte = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  PngImage img = decodePng(
      pngBytes(4, 1, 2, 3, filtered, {{"PLTE", plte}, {"tRNS", {0, 128}}}),
      "p.png");
  EXPECT_EQ(img.channels, 4);
  EXPECT_EQ(img.pixels,
            (Bytes{1, 2, 3, 0, 4, 5, 6, 128, 7, 8, 9, 255, 10, 11, 12, 255}));
}

TEST(Png, RejectsCorruptFilesNamingTheOffset) {
  Bytes good = pngBytes(2, 2, 8, 0, {0, 1, 2, 0, 3, 4});
  ASSERT_EQ(decodePng(good, "g.png").pixels, (Bytes{1, 2, 3, 4}));

  Bytes badCrc = good;
  badCrc[8 + 8 + 3] ^= 1; // inside IHDR's body
  EXPECT_EQ(errorOf([&] { decodePng(badCrc, "c.png"); }),
            "'c.png': CRC mismatch in the IHDR chunk at byte offset 8");

  Bytes truncated(good.begin(), good.end() - 20);
  std::string msg = errorOf([&] { decodePng(truncated, "t.png"); });
  EXPECT_NE(msg.find("'t.png': truncated PNG"), std::string::npos) << msg;

  Bytes notPng = {'G', 'I', 'F', '8', '9', 'a', 0, 0, 0};
  EXPECT_EQ(errorOf([&] { decodePng(notPng, "n.png"); }),
            "'n.png': not a PNG file (bad signature) at byte offset 0");

  msg = errorOf([&] { decodePng(pngBytes(1, 1, 16, 0, {0, 0, 0}), "16.png"); });
  EXPECT_NE(msg.find("16-bit PNG samples are not supported"), std::string::npos)
      << msg;
  msg = errorOf([&] {
    decodePng(pngBytes(1, 1, 8, 0, {0, 0}, {}, 1), "i.png");
  });
  EXPECT_NE(msg.find("interlaced (Adam7) PNGs are not supported"),
            std::string::npos)
      << msg;
  msg = errorOf([&] { decodePng(pngBytes(2, 1, 8, 0, {7, 1, 2}), "f.png"); });
  EXPECT_NE(msg.find("unknown filter type 7"), std::string::npos) << msg;
  // Too few rows in IDAT for what IHDR declares.
  msg = errorOf([&] { decodePng(pngBytes(2, 3, 8, 0, {0, 1, 2}), "s.png"); });
  EXPECT_NE(msg.find("IDAT data inflates to 3 bytes, 9 needed"),
            std::string::npos)
      << msg;
  msg = errorOf([&] {
    decodePng(pngBytes(2, 1, 8, 3, {0, 0, 5}, {{"PLTE", {1, 2, 3}}}), "x.png");
  });
  EXPECT_NE(msg.find("palette index 5 at pixel (1, 0)"), std::string::npos)
      << msg;
}

TEST(Png, BoundsTheAllocationByTheCompressedSize) {
  // IHDR claims 100000 x 100000 RGBA (40 GB) over a few IDAT bytes: refused
  // before anything that size is allocated.
  std::string msg = errorOf([&] {
    decodePng(pngBytes(100000, 100000, 8, 6, {0, 0}), "big.png");
  });
  EXPECT_NE(msg.find("more than its"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'big.png'"), std::string::npos) << msg;
}

} // namespace
