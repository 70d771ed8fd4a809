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

/// A one-line progress bar redrawn with '\r' on stdout, only when stdout is
/// a terminal (logs and pipes get plain epoch lines only).
class ProgressBar {
public:
  ProgressBar();
  ~ProgressBar();
  void update(int64_t epoch, int64_t epochs, int64_t step, int64_t steps,
              double runningLoss, double imagesPerSecond);
  /// Erases the bar so the next line starts clean.
  void clear();

private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINREPORT_H
