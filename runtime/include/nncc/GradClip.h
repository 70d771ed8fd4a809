//===- nncc/GradClip.h - clipping by global norm ----------------*- C++ -*-===//
//
// torch.nn.utils.clip_grad_norm_(parameters, max_norm) of torch 1.13 (norm
// type 2) on a model's flat gradient array, with torch's float roundings:
// the norm of each tensor's gradient, the norm of those norms, then every
// gradient times min(max_norm / (total + 1e-6), 1).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_GRADCLIP_H
#define NNCC_GRADCLIP_H

#include "nncc/abi.h"

#include <cstdint>

namespace nncc {

/// The 2-norm of the gradients of the table's non-frozen F32 tensors (frozen
/// ones have none), as one vector; torch's total_norm, bit for bit.
float gradNorm(const nncc_tensor_info *params, int32_t count,
               int64_t paramCount, const float *grads);

/// Scales `grads` so their global norm is at most `maxNorm` and returns the
/// norm before clipping. A non-finite norm is returned as it is, and (as in
/// torch with error_if_nonfinite=False) the gradients are still scaled, by
/// 0 for an infinite norm and NaN for a NaN one: callers check the result
/// with std::isfinite before they step. With `errorIfNonfinite` it throws
/// nncc::Error instead and leaves the gradients alone. Throws for a negative
/// or non-finite `maxNorm`.
float clipGradNorm(const nncc_tensor_info *params, int32_t count,
                   int64_t paramCount, float *grads, double maxNorm,
                   bool errorIfNonfinite = false);
inline float clipGradNorm(const nncc_model &model, float *grads, double maxNorm,
                          bool errorIfNonfinite = false) {
  return clipGradNorm(model.params, model.num_params, model.param_count, grads,
                      maxNorm, errorIfNonfinite);
}

} // namespace nncc

#endif // NNCC_GRADCLIP_H
