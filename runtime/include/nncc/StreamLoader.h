//===- nncc/StreamLoader.h - batches from a streaming dataset ---*- C++ -*-===//
//
// The loader for an IterableDataset (Dataset.h): data read front to back,
// so there is no sampler and at most one background thread, which reads and
// assembles the next batches while the caller trains. Normalisation and
// augmentation are DataLoader's (the augmentation position is the sample's
// position in the pass).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_STREAMLOADER_H
#define NNCC_STREAMLOADER_H

#include "nncc/DataLoader.h"

namespace nncc {

struct StreamLoaderOptions {
  int64_t batchSize = 64;
  bool dropLast = false;
  uint64_t seed = 0; // for augmentation
  float mean = 0.0f;
  float std = 1.0f;
  std::vector<float> channelMean = {};
  std::vector<float> channelStd = {};
  /// Read and assemble batches on a background thread (one: a stream is
  /// read in order).
  bool prefetch = false;
  int prefetchBatches = 2;
  AugmentOptions augment = {};
};

/// Batches an IterableDataset: one pass per epoch, no shuffling (a stream
/// that wants one shuffles in reset(epoch)), last partial batch kept unless
/// dropLast.
class StreamLoader {
public:
  StreamLoader(IterableDataset &dataset, StreamLoaderOptions options);
  ~StreamLoader();

  /// Rewinds the dataset with reset(epoch) for epochs 0, 1, ….
  void startEpoch();
  /// As DataLoader::next().
  int64_t next();
  const float *images() const { return currentImages_; }
  const int64_t *labels() const { return currentLabels_; }

private:
  int64_t assemble(int64_t firstPosition, float *images, int64_t *labels);
  void stopProducer();

  IterableDataset &dataset_;
  StreamLoaderOptions options_;
  std::array<int64_t, 3> shape_;
  int64_t sampleNumel_;
  std::vector<float> lut_;
  std::vector<uint8_t> scratch_; // one sample as read
  int64_t epoch_ = -1;
  int64_t produced_ = 0;
  bool ended_ = true;
  AlignedArray<float> images_;
  AlignedArray<int64_t> labels_;
  const float *currentImages_;
  const int64_t *currentLabels_;
  std::unique_ptr<BatchPipeline> pipeline_;
};

} // namespace nncc

#endif // NNCC_STREAMLOADER_H
