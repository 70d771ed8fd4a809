//===- Sgd.cpp - torch.optim.SGD, step for step, bit for bit --------------===//
//
// torch's single-tensor SGD (1.13, foreach=False), per element of a gradient:
//   d   = fma(weight_decay, p, d)                (if weight_decay != 0)
//   buf = d                                      (first step with momentum)
//   buf = fma(1 - dampening, d, momentum * buf)  (later steps)
//   d   = nesterov ? fma(momentum, buf, d) : buf (if momentum != 0)
//   p   = fma(-lr, d, p)
// torch's vectorized CPU add-with-alpha kernels fuse the multiply-add
// (vec::fmadd), so we use fused multiply-adds too: that makes the weights
// bit-identical to torch's for the same gradients, which golden tests rely
// on. Hyper-parameters are doubles cast to float where used, as torch does.
//
//===----------------------------------------------------------------------===//
#include "nncc/Sgd.h"
#include "nncc/Error.h"
#include "optim/FusedMultiplyAdd.h"

#include <cmath>
#include <string>

namespace nncc {

namespace {

struct Coefficients {
  float lr, momentum, keep, weightDecay;
  bool useMomentum, nesterov, first;
};

template <bool HardwareFma>
inline __attribute__((always_inline)) void
update(float *p, const float *g, float *buf, int64_t n, const Coefficients &c) {
  // Locals, not c's fields: stores through p could alias c as far as the
  // compiler knows, which would stop it from unswitching and vectorizing.
  const float negLr = -c.lr, momentum = c.momentum, keep = c.keep;
  const float weightDecay = c.weightDecay;
  const bool useMomentum = c.useMomentum, nesterov = c.nesterov;
  const bool first = c.first;
  for (int64_t i = 0; i < n; ++i) {
    float d = g[i];
    if (weightDecay != 0.0f)
      d = fusedMultiplyAdd<HardwareFma>(weightDecay, p[i], d);
    if (useMomentum) {
      float b =
          first ? d : fusedMultiplyAdd<HardwareFma>(keep, d, momentum * buf[i]);
      buf[i] = b;
      d = nesterov ? fusedMultiplyAdd<HardwareFma>(momentum, b, d) : b;
    }
    p[i] = fusedMultiplyAdd<HardwareFma>(negLr, d, p[i]);
  }
}

NNCC_FMA_TARGET void updateWithFma(float *p, const float *g, float *buf,
                                   int64_t n, const Coefficients &c) {
  update<kTargetHasFma>(p, g, buf, n, c);
}

void updatePortable(float *p, const float *g, float *buf, int64_t n,
                    const Coefficients &c) {
  update<false>(p, g, buf, n, c);
}

void checkOptions(const GroupOptions &o, size_t g) {
  auto valid = [](double v) { return std::isfinite(v) && v >= 0.0; };
  std::string where = " in parameter group " + std::to_string(g);
  if (!valid(o.lr))
    throw Error("invalid learning rate " + std::to_string(o.lr) + where);
  if (!valid(o.momentum))
    throw Error("invalid momentum " + std::to_string(o.momentum) + where);
  if (!valid(o.weightDecay))
    throw Error("invalid weight decay " + std::to_string(o.weightDecay) +
                where);
  if (!std::isfinite(o.dampening))
    throw Error("invalid dampening " + std::to_string(o.dampening) + where);
  // The same restriction as torch: Nesterov needs plain heavy-ball momentum.
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0))
    throw Error("nesterov momentum requires a momentum and zero dampening");
}

} // namespace

GroupOptions SgdOptions::group() const {
  GroupOptions g;
  g.lr = lr;
  g.momentum = momentum;
  g.dampening = dampening;
  g.weightDecay = weightDecay;
  g.nesterov = nesterov;
  return g;
}

Sgd::Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
         std::vector<ParamGroup> groups)
    : Optimizer(params, count, paramCount, std::move(groups)),
      momentum_(size_t(paramCount)), hasMomentum_(groups_.size(), false) {
  for (size_t g = 0; g < groups_.size(); ++g)
    checkOptions(groups_[g].options, g);
}

void Sgd::setMomentum(size_t g, double value) {
  groups_.at(g).options.momentum = value;
}

SgdOptions Sgd::options() const {
  const GroupOptions &g = groups_.at(0).options;
  return {g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov};
}

std::vector<Optimizer::StateBuffer> Sgd::stateBuffers() {
  return {{"momentum_buffer", &momentum_, &hasMomentum_}};
}

void Sgd::step(float *params, const float *grads) {
  auto *update = cpuHasFma() ? updateWithFma : updatePortable;
  for (size_t g = 0; g < groups_.size(); ++g) {
    const GroupOptions &o = groups_[g].options;
    Coefficients c;
    c.lr = static_cast<float>(o.lr);
    c.momentum = static_cast<float>(o.momentum);
    // torch computes 1 - dampening in double, then casts it to float.
    c.keep = static_cast<float>(1.0 - o.dampening);
    c.weightDecay = static_cast<float>(o.weightDecay);
    c.useMomentum = o.momentum != 0.0;
    c.nesterov = o.nesterov;
    c.first = !hasMomentum_[g];
    for (int32_t i : trainable_[g]) {
      const nncc_tensor_info &t = table_[i];
      update(params + t.offset, grads + t.offset,
             c.useMomentum ? momentum_.data() + t.offset : nullptr, t.numel, c);
    }
    if (c.useMomentum)
      hasMomentum_[g] = true;
  }
  ++steps_;
}

} // namespace nncc
