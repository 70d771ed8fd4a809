//===- nncc/DataLoader.h - shuffled, normalised mini-batches ----*- C++ -*-===//
//
// Turns a Dataset into float batches [B, C, H, W] = (x/255 - mean)/std plus
// int64 labels, in the layout generated train/eval steps take. Shuffling is
// PyTorch's: with the generator that initialised the model, epoch k visits
// the samples in the order `DataLoader(shuffle=True)` does after
// torch.manual_seed(seed) and building the model, as long as nothing else
// draws from the generator between epochs in one program and not the other
// (dropout does: see TorchRandom.h).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATALOADER_H
#define NNCC_DATALOADER_H

#include "nncc/Aligned.h"
#include "nncc/Dataset.h"

#include "nncc/TorchRandom.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace nncc {

struct DataLoaderOptions {
  int64_t batchSize = 64;
  bool shuffle = true;
  bool dropLast = false; // drop a last batch smaller than batchSize
  uint64_t seed = 0;
  /// The stream shuffles draw from, shared with whatever else draws (the
  /// model's initialisation, per-step dropout seeds, the test loader's
  /// epochs, as in PyTorch); null: a private one from `seed`.
  TorchGenerator *generator = nullptr;
  float mean = 0.0f;
  float std = 1.0f;
};

class DataLoader {
public:
  DataLoader(const Dataset &dataset, DataLoaderOptions options);

  /// Starts an epoch: with shuffling, draws the epoch's order as PyTorch's
  /// RandomSampler does (a seed from the generator, then randperm); else
  /// sequential. Until the first call the order is sequential.
  void startEpoch();
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
  std::unique_ptr<TorchGenerator> ownGenerator_;
  std::vector<int64_t> order_;
  int64_t cursor_ = 0;
  AlignedArray<float> images_;
  AlignedArray<int64_t> labels_;
};

} // namespace nncc

#endif // NNCC_DATALOADER_H
