//===- Sampler.cpp - weighted sampling with replacement -------------------===//
//
// Inverse-CDF sampling over the prefix sums of the weights, in double: one
// binary search per draw, O(n) setup per epoch. A private MT19937-64 seeded
// from the loader's generator keeps the draws reproducible without
// consuming more of the torch stream than RandomSampler would.
//
//===----------------------------------------------------------------------===//
#include "nncc/Sampler.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace nncc {

SamplerKind parseSamplerKind(const std::string &name) {
  if (name == "sequential")
    return SamplerKind::Sequential;
  if (name == "random")
    return SamplerKind::Random;
  if (name == "weighted")
    return SamplerKind::WeightedRandom;
  throw Error("unknown sampler '" + name +
              "' (known: sequential, random, weighted)");
}

void checkSamplerWeights(const std::vector<double> &weights,
                         int64_t datasetSize) {
  if (int64_t(weights.size()) != datasetSize)
    throw Error("the weighted sampler has " + std::to_string(weights.size()) +
                " weights for a dataset of " + std::to_string(datasetSize) +
                " samples");
  double sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      throw Error("sampler weight " + std::to_string(i) + " is " +
                  std::to_string(weights[i]) +
                  "; weights must be finite and non-negative");
    sum += weights[i];
  }
  if (!(sum > 0) || !std::isfinite(sum))
    throw Error("the sampler weights must have a positive, finite sum");
}

std::vector<int64_t> weightedRandomOrder(const std::vector<double> &weights,
                                         int64_t count, uint64_t seed) {
  if (weights.empty())
    return {};
  std::vector<double> cumulative(weights.size());
  double sum = 0;
  for (size_t i = 0; i < weights.size(); ++i)
    cumulative[i] = sum += weights[i];
  // Rounding can put a draw at the very end; it belongs to the last sample
  // that can be drawn at all, never to a trailing zero-weight one.
  size_t last = weights.size() - 1;
  while (last > 0 && weights[last] == 0)
    --last;
  std::mt19937_64 engine(seed);
  std::vector<int64_t> order(size_t(std::max<int64_t>(count, 0)));
  for (int64_t &index : order) {
    // 53 random bits -> [0, sum); upper_bound skips zero-weight samples.
    double u = double(engine() >> 11) * 0x1.0p-53 * sum;
    size_t i =
        size_t(std::upper_bound(cumulative.begin(), cumulative.end(), u) -
               cumulative.begin());
    index = int64_t(std::min(i, last));
  }
  return order;
}

} // namespace nncc
