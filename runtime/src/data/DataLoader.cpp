//===- DataLoader.cpp - epoch orders and batch assembly -------------------===//
//
// Normalisation goes through a 256-entry table per channel: each of the 256
// possible pixel values is converted once, with the same float arithmetic
// as torchvision's ToTensor + Normalize ((x/255 - mean)/std in float32).
//
// The order of an epoch is drawn on the caller's thread (it consumes the
// shared torch generator, whose sequence must not depend on timing); the
// workers only read it.
//
//===----------------------------------------------------------------------===//
#include "nncc/DataLoader.h"
#include "data/BatchPipeline.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>

namespace nncc {

std::vector<float> normalisationTable(int64_t channels, float mean, float std,
                                      const std::vector<float> &channelMean,
                                      const std::vector<float> &channelStd) {
  if (channelMean.size() != channelStd.size())
    throw Error("per-channel normalisation needs as many means (" +
                std::to_string(channelMean.size()) + ") as stds (" +
                std::to_string(channelStd.size()) + ")");
  if (!channelMean.empty() && int64_t(channelMean.size()) != channels)
    throw Error("per-channel normalisation has " +
                std::to_string(channelMean.size()) +
                " values but the images have " + std::to_string(channels) +
                " channels");
  std::vector<float> lut(size_t(256 * channels));
  for (int64_t c = 0; c < channels; ++c) {
    float m = channelMean.empty() ? mean : channelMean[size_t(c)];
    float s = channelStd.empty() ? std : channelStd[size_t(c)];
    if (!(s > 0.0f) || !std::isfinite(s) || !std::isfinite(m))
      throw Error("normalisation needs a finite mean and a positive std");
    for (int v = 0; v < 256; ++v)
      lut[size_t(256 * c + v)] = (static_cast<float>(v) / 255.0f - m) / s;
  }
  return lut;
}

DataLoader::DataLoader(const Dataset &dataset, DataLoaderOptions options)
    : dataset_(dataset), options_(std::move(options)),
      shape_(dataset.sampleShape()), sampleNumel_(dataset.sampleNumel()) {
  if (options_.batchSize <= 0)
    throw Error("batch size must be positive, got " +
                std::to_string(options_.batchSize));
  if (options_.numWorkers < 0 || options_.numWorkers > 256)
    throw Error("the number of loader workers must be in [0, 256], got " +
                std::to_string(options_.numWorkers));
  if (options_.augment.cropPadding < 0)
    throw Error("crop padding must not be negative");
  lut_ = normalisationTable(shape_[0], options_.mean, options_.std,
                            options_.channelMean, options_.channelStd);
  if (options_.sampler == SamplerKind::Default)
    options_.sampler =
        options_.shuffle ? SamplerKind::Random : SamplerKind::Sequential;
  if (options_.sampler == SamplerKind::WeightedRandom) {
    checkSamplerWeights(options_.weights, dataset_.size());
    if (options_.numSamples < 0)
      throw Error("the weighted sampler's sample count must not be negative");
    if (options_.numSamples == 0)
      options_.numSamples = dataset_.size();
  }
  images_ = AlignedArray<float>(size_t(options_.batchSize * sampleNumel_));
  labels_ = AlignedArray<int64_t>(size_t(options_.batchSize));
  currentImages_ = images_.data();
  currentLabels_ = labels_.data();
  if (!options_.generator) {
    ownGenerator_ = std::make_unique<TorchGenerator>(options_.seed);
    options_.generator = ownGenerator_.get();
  }
  order_.resize(size_t(dataset_.size()));
  for (int64_t i = 0; i < dataset_.size(); ++i)
    order_[size_t(i)] = i;
  if (options_.sampler == SamplerKind::WeightedRandom)
    order_.resize(size_t(std::min(dataset_.size(), options_.numSamples)));
}

DataLoader::~DataLoader() = default;

void DataLoader::stopWorkers() {
  pipeline_.reset();
  // The slots went with the pipeline; never leave images() dangling.
  currentImages_ = images_.data();
  currentLabels_ = labels_.data();
}

void DataLoader::startEpoch() {
  stopWorkers();
  // torch's DataLoader iterator draws its base seed first; RandomSampler
  // draws its own when the first batch is requested.
  options_.generator->int64Seed();
  if (options_.sampler == SamplerKind::Random)
    order_ = torchRandperm(dataset_.size(), options_.generator->int64Seed());
  else if (options_.sampler == SamplerKind::WeightedRandom)
    order_ = weightedRandomOrder(options_.weights, options_.numSamples,
                                 options_.generator->int64Seed());
  ++epoch_;
  cursor_ = 0;
}

int64_t DataLoader::epochLength() const { return int64_t(order_.size()); }

int64_t DataLoader::samplesPerEpoch() const {
  int64_t n = options_.sampler == SamplerKind::WeightedRandom
                  ? options_.numSamples
                  : dataset_.size();
  return options_.dropLast ? n / options_.batchSize * options_.batchSize : n;
}

int64_t DataLoader::batchesPerEpoch() const {
  return (samplesPerEpoch() + options_.batchSize - 1) / options_.batchSize;
}

void DataLoader::assemble(int64_t first, int64_t count, float *images,
                          int64_t *labels) const {
  // Before the first startEpoch, augmentation draws as in epoch 0.
  int64_t epoch = std::max<int64_t>(epoch_, 0);
  for (int64_t b = 0; b < count; ++b) {
    int64_t position = first + b;
    Sample s = dataset_.get(order_[size_t(position)]);
    AugmentChoice choice;
    if (options_.augment.enabled())
      choice = chooseAugment(options_.augment, options_.seed, epoch, position);
    convertSample(s.image, shape_, lut_.data(), options_.augment, choice,
                  images + b * sampleNumel_);
    labels[b] = s.label;
  }
}

int64_t DataLoader::next() {
  int64_t end = std::min(samplesPerEpoch(), epochLength());
  const int64_t batchSize = options_.batchSize;
  if (options_.numWorkers == 0) {
    int64_t batch = std::min(batchSize, end - cursor_);
    if (batch <= 0)
      return 0;
    assemble(cursor_, batch, images_.data(), labels_.data());
    cursor_ += batch;
    return batch;
  }
  if (!pipeline_) {
    if (cursor_ >= end)
      return 0;
    int64_t first = cursor_;
    int64_t total = (end - first + batchSize - 1) / batchSize;
    pipeline_ = std::make_unique<BatchPipeline>(
        options_.numWorkers, options_.prefetchPerWorker,
        size_t(batchSize * sampleNumel_), size_t(batchSize), total,
        [this, first, end, batchSize](int64_t j, float *images,
                                      int64_t *labels) {
          int64_t from = first + j * batchSize;
          int64_t rows = std::min(batchSize, end - from);
          assemble(from, rows, images, labels);
          return rows;
        });
  }
  int64_t rows = pipeline_->next(&currentImages_, &currentLabels_);
  cursor_ += rows;
  return rows;
}

LoaderPosition DataLoader::position() const {
  return {epoch_, cursor_, order_};
}

void DataLoader::restore(const LoaderPosition &p) {
  int64_t length = options_.sampler == SamplerKind::WeightedRandom
                       ? options_.numSamples
                       : dataset_.size();
  if (int64_t(p.order.size()) != length)
    throw Error("the saved loader order has " + std::to_string(p.order.size()) +
                " samples, this loader's epochs have " +
                std::to_string(length));
  for (int64_t i : p.order)
    if (i < 0 || i >= dataset_.size())
      throw Error("the saved loader order has sample " + std::to_string(i) +
                  ", outside a dataset of " + std::to_string(dataset_.size()));
  if (p.cursor < 0 || p.cursor > length || p.epoch < -1)
    throw Error("the saved loader position (epoch " + std::to_string(p.epoch) +
                ", sample " + std::to_string(p.cursor) + ") is invalid");
  stopWorkers();
  order_ = p.order;
  epoch_ = p.epoch;
  cursor_ = p.cursor;
}

} // namespace nncc
