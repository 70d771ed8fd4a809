//===- nncc/Trainer.h - the generic training loop ---------------*- C++ -*-===//
//
// What nncc_train_main runs, exposed for programs that want the loop without
// the command line: options in, per-epoch metrics out.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TRAINER_H
#define NNCC_TRAINER_H

#include "nncc/Sgd.h"
#include "nncc/abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

struct TrainOptions {
  std::string dataKind; // "fashion-mnist"
  std::string dataDir;  // empty: no data (only valid with steps == 0)
  int64_t epochs = 1;
  bool epochsGiven = false; // --steps alone may run past one epoch
  int64_t batch = 64;
  int64_t evalBatch = 1000;
  int64_t steps = -1; // total optimizer steps; -1: no limit
  SgdOptions sgd{0.05, 0.9, 0.0, 0.0, false};
  /// torch.manual_seed(seed): drives init, shuffles and, for models with
  /// dropout, train_step's per-step seeds (see TorchRandom.h).
  uint64_t seed = 0;
  bool shuffle = true;
  bool dropLast = false;
  float mean = 0.2860f, std = 0.3530f;
  std::string loadPath, savePath, metricsPath;
  /// Continue the run whose --save was this path (see TrainState.h).
  /// --epochs and --steps count from the start of that run, as in a PyTorch
  /// loop `for epoch in range(start_epoch, epochs)`.
  std::string resumePath;
  std::string csvPath;   // one row per epoch
  std::string plotPath;  // SVG; defaults to csvPath with .svg
  int64_t logEvery = 0;  // plain progress line every N steps; 0: none
  int64_t saveEvery = 0; // also save every N steps; 0: per epoch only
  bool help = false;
};

/// Parses nncc_train_main's flags (argv[0] is skipped). Throws nncc::Error
/// naming the flag for unknown flags, missing or malformed values.
TrainOptions parseTrainOptions(int argc, char **argv);
std::string trainUsage(const char *program);

struct EpochMetrics {
  int64_t epoch = 0, steps = 0, samples = 0;
  double trainLoss = 0, trainAccuracy = 0;
  double testLoss = 0, testAccuracy = 0;
  double imagesPerSecond = 0, seconds = 0, evalSeconds = 0;
  double lr = 0; // the learning rate at the epoch's last step
};

struct TrainResult {
  std::vector<EpochMetrics> epochs;
  int64_t totalSteps = 0;
  bool evaluated = false; // false when there was no data
  double testLoss = 0, testAccuracy = 0;
  /// The last evaluation's confusion matrix, row = true class, column =
  /// predicted class (num_classes^2 counts; empty without evaluation).
  std::vector<int64_t> confusion;
};

/// Runs the whole job: init or load, train, evaluate after each epoch, print
/// one line per epoch to stdout, write metrics and checkpoint if asked.
TrainResult train(const nncc_model &model, const TrainOptions &options);

} // namespace nncc

#endif // NNCC_TRAINER_H
