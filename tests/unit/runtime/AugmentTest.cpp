//===- AugmentTest.cpp - crop with zero padding, flip, seeded draws -------===//
#include "nncc/Augment.h"

#include <gtest/gtest.h>
#include <set>

using namespace nncc;

namespace {

/// lut[v] = v, so outputs read back as the source pixel values.
std::vector<float> identityLut(int channels) {
  std::vector<float> lut(size_t(256 * channels));
  for (size_t i = 0; i < lut.size(); ++i)
    lut[i] = float(i % 256);
  return lut;
}

TEST(Augment, CropShiftsAndPadsWithPixelZero) {
  // 1x3x3 image 1..9; padding 1, offset (0, 2): the output's row 0 is the
  // padding row, and it reads one column to the right.
  std::vector<uint8_t> src = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> lut = identityLut(1);
  lut[0] = -7; // a padded pixel is pixel value 0 normalised
  AugmentOptions o;
  o.cropPadding = 1;
  AugmentChoice c;
  c.dy = 0;
  c.dx = 2;
  std::vector<float> out(9);
  convertSample(src.data(), {1, 3, 3}, lut.data(), o, c, out.data());
  EXPECT_EQ(out, (std::vector<float>{-7, -7, -7, 2, 3, -7, 5, 6, -7}));
  // Offset (p, p) is the identity.
  c.dy = c.dx = 1;
  convertSample(src.data(), {1, 3, 3}, lut.data(), o, c, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Augment, FlipMirrorsEachChannelAfterTheCrop) {
  std::vector<uint8_t> src = {1, 2, 3, 4, 10, 20, 30, 40}; // 2x2x2
  std::vector<float> lut = identityLut(2);
  AugmentOptions o;
  o.horizontalFlip = true;
  AugmentChoice c;
  c.flip = true;
  std::vector<float> out(8);
  convertSample(src.data(), {2, 2, 2}, lut.data(), o, c, out.data());
  EXPECT_EQ(out, (std::vector<float>{2, 1, 4, 3, 20, 10, 40, 30}));
}

TEST(Augment, DrawsCoverTheRangeAndDependOnlyOnTheirKey) {
  AugmentOptions o;
  o.cropPadding = 2;
  o.horizontalFlip = true;
  std::set<int64_t> dys, dxs;
  int flips = 0;
  for (int64_t pos = 0; pos < 2000; ++pos) {
    AugmentChoice c = chooseAugment(o, 5, 3, pos);
    dys.insert(c.dy);
    dxs.insert(c.dx);
    flips += c.flip;
    AugmentChoice again = chooseAugment(o, 5, 3, pos);
    EXPECT_EQ(c.dy, again.dy);
    EXPECT_EQ(c.flip, again.flip);
  }
  EXPECT_EQ(dys, (std::set<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(dxs, (std::set<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_NEAR(flips, 1000, 150);
  // Another epoch or seed draws differently.
  int same = 0;
  for (int64_t pos = 0; pos < 100; ++pos)
    same += chooseAugment(o, 5, 3, pos).dx == chooseAugment(o, 5, 4, pos).dx;
  EXPECT_LT(same, 50);
}

} // namespace
