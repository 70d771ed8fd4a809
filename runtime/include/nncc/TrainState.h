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
//   optimizer.*             the optimizer's state (Optimizer::saveState:
//                           step, momentum buffers, moments; lrs in metadata)
//   scheduler.*             the schedule's counters (metadata only)
//   rng.generator           I64 [627] TorchGenerator::state()
//   loader.order            I64 [n] the training loader's current epoch order
//   __metadata__            format "nncc-train-state", version, epoch, step,
//                           epoch_step, loader_epoch, loader_cursor, the
//                           unfinished epoch's sums, the per-epoch history
//                           (JSON), and the run's configuration
//                           ("config:<key>") a resume must agree with
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TRAINSTATE_H
#define NNCC_TRAINSTATE_H

#include "nncc/DataLoader.h"
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
  std::vector<int64_t> generator; // TorchGenerator::state()
  LoaderPosition loader;          // the training loader's position
  /// What the optimizer and the schedule save of themselves (tensors and
  /// metadata under "optimizer." and "scheduler."), passed through.
  TensorFile components;
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
/// The same over an already-parsed file (`path` only names it in errors).
TrainState trainStateFromFile(const TensorFile &file, const std::string &path,
                              const nncc_model &model, float *params,
                              float *buffers);

} // namespace nncc

#endif // NNCC_TRAINSTATE_H
