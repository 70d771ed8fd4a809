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

namespace nncc {

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
  if (!options_.generator) {
    ownGenerator_ = std::make_unique<TorchGenerator>(options_.seed);
    options_.generator = ownGenerator_.get();
  }
  order_.resize(static_cast<size_t>(dataset_.size()));
  for (int64_t i = 0; i < dataset_.size(); ++i)
    order_[i] = i;
}

void DataLoader::startEpoch() {
  // torch's DataLoader iterator draws its base seed first; RandomSampler
  // draws its own when the first batch is requested.
  options_.generator->int64Seed();
  if (options_.shuffle)
    order_ = torchRandperm(dataset_.size(), options_.generator->int64Seed());
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
