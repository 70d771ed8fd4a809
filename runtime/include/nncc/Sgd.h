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

#include "nncc/Optimizer.h"

namespace nncc {

/// Doubles, like torch's Python floats; each is cast to float where used.
struct SgdOptions {
  double lr = 0.05;
  double momentum = 0.0;
  double dampening = 0.0;
  double weightDecay = 0.0;
  bool nesterov = false;

  GroupOptions group() const;
};

class Sgd : public Optimizer {
public:
  /// Optimises the groups' tensors of `params[0..count)` (a model's
  /// parameter table); `paramCount` is the length of the flat arrays. Throws
  /// nncc::Error for bad options, an inconsistent table or a non-frozen
  /// non-F32 tensor.
  Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
      std::vector<ParamGroup> groups);
  Sgd(const nncc_model &model, std::vector<ParamGroup> groups)
      : Sgd(model.params, model.num_params, model.param_count,
            std::move(groups)) {}
  /// One group of every non-frozen tensor.
  Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
      SgdOptions options)
      : Sgd(params, count, paramCount,
            singleGroup(params, count, options.group())) {}
  Sgd(const nncc_model &model, SgdOptions options)
      : Sgd(model.params, model.num_params, model.param_count, options) {}

  const char *kind() const override { return "sgd"; }
  void step(float *params, const float *grads) override;
  double momentum(size_t g) const override { return group(g).options.momentum; }
  void setMomentum(size_t g, double value) override;

  /// Group 0's options.
  SgdOptions options() const;
  /// The momentum buffer (flat like params; a group's part is meaningful
  /// once it has stepped with momentum).
  const float *momentumBuffer() const { return momentum_.data(); }

protected:
  std::vector<StateBuffer> stateBuffers() override;

private:
  AlignedArray<float> momentum_;
  /// torch creates a momentum buffer at the first step with momentum.
  std::vector<bool> hasMomentum_;
};

} // namespace nncc

#endif // NNCC_SGD_H
