//===- nncc/Sgd.h - torch.optim.SGD on flat parameter arrays ----*- C++ -*-===//
//
// The same update as torch.optim.SGD (1.13, foreach=False), bit for bit:
// given the same gradients, weights match torch's exactly after any number
// of steps, so golden tests can compare them without tolerance.
// Only parameters are optimised; buffers (BatchNorm's running statistics)
// are train_step's to update. Frozen tensors (no gradient code was generated
// for them) are skipped.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SGD_H
#define NNCC_SGD_H

#include "nncc/Aligned.h"
#include "nncc/abi.h"

#include <cstdint>
#include <vector>

namespace nncc {

/// Doubles, like torch's Python floats; each is cast to float where used.
struct SgdOptions {
  double lr = 0.05;
  double momentum = 0.0;
  double dampening = 0.0;
  double weightDecay = 0.0;
  bool nesterov = false;
};

class Sgd {
public:
  /// Optimises the tensors in `params[0..count)` (a model's parameter table);
  /// `paramCount` is the length of the flat arrays. Throws nncc::Error for
  /// bad options, an inconsistent table or a non-frozen non-F32 tensor.
  Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
      SgdOptions options);
  Sgd(const nncc_model &model, SgdOptions options)
      : Sgd(model.params, model.num_params, model.param_count, options) {}

  /// One update of `params` from `grads` (both flat, paramCount floats).
  void step(float *params, const float *grads);

  int64_t stepCount() const { return steps_; }
  const SgdOptions &options() const { return options_; }
  /// The momentum buffer (flat like params; empty without momentum).
  const float *momentumBuffer() const { return momentum_.data(); }

private:
  struct Range {
    int64_t offset, numel;
  };
  std::vector<Range> trainable_;
  SgdOptions options_;
  AlignedArray<float> momentum_;
  int64_t steps_ = 0;
};

} // namespace nncc

#endif // NNCC_SGD_H
