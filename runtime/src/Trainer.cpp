//===- Trainer.cpp - the generic training loop ----------------------------===//
//
// One loop for every generated model: the model's train_step computes loss,
// gradients and logits for a batch (and updates the buffers, as PyTorch's
// training mode does), Sgd updates the flat parameter array, and eval_step
// measures the whole test set after each epoch with the buffers' running
// statistics. One TorchGenerator seeded like torch.manual_seed drives init,
// shuffles and, for models with dropout, each step's seed. Generated code
// is trusted for arithmetic but not for finiteness: a NaN loss stops the job
// before anything is saved.
//
//===----------------------------------------------------------------------===//
#include "nncc/Trainer.h"
#include "TrainChecks.h"
#include "TrainReport.h"
#include "nncc/Checkpoint.h"
#include "nncc/DataLoader.h"
#include "nncc/Error.h"
#include "nncc/File.h"
#include "nncc/Init.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

namespace nncc {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Scratch {
  AlignedArray<uint8_t> workspace;
  AlignedArray<float> logits;
};

/// Mean loss and accuracy of eval_step over every sample, the partial last
/// batch included.
void evaluate(const nncc_model &m, const float *params, const float *buffers,
              DataLoader &loader, Scratch &scratch, double &loss,
              double &accuracy) {
  loader.startEpoch();
  double lossSum = 0;
  int64_t correct = 0, seen = 0;
  while (int64_t batch = loader.next()) {
    float batchLoss = 0;
    m.eval_step(params, buffers, loader.images(), loader.labels(), batch,
                scratch.workspace.data(), &batchLoss, scratch.logits.data());
    lossSum += double(batchLoss) * double(batch);
    correct += countCorrect(scratch.logits.data(), loader.labels(), batch,
                            m.num_classes);
    seen += batch;
  }
  loss = seen ? lossSum / double(seen) : 0.0;
  accuracy = seen ? double(correct) / double(seen) : 0.0;
}

} // namespace

TrainResult train(const nncc_model &m, const TrainOptions &o) {
  checkModel(m);
  // Fail before hours of training, not after, if results cannot be written.
  checkOutputPath(o.savePath, "--save");
  checkOutputPath(o.metricsPath, "--metrics-json");
  AlignedArray<float> params(size_t(m.param_count));
  AlignedArray<float> grads(size_t(m.param_count));
  AlignedArray<float> buffers(size_t(m.buffer_count));
  // The seed means torch.manual_seed(seed): initialisation draws first (even
  // when a checkpoint then replaces the weights, as `model = Net();
  // model.load_state_dict(...)` does in PyTorch), shuffles continue the stream.
  TorchGenerator generator(o.seed);
  initParameters(m, params.data(), buffers.data(), generator);
  if (!o.loadPath.empty())
    loadCheckpoint(o.loadPath, m, params.data(), buffers.data());
  Sgd sgd(m, o.sgd);

  std::unique_ptr<IdxDataset> trainSet, testSet;
  if (!o.dataDir.empty()) {
    testSet = std::make_unique<IdxDataset>(loadFashionMnist(o.dataDir, false));
    checkDataset(m, *testSet, "test");
    if (o.steps != 0) {
      trainSet =
          std::make_unique<IdxDataset>(loadFashionMnist(o.dataDir, true));
      checkDataset(m, *trainSet, "training");
    }
  }
  std::unique_ptr<DataLoader> trainLoader, testLoader;
  size_t workspaceBytes = 0;
  int64_t maxBatch = 0;
  if (trainSet) {
    trainLoader = std::make_unique<DataLoader>(
        *trainSet, DataLoaderOptions{o.batch, o.shuffle, o.dropLast, o.seed,
                                     &generator, o.mean, o.std});
    if (trainLoader->batchesPerEpoch() == 0)
      throw Error("the training set has " + std::to_string(trainSet->size()) +
                  " samples: no batch of " + std::to_string(o.batch) +
                  (o.dropLast ? " with --drop-last" : ""));
    workspaceBytes = m.workspace_size(o.batch);
    maxBatch = o.batch;
  }
  if (testSet) {
    testLoader = std::make_unique<DataLoader>(
        *testSet, DataLoaderOptions{o.evalBatch, false, false, 0, &generator,
                                    o.mean, o.std});
    workspaceBytes = std::max(workspaceBytes, m.workspace_size(o.evalBatch));
    maxBatch = std::max(maxBatch, o.evalBatch);
  }
  Scratch scratch{AlignedArray<uint8_t>(workspaceBytes),
                  AlignedArray<float>(size_t(maxBatch * m.num_classes))};

  int64_t epochs = trainLoader ? o.epochs : 0;
  if (trainLoader && o.steps > 0 && !o.epochsGiven)
    epochs = (o.steps + trainLoader->batchesPerEpoch() - 1) /
             trainLoader->batchesPerEpoch();

  TrainResult result;
  ProgressBar progress;
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    if (o.steps >= 0 && result.totalSteps >= o.steps)
      break;
    EpochMetrics em;
    em.epoch = epoch + 1;
    trainLoader->startEpoch();
    int64_t epochSteps = trainLoader->batchesPerEpoch();
    if (o.steps >= 0)
      epochSteps = std::min(epochSteps, o.steps - result.totalSteps);
    double lossSum = 0;
    int64_t correct = 0;
    Clock::time_point start = Clock::now();
    while (int64_t batch = trainLoader->next()) {
      float loss = 0;
      // Dropout masks need a fresh seed per step; drawing it only when the
      // model has dropout keeps the shuffles of every other model PyTorch's
      // (torch's own dropout draws differently, see TorchRandom.h).
      uint64_t stepSeed = m.has_dropout ? generator.random64() : 0;
      m.train_step(params.data(), grads.data(), buffers.data(),
                   trainLoader->images(), trainLoader->labels(), batch,
                   stepSeed, scratch.workspace.data(), &loss,
                   scratch.logits.data());
      if (!std::isfinite(loss)) {
        progress.clear();
        throw Error("training loss is " + std::to_string(loss) + " at step " +
                    std::to_string(result.totalSteps + 1) + " (epoch " +
                    std::to_string(em.epoch) + ", batch " +
                    std::to_string(em.steps + 1) +
                    "); stopping, nothing "
                    "was saved");
      }
      sgd.step(params.data(), grads.data());
      lossSum += double(loss) * double(batch);
      correct += countCorrect(scratch.logits.data(), trainLoader->labels(),
                              batch, m.num_classes);
      em.samples += batch;
      ++em.steps;
      ++result.totalSteps;
      double elapsed = secondsSince(start);
      progress.update(em.epoch, epochs, em.steps, epochSteps,
                      lossSum / double(em.samples),
                      elapsed > 0 ? double(em.samples) / elapsed : 0.0);
      if (o.steps >= 0 && result.totalSteps >= o.steps)
        break;
    }
    em.seconds = secondsSince(start);
    em.trainLoss = lossSum / double(em.samples);
    em.trainAccuracy = double(correct) / double(em.samples);
    em.imagesPerSecond = em.seconds > 0 ? double(em.samples) / em.seconds : 0;
    progress.clear();
    if (testLoader) {
      Clock::time_point evalStart = Clock::now();
      evaluate(m, params.data(), buffers.data(), *testLoader, scratch,
               em.testLoss, em.testAccuracy);
      em.evalSeconds = secondsSince(evalStart);
      result.evaluated = true;
      result.testLoss = em.testLoss;
      result.testAccuracy = em.testAccuracy;
    }
    std::printf("%s\n", formatEpochLine(em, epochs, bool(testLoader)).c_str());
    std::fflush(stdout);
    result.epochs.push_back(em);
  }
  if (result.epochs.empty() && testLoader) {
    evaluate(m, params.data(), buffers.data(), *testLoader, scratch,
             result.testLoss, result.testAccuracy);
    result.evaluated = true;
    std::printf("test loss %.4f acc %.2f%%\n", result.testLoss,
                100.0 * result.testAccuracy);
    std::fflush(stdout);
  }
  if (!o.savePath.empty())
    saveCheckpoint(o.savePath, m, params.data(), buffers.data());
  if (!o.metricsPath.empty())
    writeFileAtomically(o.metricsPath, formatMetricsJson(m, o, result));
  return result;
}

} // namespace nncc
