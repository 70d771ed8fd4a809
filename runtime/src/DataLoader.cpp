//===- DataLoader.cpp - epoch orders and batch assembly -------------------===//
//
// Normalisation goes through a 256-entry table: each of the 256 possible
// pixel values is converted once, with the same float arithmetic as
// torchvision's ToTensor + Normalize ((x/255 - mean)/std in float32).
//
//===----------------------------------------------------------------------===//
#include "nncc/DataLoader.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace nncc {

static uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// Uniform integer in [0, bound) without modulo bias.
static uint64_t boundedRandom(std::mt19937_64 &rng, uint64_t bound) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t r;
  do
    r = rng();
  while (r >= limit);
  return r % bound;
}

std::vector<int64_t> epochOrder(int64_t n, bool shuffle, uint64_t seed,
                                int64_t epoch) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  if (!shuffle)
    return order;
  std::mt19937_64 rng(
      splitmix64(splitmix64(seed) ^ static_cast<uint64_t>(epoch)));
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(boundedRandom(rng, uint64_t(i) + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

DataLoader::DataLoader(const Dataset &dataset, DataLoaderOptions options)
    : dataset_(dataset), options_(options),
      sampleNumel_(dataset.sampleNumel()) {
  if (options_.batchSize <= 0)
    throw Error("batch size must be positive, got " +
                std::to_string(options_.batchSize));
  if (!(options_.std > 0.0f) || !std::isfinite(options_.std) ||
      !std::isfinite(options_.mean))
    throw Error("normalisation needs a finite mean and a positive std");
  for (int v = 0; v < 256; ++v)
    lut_[v] = (static_cast<float>(v) / 255.0f - options_.mean) / options_.std;
  images_ = AlignedArray<float>(
      static_cast<size_t>(options_.batchSize * sampleNumel_));
  labels_ = AlignedArray<int64_t>(static_cast<size_t>(options_.batchSize));
  startEpoch(0);
}

void DataLoader::startEpoch(int64_t epoch) {
  order_ = epochOrder(dataset_.size(), options_.shuffle, options_.seed, epoch);
  cursor_ = 0;
}

int64_t DataLoader::samplesPerEpoch() const {
  int64_t n = dataset_.size();
  return options_.dropLast ? n / options_.batchSize * options_.batchSize : n;
}

int64_t DataLoader::batchesPerEpoch() const {
  return (samplesPerEpoch() + options_.batchSize - 1) / options_.batchSize;
}

int64_t DataLoader::next() {
  int64_t end = samplesPerEpoch();
  int64_t batch = std::min(options_.batchSize, end - cursor_);
  if (batch <= 0)
    return 0;
  for (int64_t b = 0; b < batch; ++b) {
    int64_t index = order_[cursor_ + b];
    const uint8_t *src = dataset_.image(index);
    float *dst = images_.data() + b * sampleNumel_;
    for (int64_t k = 0; k < sampleNumel_; ++k)
      dst[k] = lut_[src[k]];
    labels_[b] = dataset_.label(index);
  }
  cursor_ += batch;
  return batch;
}

} // namespace nncc
