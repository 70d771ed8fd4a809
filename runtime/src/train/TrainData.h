//===- TrainData.h - the trainer's datasets and loaders -------------------===//
//
// From --data KIND=PATH and the loader flags to the two loaders the loop
// uses, with every check that can run before the first step.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINDATA_H
#define NNCC_RUNTIME_TRAINDATA_H

#include "nncc/DataLoader.h"
#include "nncc/Dataset.h"
#include "nncc/Trainer.h"

#include <memory>
#include <string>
#include <vector>

namespace nncc {

struct TrainData {
  std::unique_ptr<Dataset> trainSet, testSet;
  std::unique_ptr<DataLoader> trainLoader, testLoader;
  std::vector<std::string> classNames; // for the per-class report
};

/// Opens the test split whenever there is data, the training split unless
/// --steps 0; both loaders share `generator`, as PyTorch's share the
/// global one. Throws nncc::Error for data that does not fit the model.
TrainData openTrainData(const nncc_model &m, const TrainOptions &o,
                        TorchGenerator &generator);

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINDATA_H
