//===- nncc/Optimizer.h - torch.optim-style optimizers ----------*- C++ -*-===//
//
// What the trainer and the schedulers see of Sgd, Adam and AdamW. As in
// torch.optim, tensors are split into parameter groups with their own
// hyper-parameters; a scheduler sets a group's learning rate (and, for
// OneCycleLR, its momentum or beta1) between steps. The state (moments,
// momentum buffers, step count, each group's lr) is exported as named
// tensors plus metadata of a TensorFile, so a training state file can hold
// it and a resumed run continues bit for bit.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_OPTIMIZER_H
#define NNCC_OPTIMIZER_H

#include "nncc/Aligned.h"
#include "nncc/Safetensors.h"
#include "nncc/abi.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

/// One group's hyper-parameters, doubles like torch's Python floats (each is
/// cast to float where torch casts it). Each optimizer reads its own fields:
/// SGD lr, momentum, dampening, nesterov, weightDecay; Adam and AdamW lr,
/// beta1, beta2, eps, weightDecay, amsgrad.
struct GroupOptions {
  double lr = 1e-3;
  double weightDecay = 0.0;
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  bool amsgrad = false;
};

/// torch's {'params': [...], 'lr': ...}: tensors by their index in the
/// model's parameter table. Frozen tensors listed here are skipped (torch
/// skips parameters without a gradient); tensors in no group stay as they
/// are.
struct ParamGroup {
  std::vector<int32_t> tensors;
  GroupOptions options;
};

class Optimizer {
public:
  virtual ~Optimizer() = default;
  /// "sgd", "adam" or "adamw"; a state file records it.
  virtual const char *kind() const = 0;
  /// One update of `params` from `grads`, both flat arrays of the model's
  /// param_count floats. Gradients are read, never written.
  virtual void step(float *params, const float *grads) = 0;

  int64_t stepCount() const { return steps_; }
  size_t numGroups() const { return groups_.size(); }
  const ParamGroup &group(size_t g) const { return groups_.at(g); }
  double lr(size_t g) const { return groups_.at(g).options.lr; }
  void setLr(size_t g, double lr);
  /// What OneCycleLR cycles: SGD's momentum, Adam's beta1.
  virtual double momentum(size_t g) const = 0;
  virtual void setMomentum(size_t g, double value) = 0;
  /// torch's group['initial_lr']: the lr when the first scheduler was
  /// attached (OneCycleLR sets its own); every schedule starts from it.
  std::optional<double> initialLr(size_t g) const { return initialLr_.at(g); }
  void setInitialLr(size_t g, double lr) { initialLr_.at(g) = lr; }

  /// Adds "<prefix>step" (I64, shape []) and one F32 tensor per state buffer
  /// and parameter, "<prefix><buffer>.<param name>" in the parameter's shape
  /// (momentum_buffer; exp_avg, exp_avg_sq, max_exp_avg_sq), to `out`, and
  /// metadata "<prefix>kind", "<prefix>lr.<group>", "<prefix>momentum.<group>"
  /// and "<prefix>initial_lr.<group>" (decimal, exact round trip).
  void saveState(TensorFile &out,
                 const std::string &prefix = "optimizer.") const;
  /// The inverse, into an optimizer built with the same groups. Throws
  /// nncc::Error naming `path` and the missing, unexpected or mis-shaped
  /// entry; on error the optimizer is unchanged.
  void loadState(const TensorFile &in, const std::string &path,
                 const std::string &prefix = "optimizer.");

protected:
  /// Checks the table (see TensorTable.h) and the groups: each index in
  /// range, no tensor in two groups, trainable tensors F32. The table is
  /// kept, not copied: a generated model's is static; others must outlive
  /// the optimizer.
  Optimizer(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
            std::vector<ParamGroup> groups);

  /// A flat per-element state array; `present[g]` says whether group g's
  /// tensors have this state yet (torch creates state lazily).
  struct StateBuffer {
    const char *name;
    AlignedArray<float> *values;
    std::vector<bool> *present;
  };
  virtual std::vector<StateBuffer> stateBuffers() = 0;
  std::vector<StateBuffer> constStateBuffers() const {
    return const_cast<Optimizer *>(this)->stateBuffers();
  }

  /// The trainable tensors (non-frozen, non-empty) of each group, by
  /// table index.
  std::vector<std::vector<int32_t>> trainable_;
  std::vector<ParamGroup> groups_;
  std::vector<std::optional<double>> initialLr_;
  const nncc_tensor_info *table_;
  int64_t paramCount_;
  int64_t steps_ = 0;
};

/// Every non-frozen tensor of the table in one group with `options`.
std::vector<ParamGroup> singleGroup(const nncc_tensor_info *params,
                                    int32_t count, const GroupOptions &options);

} // namespace nncc

#endif // NNCC_OPTIMIZER_H
