//===- nncc/TrainLog.h - the CSV log and SVG plot of a run ------*- C++ -*-===//
//
// Both are rewritten whole after every epoch (atomically), so a run that is
// killed or resumed never leaves a torn or duplicated row: a resumed run
// rewrites them from the history kept in its training state.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TRAINLOG_H
#define NNCC_TRAINLOG_H

#include "nncc/Trainer.h"

#include <string>
#include <vector>

namespace nncc {

/// One header line, then one row per epoch: epoch, steps, samples,
/// train_loss, train_accuracy, test_loss, test_accuracy (empty without
/// evaluation), lr, images_per_second, seconds. Accuracies are fractions.
std::string formatCsvLog(const std::vector<EpochMetrics> &epochs,
                         bool evaluated);

/// A self-contained SVG (no scripts, fonts or external references): loss
/// on the left and accuracy on the right against the epoch, train and test
/// curves, axes with ticks and a legend.
std::string renderTrainingPlot(const std::vector<EpochMetrics> &epochs,
                               bool evaluated, const std::string &title);

/// log.csv -> log.svg (any other name gets ".svg" appended).
std::string plotPathFor(const std::string &csvPath);

} // namespace nncc

#endif // NNCC_TRAINLOG_H
