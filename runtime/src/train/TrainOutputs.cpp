//===- TrainOutputs.cpp - every file the trainer writes -------------------===//
//
// The state file goes first and the weights second: the state holds the
// weights as well, so whichever rename a kill interrupts, the state on disk
// resumes a consistent run (see TrainState.h).
//
//===----------------------------------------------------------------------===//
#include "train/TrainOutputs.h"
#include "nncc/Checkpoint.h"
#include "nncc/File.h"
#include "nncc/TrainLog.h"
#include "train/TrainChecks.h"
#include "train/TrainReport.h"

namespace nncc {

TrainOutputs::TrainOutputs(const nncc_model &model, const TrainOptions &o)
    : model_(model), options_(o) {
  checkOutputPath(o.savePath, "--save");
  checkOutputPath(o.metricsPath, "--metrics-json");
  checkOutputPath(o.csvPath, "--csv");
  if (!o.savePath.empty())
    statePath_ = trainStatePath(o.savePath);
  plotPath_ = !o.plotPath.empty()  ? o.plotPath
              : !o.csvPath.empty() ? plotPathFor(o.csvPath)
                                   : std::string();
  checkOutputPath(plotPath_, o.plotPath.empty() ? "--csv" : "--plot");
}

void TrainOutputs::save(const float *params, const float *buffers,
                        const TrainState &st) {
  if (options_.savePath.empty())
    return;
  saveTrainState(statePath_, model_, params, buffers, st);
  saveCheckpoint(options_.savePath, model_, params, buffers);
  savedEpoch_ = st.epoch;
  savedStep_ = st.step;
}

void TrainOutputs::writeLogs(const TrainResult &r) {
  if (!options_.csvPath.empty())
    writeFileAtomically(options_.csvPath, formatCsvLog(r.epochs, r.evaluated));
  if (!plotPath_.empty())
    writeFileAtomically(
        plotPath_,
        renderTrainingPlot(r.epochs, r.evaluated,
                           "nncc: " + modelName(model_) + " training"));
  if (!options_.metricsPath.empty())
    writeFileAtomically(options_.metricsPath,
                        formatMetricsJson(model_, options_, r));
}

std::string TrainOutputs::lastSaveDescription() const {
  if (options_.savePath.empty())
    return "nothing was saved (no --save)";
  if (savedStep_ < 0)
    return "this run saved nothing; '" + options_.savePath +
           "' is as it was before";
  return "the last good checkpoint '" + options_.savePath + "' (step " +
         std::to_string(savedStep_) + ", " + std::to_string(savedEpoch_) +
         " epochs completed) and its state are kept";
}

} // namespace nncc
