//===- StreamLoaderTest.cpp - batching an IterableDataset -----------------===//
#include "nncc/StreamLoader.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

/// Counts 0..n-1 in one-pixel samples, starting at 100 * epoch.
class Counter : public IterableDataset {
public:
  explicit Counter(int n) : n_(n) {}
  std::array<int64_t, 3> sampleShape() const override { return {1, 1, 1}; }
  void reset(int64_t epoch) override {
    at_ = 0;
    base_ = int(100 * epoch);
    ++resets;
  }
  bool next(uint8_t *image, int64_t *label) override {
    if (at_ == n_)
      return false;
    *image = uint8_t(base_ + at_);
    *label = at_++;
    return true;
  }
  int resets = 0;

private:
  int n_, at_ = 0, base_ = 0;
};

std::vector<std::vector<int64_t>> epochLabels(StreamLoader &loader,
                                              std::vector<float> *pixels) {
  std::vector<std::vector<int64_t>> batches;
  loader.startEpoch();
  while (int64_t n = loader.next()) {
    batches.emplace_back(loader.labels(), loader.labels() + n);
    if (pixels)
      pixels->insert(pixels->end(), loader.images(), loader.images() + n);
  }
  return batches;
}

TEST(StreamLoader, BatchesAPassAndKeepsThePartialBatch) {
  for (bool prefetch : {false, true}) {
    Counter ds(7);
    StreamLoaderOptions o;
    o.batchSize = 3;
    o.prefetch = prefetch;
    o.std = 1.0f / 255.0f; // pixels come out as their byte values
    StreamLoader loader(ds, o);
    std::vector<float> pixels;
    EXPECT_EQ(epochLabels(loader, &pixels),
              (std::vector<std::vector<int64_t>>{{0, 1, 2}, {3, 4, 5}, {6}}));
    EXPECT_FLOAT_EQ(pixels[6], 6.0f);
    pixels.clear();
    epochLabels(loader, &pixels);
    EXPECT_FLOAT_EQ(pixels[0], 100.0f) << "epoch 1 resets with its number";
    EXPECT_EQ(ds.resets, 2);
    EXPECT_EQ(loader.next(), 0);
  }
}

TEST(StreamLoader, DropLastAndErrors) {
  Counter ds(7);
  StreamLoaderOptions o;
  o.batchSize = 3;
  o.dropLast = true;
  StreamLoader loader(ds, o);
  EXPECT_EQ(epochLabels(loader, nullptr).size(), 2u);
  StreamLoader fresh(ds, o);
  EXPECT_EQ(errorOf([&] { fresh.next(); }),
            "StreamLoader::next() before the first startEpoch()");
}

} // namespace
