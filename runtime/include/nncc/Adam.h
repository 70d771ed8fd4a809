//===- nncc/Adam.h - torch.optim.Adam and AdamW on flat arrays --*- C++ -*-===//
//
// torch 1.13's single-tensor (foreach=False) Adam and AdamW, operation by
// operation in float with torch's roundings, so that weights agree with
// torch's bit for bit for the same gradients. The two differ only in weight
// decay: Adam adds it to the gradient (L2), AdamW shrinks the weights first
// (decoupled).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ADAM_H
#define NNCC_ADAM_H

#include "nncc/Optimizer.h"

namespace nncc {

class Adam : public Optimizer {
public:
  /// Throws nncc::Error for bad options (the ranges torch checks) or an
  /// inconsistent table.
  Adam(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
       std::vector<ParamGroup> groups, bool decoupledWeightDecay = false);
  Adam(const nncc_model &model, std::vector<ParamGroup> groups,
       bool decoupledWeightDecay = false)
      : Adam(model.params, model.num_params, model.param_count,
             std::move(groups), decoupledWeightDecay) {}

  const char *kind() const override { return decoupled_ ? "adamw" : "adam"; }
  void step(float *params, const float *grads) override;
  double momentum(size_t g) const override { return group(g).options.beta1; }
  void setMomentum(size_t g, double value) override;

  const float *expAvg() const { return expAvg_.data(); }
  const float *expAvgSq() const { return expAvgSq_.data(); }

protected:
  std::vector<StateBuffer> stateBuffers() override;

private:
  bool decoupled_;
  AlignedArray<float> expAvg_, expAvgSq_, maxExpAvgSq_;
  /// torch creates the state at a parameter's first step.
  std::vector<bool> hasMoments_, hasMax_;
};

/// torch.optim.AdamW. Note torch's default weight decay differs (1e-2);
/// OptimizerConfig applies it, ParamGroup options are taken as given.
class AdamW : public Adam {
public:
  AdamW(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
        std::vector<ParamGroup> groups)
      : Adam(params, count, paramCount, std::move(groups), true) {}
  AdamW(const nncc_model &model, std::vector<ParamGroup> groups)
      : Adam(model, std::move(groups), true) {}
};

} // namespace nncc

#endif // NNCC_ADAM_H
