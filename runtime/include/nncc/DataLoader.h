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
// With numWorkers > 0, background threads assemble the next batches while
// the caller trains on the current one. Every batch is a pure function of
// the epoch's order, its position and the seed, so the batches are the same
// for any worker count (and with none). Augmentation: Augment.h. Samplers:
// Sampler.h. A streaming dataset goes through StreamLoader (StreamLoader.h).
//
// For the trainer's flags: --workers N -> numWorkers; --augment crop=P,flip
// -> augment; --sampler sequential|random|weighted -> sampler (weights per
// sample, e.g. inverse class frequency); per-channel --mean/--std ->
// channelMean/channelStd; resuming -> position()/restore().
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATALOADER_H
#define NNCC_DATALOADER_H

#include "nncc/Aligned.h"
#include "nncc/Augment.h"
#include "nncc/Dataset.h"
#include "nncc/Sampler.h"
#include "nncc/TorchRandom.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace nncc {

class BatchPipeline; // worker threads, runtime/src/data/BatchPipeline.h

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
  /// One value per channel (CIFAR: 3), replacing mean/std when non-empty.
  std::vector<float> channelMean = {};
  std::vector<float> channelStd = {};
  SamplerKind sampler = SamplerKind::Default;
  /// WeightedRandom only: one weight per sample, and the samples an epoch
  /// draws (0: the dataset's size).
  std::vector<double> weights = {};
  int64_t numSamples = 0;
  /// Background threads assembling batches; 0 assembles in next().
  int numWorkers = 0;
  /// Batches each worker may have ready ahead of the caller (PyTorch's
  /// prefetch_factor).
  int prefetchPerWorker = 2;
  /// Seeded by `seed`, the epoch and the sample's position in the epoch.
  AugmentOptions augment = {};
};

/// Where a loader is in its epochs; a training state file stores it.
struct LoaderPosition {
  int64_t epoch = -1; // epochs started - 1 (-1: none yet)
  int64_t cursor = 0; // samples of this epoch already returned by next()
  std::vector<int64_t> order; // the epoch's sample indices
};

class DataLoader {
public:
  DataLoader(const Dataset &dataset, DataLoaderOptions options);
  ~DataLoader();

  /// Starts an epoch: draws the epoch's order from the sampler (Random:
  /// as PyTorch's RandomSampler does, a seed from the generator, then
  /// randperm; every epoch first draws the iterator's base seed, as torch's
  /// DataLoader does). Until the first call the order is sequential.
  void startEpoch();
  /// Fills images() and labels() with the next batch and returns its size,
  /// or returns 0 when the epoch is over. Rethrows a worker's error.
  int64_t next();

  int64_t batchesPerEpoch() const;
  /// Samples one epoch visits (fewer than the sampler's with dropLast).
  int64_t samplesPerEpoch() const;
  const std::vector<int64_t> &order() const { return order_; }
  /// [batchSize, C, H, W] floats; only the first next() samples are valid,
  /// until the following next() or startEpoch().
  const float *images() const { return currentImages_; }
  const int64_t *labels() const { return currentLabels_; }

  /// The epoch in progress and how far it is; restore() continues from a
  /// saved position (a resumed run's next() returns what the uninterrupted
  /// one's would have, given the same generator state). Throws for an order
  /// that does not fit this dataset and sampler.
  LoaderPosition position() const;
  void restore(const LoaderPosition &position);

private:
  /// Batch rows [0, count) from epoch positions [first, first + count):
  /// reads only immutable state, so workers call it concurrently.
  void assemble(int64_t first, int64_t count, float *images,
                int64_t *labels) const;
  int64_t epochLength() const;
  void stopWorkers();

  const Dataset &dataset_;
  DataLoaderOptions options_;
  std::array<int64_t, 3> shape_;
  int64_t sampleNumel_;
  std::vector<float> lut_; // [C][256]: uint8 value -> normalised float
  std::unique_ptr<TorchGenerator> ownGenerator_;
  std::vector<int64_t> order_;
  int64_t epoch_ = -1;
  int64_t cursor_ = 0;
  AlignedArray<float> images_;
  AlignedArray<int64_t> labels_;
  const float *currentImages_;
  const int64_t *currentLabels_;
  std::unique_ptr<BatchPipeline> pipeline_;
};

/// The [C][256] table of (v/255 - mean_c)/std_c with torchvision's float32
/// arithmetic; throws for a size mismatch, non-finite or non-positive std.
std::vector<float> normalisationTable(int64_t channels, float mean, float std,
                                      const std::vector<float> &channelMean,
                                      const std::vector<float> &channelStd);

} // namespace nncc

#endif // NNCC_DATALOADER_H
