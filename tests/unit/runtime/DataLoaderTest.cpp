//===- DataLoaderTest.cpp - batch order, sizes, normalisation, workers ----===//
#include "nncc/DataLoader.h"
#include "TestUtil.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numeric>
#include <stdexcept>

using namespace nncc;
using nncc::test::errorOf;

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

/// 3x4x5 images with distinct pixels per sample, for per-channel and
/// augmentation checks.
class Rgb : public Dataset {
public:
  explicit Rgb(int64_t n) : pixels_(size_t(n * 60)), n_(n) {
    for (size_t k = 0; k < pixels_.size(); ++k)
      pixels_[k] = uint8_t((k * 37 + k / 60) % 251);
  }
  int64_t size() const override { return n_; }
  std::array<int64_t, 3> sampleShape() const override { return {3, 4, 5}; }
  const uint8_t *image(int64_t i) const override {
    if (i == failAt)
      throw Error("sample " + std::to_string(i) + " is unreadable");
    return pixels_.data() + 60 * i;
  }
  int64_t label(int64_t i) const override { return i % 7; }
  int64_t failAt = -1;

private:
  std::vector<uint8_t> pixels_;
  int64_t n_;
};

/// Two epochs of every batch's floats and labels, flattened.
std::vector<float> allBatches(const Dataset &ds, DataLoaderOptions o,
                              std::vector<int64_t> *labels = nullptr) {
  DataLoader loader(ds, o);
  std::vector<float> out;
  for (int epoch = 0; epoch < 2; ++epoch) {
    loader.startEpoch();
    while (int64_t n = loader.next()) {
      out.insert(out.end(), loader.images(), loader.images() + n * 60);
      if (labels)
        labels->insert(labels->end(), loader.labels(), loader.labels() + n);
      out.push_back(-1000.0f - float(n)); // batch boundary and size
    }
  }
  return out;
}

TEST(DataLoader, BatchesDoNotDependOnTheWorkerCount) {
  Rgb ds(53); // 53 = 6 batches of 8 + 5: a partial last batch
  DataLoaderOptions o;
  o.batchSize = 8;
  o.seed = 11;
  o.channelMean = {0.4914f, 0.4822f, 0.4465f};
  o.channelStd = {0.2470f, 0.2435f, 0.2616f};
  o.augment.cropPadding = 1;
  o.augment.horizontalFlip = true;
  std::vector<int64_t> labels0;
  std::vector<float> serial = allBatches(ds, o, &labels0);
  ASSERT_EQ(labels0.size(), 106u);
  for (int workers : {1, 2, 3, 8}) {
    o.numWorkers = workers;
    std::vector<int64_t> labels;
    EXPECT_EQ(allBatches(ds, o, &labels), serial) << workers << " workers";
    EXPECT_EQ(labels, labels0) << workers << " workers";
  }
  // Augmentation really changed something, and differs between epochs.
  o.numWorkers = 0;
  o.augment = {};
  EXPECT_NE(allBatches(ds, o), serial);
}

TEST(DataLoader, PerChannelNormalisation) {
  Rgb ds(1);
  DataLoaderOptions o;
  o.batchSize = 1;
  o.shuffle = false;
  o.channelMean = {0.1f, 0.2f, 0.3f};
  o.channelStd = {0.5f, 0.25f, 2.0f};
  DataLoader loader(ds, o);
  ASSERT_EQ(loader.next(), 1);
  for (int c = 0; c < 3; ++c) {
    int k = c * 20 + 7;
    EXPECT_FLOAT_EQ(loader.images()[k],
                    (float(ds.image(0)[k]) / 255.0f - o.channelMean[c]) /
                        o.channelStd[c]);
  }
  o.channelMean = {0.5f};
  o.channelStd = {0.5f};
  EXPECT_EQ(errorOf([&] { DataLoader bad(ds, o); }),
            "per-channel normalisation has 1 values but the images have 3 "
            "channels");
}

TEST(DataLoader, RestoreContinuesMidEpoch) {
  Rgb ds(40);
  DataLoaderOptions o;
  o.batchSize = 6;
  o.seed = 3;
  o.augment.horizontalFlip = true;
  o.numWorkers = 2;
  DataLoader straight(ds, o);
  straight.startEpoch();
  straight.next();
  straight.next();
  LoaderPosition saved = straight.position();
  EXPECT_EQ(saved.epoch, 0);
  EXPECT_EQ(saved.cursor, 12);
  std::vector<float> rest;
  while (int64_t n = straight.next())
    rest.insert(rest.end(), straight.images(), straight.images() + n * 60);

  DataLoader resumed(ds, o);
  resumed.restore(saved);
  std::vector<float> again;
  while (int64_t n = resumed.next())
    again.insert(again.end(), resumed.images(), resumed.images() + n * 60);
  EXPECT_EQ(again, rest);
  saved.order.pop_back();
  EXPECT_EQ(errorOf([&] { resumed.restore(saved); }),
            "the saved loader order has 39 samples, this loader's epochs "
            "have 40");
}

TEST(DataLoader, WorkerErrorsReachTheCaller) {
  Rgb ds(30);
  ds.failAt = 17;
  for (int workers : {0, 2}) {
    DataLoaderOptions o;
    o.batchSize = 4;
    o.shuffle = false;
    o.numWorkers = workers;
    DataLoader loader(ds, o);
    loader.startEpoch();
    for (int b = 0; b < 4; ++b)
      EXPECT_EQ(loader.next(), 4);
    EXPECT_EQ(errorOf([&] { loader.next(); }), "sample 17 is unreadable");
    // A new epoch stops the old workers cleanly.
    loader.startEpoch();
    EXPECT_EQ(loader.next(), 4);
  }
}

TEST(DataLoader, StoppingEarlyAndRestartingIsSafe) {
  Rgb ds(100);
  DataLoaderOptions o;
  o.batchSize = 3;
  o.numWorkers = 4;
  DataLoader loader(ds, o);
  for (int epoch = 0; epoch < 20; ++epoch) {
    loader.startEpoch();
    for (int b = 0; b < epoch % 5; ++b)
      ASSERT_EQ(loader.next(), 3);
  }
}

} // namespace
