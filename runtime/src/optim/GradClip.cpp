//===- GradClip.cpp - torch.nn.utils.clip_grad_norm_, bit for bit ---------===//
//
// torch 1.13 computes a float 2-norm (AVX2 build) in eight lanes: each lane
// accumulates x*x with an fma over the leading multiple of 8 elements, the
// lanes are summed in order, the tail (up to 7) is added to the sum (four
// rounded squares first if there are that many, then fmas), and the square
// root is taken in float. The total norm is that same reduction over the
// stacked per-tensor norms. The clip coefficient is Python's
// max_norm / (total + 1e-6), i.e. reciprocal(total + 1e-6f) * max_norm in
// float (Tensor.__rdiv__), clamped at 1. Reproducing the order (checked
// on random data of many sizes, up to a million elements) makes the norm, and
// so the clipped gradients, equal to torch's bits rather than merely close: a
// float sum over a million elements is off by 1e-5 relative otherwise.
//
//===----------------------------------------------------------------------===//
#include "nncc/GradClip.h"
#include "nncc/Error.h"
#include "optim/FusedMultiplyAdd.h"
#include "state/TensorTable.h"

#include <cmath>
#include <string>
#include <vector>

namespace nncc {

namespace {

constexpr int kLanes = 8; // Vectorized<float>::size() under AVX2

template <bool HardwareFma>
inline __attribute__((always_inline)) float norm2(const float *x, int64_t n) {
  float lanes[kLanes] = {};
  int64_t d = 0;
  for (; d + kLanes <= n; d += kLanes)
    for (int j = 0; j < kLanes; ++j)
      lanes[j] = fusedMultiplyAdd<HardwareFma>(x[d + j], x[d + j], lanes[j]);
  float sum = lanes[0];
  for (int j = 1; j < kLanes; ++j)
    sum = sum + lanes[j];
  // GCC vectorized torch's scalar tail loop by four without reordering it:
  // four rounded squares added in order, then fma for the rest.
  if (n - d >= 4)
    for (int64_t end = d + 4; d < end; ++d)
      sum = sum + x[d] * x[d];
  for (; d < n; ++d)
    sum = fusedMultiplyAdd<HardwareFma>(x[d], x[d], sum);
  return std::sqrt(sum);
}

NNCC_FMA_TARGET float norm2WithFma(const float *x, int64_t n) {
  return norm2<kTargetHasFma>(x, n);
}

float norm2Portable(const float *x, int64_t n) { return norm2<false>(x, n); }

} // namespace

float gradNorm(const nncc_tensor_info *params, int32_t count,
               int64_t paramCount, const float *grads) {
  checkTensorTable(params, count, paramCount, "parameter");
  auto *norm = cpuHasFma() ? norm2WithFma : norm2Portable;
  std::vector<float> norms;
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = params[i];
    if (!t.frozen && t.dtype == NNCC_DTYPE_F32)
      norms.push_back(norm(grads + t.offset, t.numel));
  }
  // torch returns tensor(0.) when no parameter has a gradient.
  return norms.empty() ? 0.0f : norm(norms.data(), int64_t(norms.size()));
}

float clipGradNorm(const nncc_tensor_info *params, int32_t count,
                   int64_t paramCount, float *grads, double maxNorm,
                   bool errorIfNonfinite) {
  if (!(maxNorm >= 0.0) || !std::isfinite(maxNorm))
    throw Error("invalid maximum gradient norm " + std::to_string(maxNorm));
  float total = gradNorm(params, count, paramCount, grads);
  if (errorIfNonfinite && !std::isfinite(total))
    throw Error("the total norm of the gradients is " +
                std::string(std::isnan(total) ? "nan" : "inf") +
                ", so they cannot be clipped");
  float coef = (1.0f / (total + float(1e-6))) * float(maxNorm);
  // clamp(max=1) keeps a NaN coefficient NaN, as torch does.
  if (coef > 1.0f)
    coef = 1.0f;
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = params[i];
    if (t.frozen || t.dtype != NNCC_DTYPE_F32)
      continue;
    float *g = grads + t.offset;
    for (int64_t k = 0; k < t.numel; ++k)
      g[k] = g[k] * coef;
  }
  return total;
}

} // namespace nncc
