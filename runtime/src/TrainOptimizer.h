//===- TrainOptimizer.h - the trainer's view of an optimizer --------------===//
//
// The loop needs four things from an optimizer: a step, the learning rate
// for logs, and its state out and back in for resuming. This adapter keeps
// the loop independent of how each optimizer stores that state.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINOPTIMIZER_H
#define NNCC_RUNTIME_TRAINOPTIMIZER_H

#include "nncc/Safetensors.h"
#include "nncc/Trainer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nncc {

class TrainOptimizer {
public:
  virtual ~TrainOptimizer() = default;
  virtual void step(float *params, const float *grads) = 0;
  virtual double lr() const = 0;
  /// Tensors named "<kind>.<param name>" and scalars, for the state file.
  virtual void exportState(std::vector<NamedTensor> &tensors,
                           std::map<std::string, std::string> &scalars) = 0;
  /// Restores what exportState wrote; throws nncc::Error naming `path` when
  /// the state belongs to another optimizer or model.
  virtual void importState(const std::vector<NamedTensor> &tensors,
                           const std::map<std::string, std::string> &scalars,
                           const std::string &path) = 0;
};

std::unique_ptr<TrainOptimizer> makeTrainOptimizer(const nncc_model &model,
                                                   const TrainOptions &o);

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINOPTIMIZER_H
