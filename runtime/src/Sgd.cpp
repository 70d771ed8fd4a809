//===- Sgd.cpp - torch.optim.SGD, step for step, bit for bit --------------===//
//
// torch's single-tensor SGD (1.13, foreach=False), per element of a gradient:
//   d   = fma(weight_decay, p, d)                (if weight_decay != 0)
//   buf = d                                      (first step)
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
#include "TensorTable.h"
#include "nncc/Error.h"

#include <cmath>
#include <string>

namespace nncc {

namespace {

struct Coefficients {
  float lr, momentum, keep, weightDecay;
  bool useMomentum, nesterov, first;
};

template <bool HardwareFma>
inline __attribute__((always_inline)) float fusedMultiplyAdd(float a, float b,
                                                             float c) {
  // The builtin becomes one vfmadd in an FMA-enabled function; std::fma is
  // the exact (slower, libm) fallback for CPUs without FMA.
  return HardwareFma ? __builtin_fmaf(a, b, c) : std::fma(a, b, c);
}

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

#if defined(__x86_64__)
__attribute__((target("fma"))) void updateWithFma(float *p, const float *g,
                                                  float *buf, int64_t n,
                                                  const Coefficients &c) {
  update<true>(p, g, buf, n, c);
}
const bool kCpuHasFma = __builtin_cpu_supports("fma");
#else
void updateWithFma(float *p, const float *g, float *buf, int64_t n,
                   const Coefficients &c) {
  update<false>(p, g, buf, n, c);
}
const bool kCpuHasFma = false;
#endif

void updatePortable(float *p, const float *g, float *buf, int64_t n,
                    const Coefficients &c) {
  update<false>(p, g, buf, n, c);
}

} // namespace

Sgd::Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
         SgdOptions options)
    : options_(options) {
  auto valid = [](double v) { return std::isfinite(v) && v >= 0.0; };
  if (!valid(options.lr))
    throw Error("invalid learning rate " + std::to_string(options.lr));
  if (!valid(options.momentum))
    throw Error("invalid momentum " + std::to_string(options.momentum));
  if (!valid(options.weightDecay))
    throw Error("invalid weight decay " + std::to_string(options.weightDecay));
  if (!std::isfinite(options.dampening))
    throw Error("invalid dampening " + std::to_string(options.dampening));
  // The same restriction as torch: Nesterov needs plain heavy-ball momentum.
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
    throw Error("nesterov momentum requires a momentum and zero dampening");
  checkTensorTable(params, count, paramCount, "parameter");
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = params[i];
    if (t.frozen || t.numel == 0)
      continue;
    // Integer tensors have no gradient in PyTorch either.
    if (t.dtype != NNCC_DTYPE_F32)
      throw Error(std::string("parameter '") + t.name +
                  "' is not F32 but not frozen; SGD cannot update it");
    trainable_.push_back({t.offset, t.numel});
  }
  if (options.momentum != 0.0)
    momentum_ = AlignedArray<float>(static_cast<size_t>(paramCount));
}

void Sgd::step(float *params, const float *grads) {
  Coefficients c;
  c.lr = static_cast<float>(options_.lr);
  c.momentum = static_cast<float>(options_.momentum);
  // torch computes 1 - dampening in double, then casts it to float.
  c.keep = static_cast<float>(1.0 - options_.dampening);
  c.weightDecay = static_cast<float>(options_.weightDecay);
  c.useMomentum = options_.momentum != 0.0;
  c.nesterov = options_.nesterov;
  c.first = steps_ == 0;
  auto *update = kCpuHasFma ? updateWithFma : updatePortable;
  for (const Range &r : trainable_)
    update(params + r.offset, grads + r.offset,
           c.useMomentum ? momentum_.data() + r.offset : nullptr, r.numel, c);
  ++steps_;
}

} // namespace nncc
