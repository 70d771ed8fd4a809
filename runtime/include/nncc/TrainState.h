//===- nncc/TrainState.h - what a training run needs to resume --*- C++ -*-===//
//
// `nncc train --save W` writes two files: W, the model's weights for
// PyTorch, and trainStatePath(W) (W.safetensors -> W.state.safetensors),
// everything a resumed run needs to continue exactly where this one
// stopped. The state file holds the weights and buffers too (as "model."
// tensors), so it is consistent on its own: the two files are renamed into
// place one after the other, and a run killed between the renames still
// leaves a state file that resumes correctly.
//
// State file layout (safetensors):
//   model.<name>            the model's parameters and buffers
//   optimizer.<name>        the optimizer's tensors (momentum buffers, moments)
//   rng.generator           I64 [627] TorchGenerator::state() now
//   rng.epoch_start         I64 [627] the state before the unfinished epoch
//                           drew its order (only mid-epoch)
//   loader.order            I64 [n] that epoch's sample order (only mid-epoch;
//                           checked against the re-drawn one on resume)
//   __metadata__            format "nncc-train-state", version, epoch, step,
//                           epoch_step, the unfinished epoch's sums, the
//                           per-epoch history (JSON), optimizer scalars
//                           ("optimizer:<key>") and the run's configuration
//                           ("config:<key>") a resume must agree with
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TRAINSTATE_H
#define NNCC_TRAINSTATE_H

#include "nncc/Safetensors.h"
#include "nncc/Trainer.h"
#include "nncc/abi.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc {

struct TrainState {
  int64_t epoch = 0;     // epochs completed
  int64_t step = 0;      // optimizer steps in total
  int64_t epochStep = 0; // steps into the unfinished epoch; 0 at a boundary
  /// The unfinished epoch's running sums, so its line and metrics continue.
  double epochLossSum = 0, epochSeconds = 0;
  int64_t epochCorrect = 0, epochSamples = 0;
  std::vector<int64_t> generator;      // TorchGenerator::state()
  std::vector<int64_t> epochGenerator; // only when epochStep > 0
  std::vector<int64_t> epochOrder;     // only when epochStep > 0
  /// The optimizer's tensors and scalars, as it exports them.
  std::vector<NamedTensor> optimizerTensors;
  std::map<std::string, std::string> optimizerScalars;
  std::vector<EpochMetrics> history; // completed epochs
  /// What must not change across a resume (batch size, data, ...).
  std::map<std::string, std::string> config;
};

/// W.safetensors -> W.state.safetensors; any other name gets
/// ".state.safetensors" appended.
std::string trainStatePath(const std::string &weightsPath);

/// Writes the state and the model's params/buffers atomically.
void saveTrainState(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers,
                    const TrainState &state);

/// Reads a state file written for `model` into params/buffers (checked as
/// loadCheckpoint checks, listing every mismatch) and returns the rest.
/// Throws nncc::Error naming the file and what is wrong.
TrainState loadTrainState(const std::string &path, const nncc_model &model,
                          float *params, float *buffers);

} // namespace nncc

#endif // NNCC_TRAINSTATE_H
