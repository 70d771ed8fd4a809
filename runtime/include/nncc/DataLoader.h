//===- nncc/DataLoader.h - shuffled, normalised mini-batches ----*- C++ -*-===//
//
// Turns a Dataset into float batches [B, C, H, W] = (x/255 - mean)/std plus
// int64 labels, in the layout generated train/eval steps take. The order of
// an epoch depends only on (seed, epoch), so a run can be reproduced or
// resumed at any epoch without replaying the ones before it.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATALOADER_H
#define NNCC_DATALOADER_H

#include "nncc/Aligned.h"
#include "nncc/Dataset.h"

#include <cstdint>
#include <vector>

namespace nncc {

struct DataLoaderOptions {
  int64_t batchSize = 64;
  bool shuffle = true;
  bool dropLast = false; // drop a last batch smaller than batchSize
  uint64_t seed = 0;
  float mean = 0.0f;
  float std = 1.0f;
};

/// The sample order of one epoch: 0..n-1, or a Fisher-Yates shuffle driven
/// by std::mt19937_64 seeded with splitmix64(splitmix64(seed) ^ epoch),
/// drawing bounded integers by rejection sampling (not
/// std::uniform_int_distribution, whose output differs between standard
/// libraries). Identical on every platform.
std::vector<int64_t> epochOrder(int64_t n, bool shuffle, uint64_t seed,
                                int64_t epoch);

class DataLoader {
public:
  DataLoader(const Dataset &dataset, DataLoaderOptions options);

  /// Rewinds to the first batch of `epoch` (0-based) in that epoch's order.
  void startEpoch(int64_t epoch);
  /// Fills images() and labels() with the next batch and returns its size,
  /// or returns 0 when the epoch is over.
  int64_t next();

  int64_t batchesPerEpoch() const;
  /// Samples one epoch visits (fewer than size() with dropLast).
  int64_t samplesPerEpoch() const;
  const std::vector<int64_t> &order() const { return order_; }
  /// [batchSize, C, H, W] floats; only the first next() samples are valid.
  const float *images() const { return images_.data(); }
  const int64_t *labels() const { return labels_.data(); }

private:
  const Dataset &dataset_;
  DataLoaderOptions options_;
  int64_t sampleNumel_;
  float lut_[256]; // uint8 value -> normalised float
  std::vector<int64_t> order_;
  int64_t cursor_ = 0;
  AlignedArray<float> images_;
  AlignedArray<int64_t> labels_;
};

} // namespace nncc

#endif // NNCC_DATALOADER_H
