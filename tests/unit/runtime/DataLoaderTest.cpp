//===- DataLoaderTest.cpp - batch order, sizes and normalisation ----------===//
#include "nncc/DataLoader.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numeric>

using namespace nncc;

namespace {

/// Sample i is a 1x1x2 image {i, 255 - i} with label i % 10.
class CountingDataset : public Dataset {
public:
  explicit CountingDataset(int64_t n) : pixels_(size_t(2 * n)), n_(n) {
    for (int64_t i = 0; i < n; ++i) {
      pixels_[2 * i] = uint8_t(i);
      pixels_[2 * i + 1] = uint8_t(255 - i);
    }
  }
  int64_t size() const override { return n_; }
  std::array<int64_t, 3> sampleShape() const override { return {1, 1, 2}; }
  const uint8_t *image(int64_t i) const override {
    return pixels_.data() + 2 * i;
  }
  int64_t label(int64_t i) const override { return i % 10; }

private:
  std::vector<uint8_t> pixels_;
  int64_t n_;
};

/// Runs one epoch and returns the sample index of each row (pixel 0) and the
/// size of each batch.
void runEpoch(DataLoader &loader, std::vector<int64_t> &seen,
              std::vector<int64_t> &sizes, float mean = 0, float std = 1) {
  loader.startEpoch();
  seen.clear();
  sizes.clear();
  while (int64_t b = loader.next()) {
    sizes.push_back(b);
    for (int64_t r = 0; r < b; ++r) {
      float x = loader.images()[2 * r] * std + mean; // undo normalisation
      int64_t index = std::lround(x * 255.0f);
      seen.push_back(index);
      EXPECT_EQ(loader.labels()[r], index % 10);
    }
  }
}

TEST(DataLoader, NoShuffleIsSequentialWithPartialLastBatch) {
  CountingDataset ds(10);
  DataLoader loader(
      ds, {4, /*shuffle=*/false, /*dropLast=*/false, 0, nullptr, 0, 1});
  std::vector<int64_t> seen, sizes;
  runEpoch(loader, seen, sizes);
  std::vector<int64_t> expected(10);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
  EXPECT_EQ(loader.batchesPerEpoch(), 3);
  EXPECT_EQ(loader.samplesPerEpoch(), 10);
}

TEST(DataLoader, DropLastSkipsPartialBatch) {
  CountingDataset ds(10);
  DataLoader loader(ds, {4, false, /*dropLast=*/true, 0, nullptr, 0, 1});
  std::vector<int64_t> seen, sizes;
  runEpoch(loader, seen, sizes);
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4}));
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_EQ(loader.batchesPerEpoch(), 2);
  // An exact multiple loses nothing.
  DataLoader exact(ds, {5, false, true, 0, nullptr, 0, 1});
  runEpoch(exact, seen, sizes);
  EXPECT_EQ(sizes, (std::vector<int64_t>{5, 5}));
}

TEST(DataLoader, ShuffleIsAReproduciblePermutationPerEpoch) {
  CountingDataset ds(100);
  DataLoader a(ds, {7, true, false, /*seed=*/42, nullptr, 0, 1});
  DataLoader b(ds, {7, true, false, /*seed=*/42, nullptr, 0, 1});
  std::vector<int64_t> seenA, seenB, sizes;
  runEpoch(a, seenA, sizes);
  runEpoch(b, seenB, sizes);
  EXPECT_EQ(seenA, seenB);
  std::vector<int64_t> sorted = seenA;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> all(100);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  EXPECT_NE(seenA, all);
  EXPECT_EQ(sizes.back(), 100 % 7);

  std::vector<int64_t> nextEpoch;
  runEpoch(a, nextEpoch, sizes);
  EXPECT_NE(nextEpoch, seenA);
  DataLoader otherSeed(ds, {7, true, false, /*seed=*/43, nullptr, 0, 1});
  std::vector<int64_t> seenC;
  runEpoch(otherSeed, seenC, sizes);
  EXPECT_NE(seenC, seenA);
}

TEST(DataLoader, ShufflesExactlyAsPyTorch) {
  // torch.manual_seed(0); dl = DataLoader(list(range(8)), batch_size=8,
  // shuffle=True); two epochs of dl (values printed by torch 1.13).
  CountingDataset ds(8);
  DataLoader loader(ds, {8, true, false, /*seed=*/0, nullptr, 0, 1});
  std::vector<int64_t> seen, sizes;
  runEpoch(loader, seen, sizes);
  EXPECT_EQ(seen, (std::vector<int64_t>{2, 0, 5, 3, 1, 4, 7, 6}));
  runEpoch(loader, seen, sizes);
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 3, 7, 1, 6, 2, 5, 4}));
  // g = torch.Generator(); g.manual_seed(5); torch.randperm(8, generator=g)
  EXPECT_EQ(torchRandperm(8, 5),
            (std::vector<int64_t>{3, 6, 0, 2, 1, 4, 5, 7}));
}

TEST(DataLoader, NormalisesLikeTorchvision) {
  CountingDataset ds(3);
  const float mean = 0.2860f, std = 0.3530f;
  DataLoader loader(ds, {3, false, false, 0, nullptr, mean, std});
  ASSERT_EQ(loader.next(), 3);
  const float *x = loader.images();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FLOAT_EQ(x[2 * i], (float(i) / 255.0f - mean) / std);
    EXPECT_FLOAT_EQ(x[2 * i + 1], (float(255 - i) / 255.0f - mean) / std);
  }
  EXPECT_FLOAT_EQ(x[0], -0.2860f / 0.3530f);
  EXPECT_FLOAT_EQ(x[1], (1.0f - 0.2860f) / 0.3530f);
  EXPECT_EQ(loader.next(), 0);
}

} // namespace
