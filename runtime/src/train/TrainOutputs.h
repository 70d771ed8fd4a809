//===- TrainOutputs.h - every file the trainer writes ---------------------===//
//
// Checkpoint, training state, CSV log, SVG plot and metrics JSON, each
// written atomically (temp file, fsync, rename) so a killed run leaves the
// previous version of each file whole. Paths are checked when the outputs
// are set up, before the first step.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINOUTPUTS_H
#define NNCC_RUNTIME_TRAINOUTPUTS_H

#include "nncc/TrainState.h"
#include "nncc/Trainer.h"

#include <string>

namespace nncc {

class TrainOutputs {
public:
  /// Throws nncc::Error naming the flag when a directory is not writable.
  TrainOutputs(const nncc_model &model, const TrainOptions &options);

  /// The training state, then the weights (--save); no-op without --save.
  void save(const float *params, const float *buffers, const TrainState &st);
  /// The CSV log, its plot and the metrics JSON, from the whole history.
  void writeLogs(const TrainResult &result);
  /// For messages: what the last save() wrote, or that nothing was saved.
  std::string lastSaveDescription() const;

private:
  const nncc_model &model_;
  const TrainOptions &options_;
  std::string statePath_, plotPath_;
  int64_t savedEpoch_ = -1, savedStep_ = -1;
};

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINOUTPUTS_H
