//===- Adam.cpp - torch.optim.Adam/AdamW, step for step, bit for bit ------===//
//
// torch 1.13's _single_tensor_adam(w), per element, in float (c_x are the
// hyper-parameters cast to float; the bias corrections are Python doubles):
//   p   = p * (1 - lr*wd)                  (AdamW: mul_)
//   g   = fma(p, wd, g)                    (Adam: grad.add(p, alpha=wd))
//   m   = fma(g, 1-b1, m*b1)               (mul_, add_ with alpha: vec::fmadd)
//   v   = fma((1-b2)*g, g, v*b2)           (mul_, addcmul_: GCC contracts
//                                           self + value*t1*t2 into an fma)
//   vm  = maximum(vm, v)                   (amsgrad; NaN propagates)
//   den = sqrt(v or vm) / sqrt(bc2) + eps  (sqrt, div, add_)
//   p   = p + (-step_size * m) / den       (addcdiv_)
// with bc_i = 1 - b_i^step and step_size = lr / bc1 in double. Each line was
// checked against torch's kernels on a million random elements (0 bits
// differ); tests/golden/golden-optim.test keeps it so over 100 steps.
//
//===----------------------------------------------------------------------===//
#include "nncc/Adam.h"
#include "nncc/Error.h"
#include "optim/FusedMultiplyAdd.h"

#include <cmath>
#include <string>

namespace nncc {

namespace {

struct Coefficients {
  float decay, weightDecay, beta1, oneMinusBeta1, beta2, oneMinusBeta2;
  float bias2Sqrt, eps, negStepSize;
  bool decoupled, amsgrad;
};

// The options that change the arithmetic are template parameters, so each
// instantiation is a branch-free loop the compiler vectorizes.
template <bool HardwareFma, bool Decoupled, bool WeightDecay, bool Amsgrad>
inline __attribute__((always_inline)) void
update(float *p, const float *grad, float *m, float *v, float *vmax, int64_t n,
       const Coefficients &c) {
  const Coefficients k = c; // locals: see Sgd.cpp
  for (int64_t i = 0; i < n; ++i) {
    float g = grad[i];
    float w = p[i];
    if (Decoupled)
      w = w * k.decay;
    else if (WeightDecay)
      g = fusedMultiplyAdd<HardwareFma>(w, k.weightDecay, g);
    float mi =
        fusedMultiplyAdd<HardwareFma>(g, k.oneMinusBeta1, m[i] * k.beta1);
    float vi =
        fusedMultiplyAdd<HardwareFma>(k.oneMinusBeta2 * g, g, v[i] * k.beta2);
    m[i] = mi;
    v[i] = vi;
    float second = vi;
    if (Amsgrad) {
      float old = vmax[i];
      second = ((old > vi) | (old != old)) ? old : vi;
      vmax[i] = second;
    }
    float denom = std::sqrt(second) / k.bias2Sqrt + k.eps;
    p[i] = w + (k.negStepSize * mi) / denom;
  }
}

template <bool HardwareFma>
inline __attribute__((always_inline)) void
dispatch(float *p, const float *g, float *m, float *v, float *vmax, int64_t n,
         const Coefficients &c) {
  if (c.decoupled) {
    if (c.amsgrad)
      update<HardwareFma, true, false, true>(p, g, m, v, vmax, n, c);
    else
      update<HardwareFma, true, false, false>(p, g, m, v, vmax, n, c);
  } else if (c.weightDecay != 0.0f) {
    if (c.amsgrad)
      update<HardwareFma, false, true, true>(p, g, m, v, vmax, n, c);
    else
      update<HardwareFma, false, true, false>(p, g, m, v, vmax, n, c);
  } else {
    if (c.amsgrad)
      update<HardwareFma, false, false, true>(p, g, m, v, vmax, n, c);
    else
      update<HardwareFma, false, false, false>(p, g, m, v, vmax, n, c);
  }
}

NNCC_FMA_TARGET void updateWithFma(float *p, const float *g, float *m, float *v,
                                   float *vmax, int64_t n,
                                   const Coefficients &c) {
  dispatch<kTargetHasFma>(p, g, m, v, vmax, n, c);
}

void updatePortable(float *p, const float *g, float *m, float *v, float *vmax,
                    int64_t n, const Coefficients &c) {
  dispatch<false>(p, g, m, v, vmax, n, c);
}

void checkOptions(const GroupOptions &o, size_t g) {
  std::string where = " in parameter group " + std::to_string(g);
  auto number = [](double v) { return std::to_string(v); };
  if (!(o.lr >= 0.0) || !std::isfinite(o.lr))
    throw Error("invalid learning rate " + number(o.lr) + where);
  if (!(o.eps >= 0.0) || !std::isfinite(o.eps))
    throw Error("invalid epsilon " + number(o.eps) + where);
  if (!(o.beta1 >= 0.0 && o.beta1 < 1.0))
    throw Error("invalid beta1 " + number(o.beta1) + where +
                " (expected 0 <= beta1 < 1)");
  if (!(o.beta2 >= 0.0 && o.beta2 < 1.0))
    throw Error("invalid beta2 " + number(o.beta2) + where +
                " (expected 0 <= beta2 < 1)");
  if (!(o.weightDecay >= 0.0) || !std::isfinite(o.weightDecay))
    throw Error("invalid weight decay " + number(o.weightDecay) + where);
}

} // namespace

Adam::Adam(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
           std::vector<ParamGroup> groups, bool decoupledWeightDecay)
    : Optimizer(params, count, paramCount, std::move(groups)),
      decoupled_(decoupledWeightDecay), expAvg_(size_t(paramCount)),
      expAvgSq_(size_t(paramCount)), hasMoments_(groups_.size(), false),
      hasMax_(groups_.size(), false) {
  bool amsgrad = false;
  for (size_t g = 0; g < groups_.size(); ++g) {
    checkOptions(groups_[g].options, g);
    amsgrad |= groups_[g].options.amsgrad;
  }
  if (amsgrad)
    maxExpAvgSq_ = AlignedArray<float>(size_t(paramCount));
}

void Adam::setMomentum(size_t g, double value) {
  groups_.at(g).options.beta1 = value;
}

std::vector<Optimizer::StateBuffer> Adam::stateBuffers() {
  std::vector<StateBuffer> buffers = {{"exp_avg", &expAvg_, &hasMoments_},
                                      {"exp_avg_sq", &expAvgSq_, &hasMoments_}};
  if (maxExpAvgSq_.size() != 0)
    buffers.push_back({"max_exp_avg_sq", &maxExpAvgSq_, &hasMax_});
  return buffers;
}

void Adam::step(float *params, const float *grads) {
  auto *update = cpuHasFma() ? updateWithFma : updatePortable;
  // torch keeps the step as a float tensor and reads it back with item().
  double step = double(float(steps_ + 1));
  for (size_t g = 0; g < groups_.size(); ++g) {
    const GroupOptions &o = groups_[g].options;
    double bias1 = 1 - std::pow(o.beta1, step);
    double bias2 = 1 - std::pow(o.beta2, step);
    double stepSize = o.lr / bias1;
    Coefficients c;
    c.decay = float(1 - o.lr * o.weightDecay);
    c.weightDecay = float(o.weightDecay);
    c.beta1 = float(o.beta1);
    c.oneMinusBeta1 = float(1 - o.beta1);
    c.beta2 = float(o.beta2);
    c.oneMinusBeta2 = float(1 - o.beta2);
    c.bias2Sqrt = float(std::sqrt(bias2));
    c.eps = float(o.eps);
    c.negStepSize = float(-stepSize);
    c.decoupled = decoupled_;
    c.amsgrad = o.amsgrad;
    for (int32_t i : trainable_[g]) {
      const nncc_tensor_info &t = table_[i];
      update(params + t.offset, grads + t.offset, expAvg_.data() + t.offset,
             expAvgSq_.data() + t.offset,
             o.amsgrad ? maxExpAvgSq_.data() + t.offset : nullptr, t.numel, c);
    }
    hasMoments_[g] = true;
    hasMax_[g] = o.amsgrad;
  }
  ++steps_;
}

} // namespace nncc
