//===- FakeModel.h - a hand-written nncc_model for trainer tests ----------===//
//
// What the compiler would generate for Flatten -> Linear(16, 3) with
// CrossEntropy, written by hand: softmax regression on 1x4x4 images. It also
// keeps an I64 step counter buffer (like BatchNorm's num_batches_tracked),
// checks that the runtime passes 64-byte aligned arrays, and records what
// each train_step call was given, so tests can check the trainer's seeds.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TESTS_RUNTIME_FAKEMODEL_H
#define NNCC_TESTS_RUNTIME_FAKEMODEL_H

#include "nncc/abi.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace nncc::test {

constexpr int kFeatures = 16, kClasses = 3;

/// Set when an entry point saw a misaligned array; tests expect false.
inline bool fakeSawMisaligned = false;
/// If > 0, train_step reports a NaN loss on this call (1-based).
inline int64_t fakeNanAtCall = 0;
inline int64_t fakeCalls = 0;
/// Per train_step call: its seed, and a checksum of its batch (the labels
/// weighted by position), which tells batch orders apart.
inline std::vector<uint64_t> fakeSeeds;
inline std::vector<uint64_t> fakeBatchSums;
/// Per train_step call: the thread count of its execution context (0: none).
inline std::vector<int32_t> fakeExecThreads;

inline uint64_t fakeBatchSum(const int64_t *target, int64_t batch) {
  uint64_t sum = uint64_t(batch);
  for (int64_t b = 0; b < batch; ++b)
    sum = sum * 31 + uint64_t(target[b]);
  return sum;
}

/// The I64 counter in buffer slots 0 and 1.
inline int64_t fakeCounter(const float *buffers) {
  int64_t n;
  std::memcpy(&n, buffers, sizeof n);
  return n;
}

inline void fakeCheckAligned(const void *p) {
  if (reinterpret_cast<uintptr_t>(p) % 64 != 0)
    fakeSawMisaligned = true;
}

/// Softmax cross-entropy; writes logits, returns the mean loss and, when
/// `grads` is given, the gradients of the mean loss.
inline float fakeForward(const float *params, const float *x, const int64_t *y,
                         int64_t batch, float *probs, float *logits,
                         float *grads) {
  const float *w = params, *bias = params + kFeatures * kClasses;
  double loss = 0;
  if (grads)
    for (int i = 0; i < kFeatures * kClasses + kClasses; ++i)
      grads[i] = 0;
  for (int64_t b = 0; b < batch; ++b) {
    const float *xb = x + b * kFeatures;
    float *z = logits + b * kClasses, *p = probs + b * kClasses;
    float maxZ = -INFINITY;
    for (int c = 0; c < kClasses; ++c) {
      z[c] = bias[c];
      for (int k = 0; k < kFeatures; ++k)
        z[c] += w[c * kFeatures + k] * xb[k];
      maxZ = std::fmax(maxZ, z[c]);
    }
    float sum = 0;
    for (int c = 0; c < kClasses; ++c)
      sum += p[c] = std::exp(z[c] - maxZ);
    for (int c = 0; c < kClasses; ++c)
      p[c] /= sum;
    loss -= std::log(p[y[b]]);
    if (!grads)
      continue;
    for (int c = 0; c < kClasses; ++c) {
      float d = (p[c] - (c == y[b] ? 1.0f : 0.0f)) / float(batch);
      for (int k = 0; k < kFeatures; ++k)
        grads[c * kFeatures + k] += d * xb[k];
      grads[kFeatures * kClasses + c] += d;
    }
  }
  return float(loss / double(batch));
}

inline void fakeTrainStep(const float *params, float *grads, float *buffers,
                          const float *input, const int64_t *target,
                          int64_t batch, uint64_t seed, void *workspace,
                          const nncc_exec *exec, float *loss, float *logits) {
  for (const void *p : {(const void *)params, (const void *)grads,
                        (const void *)buffers, (const void *)workspace})
    fakeCheckAligned(p);
  fakeSeeds.push_back(seed);
  fakeExecThreads.push_back(exec ? exec->threads : 0);
  fakeBatchSums.push_back(fakeBatchSum(target, batch));
  *loss = fakeForward(params, input, target, batch,
                      static_cast<float *>(workspace), logits, grads);
  int64_t count = fakeCounter(buffers) + 1;
  std::memcpy(buffers, &count, sizeof count);
  if (++fakeCalls == fakeNanAtCall)
    *loss = NAN;
}

inline void fakeEvalStep(const float *params, const float *buffers,
                         const float *input, const int64_t *target,
                         int64_t batch, void *workspace, const nncc_exec *,
                         float *loss, float *logits) {
  fakeCheckAligned(params);
  fakeCheckAligned(buffers);
  fakeCheckAligned(workspace);
  *loss = fakeForward(params, input, target, batch,
                      static_cast<float *>(workspace), logits, nullptr);
}

inline size_t fakeWorkspaceSize(int64_t batch, int32_t) {
  return size_t(batch) * kClasses * sizeof(float);
}

// clang-format off
inline const nncc_tensor_info fakeParams[] = {
    // name, rank, shape, offset, numel, init, fan_in, fan_out, frozen,
    // dtype, init_param
    {"fc.weight", 2, {kClasses, kFeatures, 0, 0}, 0, kClasses * kFeatures,
     NNCC_INIT_KAIMING_UNIFORM_A5, kFeatures, kClasses, 0, NNCC_DTYPE_F32, 0},
    {"fc.bias", 1, {kClasses, 0, 0, 0}, kClasses * kFeatures, kClasses,
     NNCC_INIT_UNIFORM_FAN_IN, kFeatures, kClasses, 0, NNCC_DTYPE_F32, 0}};
inline const nncc_tensor_info fakeBuffers[] = {
    {"fc.num_batches_tracked", 0, {0, 0, 0, 0}, 0, 1, NNCC_INIT_ZEROS, 0, 0,
     1, NNCC_DTYPE_I64, 0}};

inline const nncc_model fakeModel = {
    "linear", 3, {1, 4, 4, 0}, kClasses,
    fakeParams, 2, kClasses * kFeatures + kClasses, /*has_dropout=*/0,
    fakeBuffers, 1, /*buffer_count=*/2,
    fakeTrainStep, fakeEvalStep, nullptr, fakeWorkspaceSize};
// clang-format on

} // namespace nncc::test

#endif // NNCC_TESTS_RUNTIME_FAKEMODEL_H
