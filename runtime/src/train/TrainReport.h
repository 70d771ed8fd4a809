//===- TrainReport.h - what the trainer prints and writes -----------------===//
//
// Kept apart from the loop so the loop reads as the algorithm: the epoch
// line, the terminal progress bar and the metrics JSON live here.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINREPORT_H
#define NNCC_RUNTIME_TRAINREPORT_H

#include "nncc/Trainer.h"

#include <chrono>
#include <string>

namespace nncc {

/// "epoch 1/1  train loss 0.5234 acc 81.20%  test loss 0.4551 acc 84.31%
///  21345 img/s  2.8 s"
std::string formatEpochLine(const EpochMetrics &m, int64_t epochs,
                            bool evaluated);

/// The --metrics-json document.
std::string formatMetricsJson(const nncc_model &model, const TrainOptions &o,
                              const TrainResult &result);

/// Where a run is, for the progress bar and the plain progress lines.
struct Progress {
  int64_t epoch, epochs, step, steps; // step of steps in this epoch
  double loss;                        // the epoch's running mean
  double imagesPerSecond;
  double etaSeconds; // until the last step of the run; < 0: unknown
};

/// "3s", "1m05s", "2h03m"
std::string formatDuration(double seconds);

/// A one-line progress bar redrawn with '\r' on stdout when stdout is a
/// terminal. Plain lines (what a log file or pipe can show, since it cannot
/// redraw): every `logEvery` steps when it is > 0, else, when stdout is not
/// a terminal, one every 30 seconds.
class ProgressBar {
public:
  explicit ProgressBar(int64_t logEvery = 0);
  ~ProgressBar();
  void update(const Progress &p);
  /// Erases the bar so the next line starts clean.
  void clear();

private:
  bool enabled_;
  int64_t logEvery_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_, lastLine_;
};

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINREPORT_H
