//===- nncc/Trainer.h - the generic training loop ---------------*- C++ -*-===//
//
// What nncc_train_main runs, exposed for programs that want the loop without
// the command line: options in, per-epoch metrics out.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TRAINER_H
#define NNCC_TRAINER_H

#include "nncc/Augment.h"
#include "nncc/OptimizerConfig.h"
#include "nncc/Sampler.h"
#include "nncc/abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

/// nncc train's default optimizer: SGD, lr 0.05, momentum 0.9.
OptimizerConfig defaultOptimizer();

struct TrainOptions {
  std::string dataKind; // one of datasetKinds() (Datasets.h)
  std::string dataDir;  // its path; empty: no data (only with steps == 0)
  int64_t epochs = 1;
  bool epochsGiven = false; // --steps alone may run past one epoch
  int64_t batch = 64;
  /// The evaluation's batch; 0: the training batch. (Not 1000, as PyTorch's
  /// MNIST example has it: the workspace grows with the batch, 628 MiB for
  /// cnn's evaluation at 1000, and a smaller batch evaluates as fast.)
  int64_t evalBatch = 0;
  int64_t evaluationBatch() const { return evalBatch > 0 ? evalBatch : batch; }
  int64_t steps = -1; // total optimizer steps; -1: no limit
  /// SGD with lr 0.05 and momentum 0.9 unless the flags say otherwise.
  OptimizerConfig optimizer = defaultOptimizer();
  SchedulerConfig scheduler;
  std::string schedulerSpec = "none"; // as given, for the metrics
  double clipGradNorm = 0; // max global gradient norm; 0: no clipping
  /// torch.manual_seed(seed): drives init, shuffles and, for models with
  /// dropout, train_step's per-step seeds (see TorchRandom.h).
  uint64_t seed = 0;
  bool shuffle = true;
  bool dropLast = false;
  /// One value, or one per channel; empty: the dataset kind's usual
  /// values (defaultNormalization).
  std::vector<float> mean, std;
  SamplerKind sampler = SamplerKind::Default;
  int workers = 0; // loader threads
  int threads = 0; // threads of the compiled step; 0: every core
  /// Time each region of a profiled build (nncc --profile) and print the
  /// table at the end (nncc/Profiler.h).
  bool profile = false;
  /// nncc train compiles the model without its compile cache (the trainer
  /// itself ignores it).
  bool noCache = false;
  AugmentOptions augment;
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

/// torchvision's customary mean/std for a dataset kind (Fashion-MNIST
/// 0.2860/0.3530, MNIST 0.1307/0.3081, CIFAR-10/100 per channel); 0/1 (just
/// x/255) for npz and imagefolder.
void defaultNormalization(const std::string &kind, std::vector<float> &mean,
                          std::vector<float> &std);

/// Parses nncc_train_main's flags (argv[0] is skipped). Throws nncc::Error
/// naming the flag for unknown flags, missing or malformed values.
TrainOptions parseTrainOptions(int argc, char **argv);
std::string trainUsage(const char *program);
/// A flag of parseTrainOptions, with what it takes as --help names it
/// (empty for a switch).
struct TrainFlag {
  std::string name;    // "--data"
  std::string metavar; // "KIND=PATH"
};
/// Every flag parseTrainOptions accepts ("-h" aside), for suggestions and
/// shell completion.
const std::vector<TrainFlag> &trainFlags();

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
  /// The thread pool the compiled step ran on, and the parallel-loop
  /// iterations each of its workers ran (which shows the threads working).
  int threads = 1;
  std::vector<int64_t> iterationsPerWorker;
  /// The trainer process's peak resident memory, in bytes (VmHWM).
  int64_t peakRssBytes = 0;
  /// --profile: every region's calls, samples and seconds (a JSON array,
  /// Profiler::json); empty otherwise.
  std::string profile;
};

/// Runs the whole job: init or load, train, evaluate after each epoch, print
/// one line per epoch to stdout, write metrics and checkpoint if asked.
TrainResult train(const nncc_model &model, const TrainOptions &options);

} // namespace nncc

#endif // NNCC_TRAINER_H
