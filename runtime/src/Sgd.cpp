//===- Sgd.cpp - torch.optim.SGD, step for step ---------------------------===//
//
// torch's single-tensor SGD, per element d_p of a gradient:
//   d_p = d_p + weight_decay * p                       (if weight_decay != 0)
//   buf = d_p                                          (first step)
//   buf = momentum * buf + (1 - dampening) * d_p       (later steps)
//   d_p = nesterov ? d_p + momentum * buf : buf        (if momentum != 0)
//   p   = p - lr * d_p
// Each line is one float32 rounding, as in torch's add_/mul_ kernels.
//
//===----------------------------------------------------------------------===//
#include "nncc/Sgd.h"
#include "nncc/Error.h"

#include <cmath>
#include <string>

namespace nncc {

Sgd::Sgd(const nncc_tensor_info *params, int32_t count, int64_t paramCount,
         SgdOptions options)
    : options_(options) {
  auto finite = [](float v) { return std::isfinite(v); };
  if (!finite(options.lr) || options.lr < 0.0f)
    throw Error("invalid learning rate " + std::to_string(options.lr));
  if (!finite(options.momentum) || options.momentum < 0.0f)
    throw Error("invalid momentum " + std::to_string(options.momentum));
  if (!finite(options.weightDecay) || options.weightDecay < 0.0f)
    throw Error("invalid weight decay " + std::to_string(options.weightDecay));
  if (!finite(options.dampening))
    throw Error("invalid dampening " + std::to_string(options.dampening));
  // The same restriction as torch: Nesterov needs plain heavy-ball momentum.
  if (options.nesterov &&
      (options.momentum <= 0.0f || options.dampening != 0.0f))
    throw Error("nesterov momentum requires a momentum and zero dampening");
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = params[i];
    if (t.offset < 0 || t.numel < 0 || t.offset + t.numel > paramCount)
      throw Error(std::string("parameter '") + t.name +
                  "' lies outside the parameter array");
    if (!t.frozen && t.numel > 0)
      trainable_.push_back({t.offset, t.numel});
  }
  if (options.momentum != 0.0f)
    momentum_ = AlignedArray<float>(static_cast<size_t>(paramCount));
}

void Sgd::step(float *params, const float *grads) {
  const float lr = options_.lr, momentum = options_.momentum;
  const float weightDecay = options_.weightDecay;
  // torch passes alpha=1-dampening as a Python double, cast to float.
  const float keep = static_cast<float>(1.0 - double(options_.dampening));
  const bool first = steps_ == 0;
  for (const Range &r : trainable_) {
    float *p = params + r.offset;
    const float *g = grads + r.offset;
    float *buf = momentum_.data() ? momentum_.data() + r.offset : nullptr;
    for (int64_t i = 0; i < r.numel; ++i) {
      float d = g[i];
      if (weightDecay != 0.0f)
        d = d + weightDecay * p[i];
      if (momentum != 0.0f) {
        float b = first ? d : momentum * buf[i] + keep * d;
        buf[i] = b;
        d = options_.nesterov ? d + momentum * b : b;
      }
      p[i] = p[i] - lr * d;
    }
  }
  ++steps_;
}

} // namespace nncc
