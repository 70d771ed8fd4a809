//===- TrainData.cpp - the trainer's datasets and loaders -----------------===//
//
// Augmentation and the sampler apply to the training loader only: the test
// set is always visited in order, whole, as torchvision scripts do.
//
//===----------------------------------------------------------------------===//
#include "train/TrainData.h"
#include "nncc/Confusion.h"
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "train/TrainChecks.h"

#include <map>

namespace nncc {

namespace {

/// One weight per sample, inversely proportional to its class's frequency,
/// so a weighted epoch sees every class about equally often.
std::vector<double> classBalancingWeights(const Dataset &ds) {
  std::map<int64_t, int64_t> counts;
  for (int64_t i = 0; i < ds.size(); ++i)
    ++counts[ds.label(i)];
  std::vector<double> weights(size_t(ds.size()));
  for (int64_t i = 0; i < ds.size(); ++i)
    weights[size_t(i)] = 1.0 / double(counts[ds.label(i)]);
  return weights;
}

} // namespace

TrainData openTrainData(const nncc_model &m, const TrainOptions &o,
                        TorchGenerator &generator) {
  TrainData d;
  if (o.dataDir.empty())
    return d;
  std::string source = o.dataKind + "=" + o.dataDir;
  d.testSet = openDataset(o.dataKind, o.dataDir, false);
  checkDataset(m, *d.testSet, "test", source);
  if (o.steps != 0) {
    d.trainSet = openDataset(o.dataKind, o.dataDir, true);
    checkDataset(m, *d.trainSet, "training", source);
  }
  d.classNames = d.testSet->classNames();
  if (d.classNames.empty())
    d.classNames = knownClassNames(o.dataKind);

  std::vector<float> mean = o.mean, std = o.std;
  if (mean.empty())
    defaultNormalization(o.dataKind, mean, std);
  int64_t channels = d.testSet->sampleShape()[0];
  if (mean.size() != 1 && int64_t(mean.size()) != channels)
    throw Error("--mean/--std give " + std::to_string(mean.size()) +
                " values, but the " + o.dataKind + " images have " +
                std::to_string(channels) + " channels");
  DataLoaderOptions common;
  if (mean.size() == 1) {
    common.mean = mean[0];
    common.std = std[0];
  } else {
    common.channelMean = mean;
    common.channelStd = std;
  }
  common.generator = &generator;
  common.seed = o.seed;
  common.numWorkers = o.workers;

  if (d.trainSet) {
    DataLoaderOptions t = common;
    t.batchSize = o.batch;
    t.shuffle = o.shuffle;
    t.dropLast = o.dropLast;
    t.sampler = o.sampler;
    t.augment = o.augment;
    if (o.sampler == SamplerKind::WeightedRandom) {
      t.weights = classBalancingWeights(*d.trainSet);
      t.numSamples = d.trainSet->size();
    }
    d.trainLoader = std::make_unique<DataLoader>(*d.trainSet, t);
    if (d.trainLoader->batchesPerEpoch() == 0)
      throw Error("the training set has " + std::to_string(d.trainSet->size()) +
                  " samples: no batch of " + std::to_string(o.batch) +
                  (o.dropLast ? " with --drop-last" : ""));
  }
  DataLoaderOptions e = common;
  e.batchSize = o.evaluationBatch();
  e.shuffle = false;
  d.testLoader = std::make_unique<DataLoader>(*d.testSet, e);
  return d;
}

} // namespace nncc
