//===- StreamLoader.cpp - batches from an IterableDataset -----------------===//
//
// A pass is read strictly in order, so the background path is the batch
// pipeline with one worker: it calls the dataset from its thread, never at
// the same time as the caller, which touches the dataset only in
// startEpoch() after the worker has been stopped.
//
//===----------------------------------------------------------------------===//
#include "nncc/StreamLoader.h"
#include "data/BatchPipeline.h"
#include "nncc/Error.h"

namespace nncc {

StreamLoader::StreamLoader(IterableDataset &dataset,
                           StreamLoaderOptions options)
    : dataset_(dataset), options_(std::move(options)),
      shape_(dataset.sampleShape()), sampleNumel_(dataset.sampleNumel()) {
  if (options_.batchSize <= 0)
    throw Error("batch size must be positive, got " +
                std::to_string(options_.batchSize));
  if (options_.augment.cropPadding < 0)
    throw Error("crop padding must not be negative");
  for (int64_t d : shape_)
    if (d <= 0)
      throw Error("a streaming dataset's sample shape must be positive");
  lut_ = normalisationTable(shape_[0], options_.mean, options_.std,
                            options_.channelMean, options_.channelStd);
  scratch_.resize(size_t(sampleNumel_));
  images_ = AlignedArray<float>(size_t(options_.batchSize * sampleNumel_));
  labels_ = AlignedArray<int64_t>(size_t(options_.batchSize));
  currentImages_ = images_.data();
  currentLabels_ = labels_.data();
}

StreamLoader::~StreamLoader() = default;

void StreamLoader::stopProducer() {
  pipeline_.reset();
  currentImages_ = images_.data();
  currentLabels_ = labels_.data();
}

void StreamLoader::startEpoch() {
  stopProducer();
  ++epoch_;
  dataset_.reset(epoch_);
  produced_ = 0;
  ended_ = false;
  if (options_.prefetch)
    pipeline_ = std::make_unique<BatchPipeline>(
        1, options_.prefetchBatches, size_t(options_.batchSize * sampleNumel_),
        size_t(options_.batchSize), /*totalBatches=*/-1,
        [this](int64_t, float *images, int64_t *labels) {
          return assemble(produced_, images, labels);
        });
}

int64_t StreamLoader::assemble(int64_t firstPosition, float *images,
                               int64_t *labels) {
  if (ended_)
    return 0;
  int64_t rows = 0;
  int64_t epoch = std::max<int64_t>(epoch_, 0);
  while (rows < options_.batchSize &&
         dataset_.next(scratch_.data(), &labels[rows])) {
    AugmentChoice choice;
    if (options_.augment.enabled())
      choice = chooseAugment(options_.augment, options_.seed, epoch,
                             firstPosition + rows);
    convertSample(scratch_.data(), shape_, lut_.data(), options_.augment,
                  choice, images + rows * sampleNumel_);
    ++rows;
  }
  produced_ += rows;
  if (rows < options_.batchSize)
    ended_ = true;
  if (rows < options_.batchSize && options_.dropLast)
    return 0;
  return rows;
}

int64_t StreamLoader::next() {
  if (epoch_ < 0)
    throw Error("StreamLoader::next() before the first startEpoch()");
  if (pipeline_)
    return pipeline_->next(&currentImages_, &currentLabels_);
  return assemble(produced_, images_.data(), labels_.data());
}

} // namespace nncc
