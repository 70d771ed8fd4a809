//===- CsvLog.cpp - the per-epoch CSV log ---------------------------------===//
//
// Numbers are written with enough digits to read back exactly; a spreadsheet
// shows them rounded anyway, and a script comparing runs needs them whole.
//
//===----------------------------------------------------------------------===//
#include "nncc/TrainLog.h"

#include <cmath>
#include <cstdio>

namespace nncc {

static std::string cell(double v) {
  if (!std::isfinite(v))
    return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

std::string formatCsvLog(const std::vector<EpochMetrics> &epochs,
                         bool evaluated) {
  std::string s = "epoch,steps,samples,train_loss,train_accuracy,test_loss,"
                  "test_accuracy,lr,images_per_second,seconds\n";
  for (const EpochMetrics &m : epochs) {
    s += std::to_string(m.epoch) + "," + std::to_string(m.steps) + "," +
         std::to_string(m.samples) + "," + cell(m.trainLoss) + "," +
         cell(m.trainAccuracy) + "," +
         (evaluated ? cell(m.testLoss) + "," + cell(m.testAccuracy)
                    : std::string(",")) +
         "," + cell(m.lr) + "," + cell(m.imagesPerSecond) + "," +
         cell(m.seconds) + "\n";
  }
  return s;
}

std::string plotPathFor(const std::string &csvPath) {
  size_t slash = csvPath.rfind('/');
  size_t dot = csvPath.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash) &&
      dot > (slash == std::string::npos ? 0 : slash + 1))
    return csvPath.substr(0, dot) + ".svg";
  return csvPath + ".svg";
}

} // namespace nncc
