//===- SamplerTest.cpp - weighted sampling and sampler selection ----------===//
#include "TestUtil.h"
#include "nncc/DataLoader.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

TEST(Sampler, WeightedFollowsTheWeights) {
  std::vector<double> w = {1, 0, 3, 0};
  std::vector<int64_t> order = weightedRandomOrder(w, 40000, 7);
  ASSERT_EQ(order.size(), 40000u);
  int64_t counts[4] = {};
  for (int64_t i : order)
    ++counts[i];
  EXPECT_EQ(counts[1], 0);
  EXPECT_EQ(counts[3], 0);
  // Expected 10000 and 30000; 5 sigma of a binomial is about 430.
  EXPECT_NEAR(counts[0], 10000, 450);
  EXPECT_NEAR(counts[2], 30000, 450);
  EXPECT_EQ(weightedRandomOrder(w, 100, 7), weightedRandomOrder(w, 100, 7));
  EXPECT_NE(weightedRandomOrder(w, 100, 7), weightedRandomOrder(w, 100, 8));
}

TEST(Sampler, ChecksWeightsAndNames) {
  EXPECT_EQ(errorOf([] {
              checkSamplerWeights({1, 2}, 3);
            }),
            "the weighted sampler has 2 weights for a dataset of 3 samples");
  EXPECT_NE(errorOf([] {
              checkSamplerWeights({1, -1}, 2);
            }).find("sampler weight 1 is -1"),
            std::string::npos);
  EXPECT_NE(errorOf([] { checkSamplerWeights({0, 0}, 2); }), "");
  EXPECT_EQ(parseSamplerKind("weighted"), SamplerKind::WeightedRandom);
  EXPECT_EQ(errorOf([] { parseSamplerKind("stratified"); }),
            "unknown sampler 'stratified' (known: sequential, random, "
            "weighted)");
}

/// Sample i is one pixel of value i, label i.
class Pixels : public Dataset {
public:
  explicit Pixels(int n) : v_(size_t(n)) {
    for (int i = 0; i < n; ++i)
      v_[size_t(i)] = uint8_t(i);
  }
  int64_t size() const override { return int64_t(v_.size()); }
  std::array<int64_t, 3> sampleShape() const override { return {1, 1, 1}; }
  const uint8_t *image(int64_t i) const override { return &v_[size_t(i)]; }
  int64_t label(int64_t i) const override { return i; }

private:
  std::vector<uint8_t> v_;
};

TEST(Sampler, LoaderDrawsNumSamplesByWeight) {
  Pixels ds(4);
  DataLoaderOptions o;
  o.batchSize = 8;
  o.sampler = SamplerKind::WeightedRandom;
  o.weights = {0, 1, 0, 1};
  o.numSamples = 20;
  DataLoader loader(ds, o);
  EXPECT_EQ(loader.samplesPerEpoch(), 20);
  EXPECT_EQ(loader.batchesPerEpoch(), 3);
  loader.startEpoch();
  int64_t seen = 0;
  while (int64_t n = loader.next())
    for (int64_t r = 0; r < n; ++r, ++seen)
      EXPECT_TRUE(loader.labels()[r] == 1 || loader.labels()[r] == 3);
  EXPECT_EQ(seen, 20);
  // An explicit sequential sampler wins over shuffle = true.
  o = DataLoaderOptions();
  o.batchSize = 4;
  o.sampler = SamplerKind::Sequential;
  DataLoader sequential(ds, o);
  sequential.startEpoch();
  ASSERT_EQ(sequential.next(), 4);
  EXPECT_EQ(std::vector<int64_t>(sequential.labels(), sequential.labels() + 4),
            (std::vector<int64_t>{0, 1, 2, 3}));
}

} // namespace
