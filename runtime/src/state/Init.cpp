//===- Init.cpp - torch.nn.init rules on PyTorch's random stream ----------===//
//
// Tensors draw, in table (state_dict) order, from one TorchGenerator, the way
// PyTorch's layer constructors draw from the global generator. Bounds and
// standard deviations are computed in double exactly as torch.nn.init's
// Python code does (a different rounding of the bound changes the weights),
// and uniform_/normal_ are TorchGenerator's copies of torch's kernels, so a
// seed gives PyTorch's initial weights bit for bit.
//
//===----------------------------------------------------------------------===//
#include "nncc/Init.h"
#include "nncc/Error.h"
#include "state/TensorTable.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace nncc {

float uniformInitBound(int64_t fanIn) {
  return fanIn > 0 ? static_cast<float>(1.0 / std::sqrt(double(fanIn))) : 0.0f;
}

namespace {

/// calculate_gain('leaky_relu', a) / sqrt(fan_in): kaiming_*_'s std for
/// mode='fan_in'.
double kaimingStd(double a, int64_t fanIn) {
  double gain = std::sqrt(2.0 / (1 + a * a));
  return gain / std::sqrt(static_cast<double>(fanIn));
}

/// xavier_*_'s std: gain * sqrt(2 / (fan_in + fan_out)).
double xavierStd(double gain, int64_t fanIn, int64_t fanOut) {
  return gain * std::sqrt(2.0 / static_cast<double>(fanIn + fanOut));
}

/// The U(-b, b) rules' b = sqrt(3) * std, as torch computes it.
double uniformBound(double std) { return std::sqrt(3.0) * std; }

/// PyTorch's tensor.uniform_(-bound, bound): the bound becomes a float first.
void fillUniform(float *p, int64_t n, double bound, TorchGenerator &g) {
  float b = static_cast<float>(bound);
  for (int64_t k = 0; k < n; ++k)
    p[k] = g.uniform(-b, b);
}

void initF32(const nncc_tensor_info &t, float *p, TorchGenerator &g,
             const std::string &what) {
  // torch.nn.init returns before any draw for zero-element tensors; for the
  // others a fan of zero would be a division by zero in Python too.
  bool needsFanIn =
      t.init == NNCC_INIT_KAIMING_UNIFORM || t.init == NNCC_INIT_KAIMING_NORMAL;
  bool needsFans =
      t.init == NNCC_INIT_XAVIER_UNIFORM || t.init == NNCC_INIT_XAVIER_NORMAL;
  if (t.numel > 0 && ((needsFanIn && t.fan_in <= 0) ||
                      (needsFans && (t.fan_in < 0 || t.fan_out < 0 ||
                                     t.fan_in + t.fan_out <= 0))))
    throw Error(what + " has fan_in " + std::to_string(t.fan_in) +
                " and fan_out " + std::to_string(t.fan_out) +
                ", which its init rule cannot use");
  if ((needsFanIn || needsFans) && !std::isfinite(t.init_param))
    throw Error(what + " has a non-finite init parameter");
  switch (t.init) {
  case NNCC_INIT_ZEROS:
    std::fill(p, p + t.numel, 0.0f);
    return;
  case NNCC_INIT_ONES:
    std::fill(p, p + t.numel, 1.0f);
    return;
  case NNCC_INIT_KAIMING_UNIFORM_A5:
    // kaiming_uniform_(w, a=sqrt(5)), Linear's and Conv's default weight.
    if (t.fan_in > 0)
      fillUniform(p, t.numel,
                  uniformBound(kaimingStd(std::sqrt(5.0), t.fan_in)), g);
    else
      fillUniform(p, t.numel, 0.0, g);
    return;
  case NNCC_INIT_UNIFORM_FAN_IN:
    fillUniform(p, t.numel, uniformInitBound(t.fan_in), g);
    return;
  case NNCC_INIT_KAIMING_UNIFORM:
    if (t.numel > 0)
      fillUniform(p, t.numel, uniformBound(kaimingStd(t.init_param, t.fan_in)),
                  g);
    return;
  case NNCC_INIT_KAIMING_NORMAL:
    if (t.numel > 0)
      g.normal(p, t.numel, 0.0, kaimingStd(t.init_param, t.fan_in));
    return;
  case NNCC_INIT_XAVIER_UNIFORM:
    fillUniform(p, t.numel,
                uniformBound(xavierStd(t.init_param, t.fan_in, t.fan_out)), g);
    return;
  case NNCC_INIT_XAVIER_NORMAL:
    g.normal(p, t.numel, 0.0, xavierStd(t.init_param, t.fan_in, t.fan_out));
    return;
  }
  throw Error(what + " has unknown init rule " + std::to_string(t.init));
}

/// I64 tensors (BatchNorm's num_batches_tracked) are counters: constant
/// rules only, each element written over both of its slots.
void initI64(const nncc_tensor_info &t, float *slots, const std::string &what) {
  if (t.init != NNCC_INIT_ZEROS && t.init != NNCC_INIT_ONES)
    throw Error(what + " is I64, which init rule " + std::to_string(t.init) +
                " cannot fill (only zeros and ones)");
  int64_t value = t.init == NNCC_INIT_ONES ? 1 : 0;
  for (int64_t k = 0; k < t.numel; ++k)
    std::memcpy(slots + 2 * k, &value, sizeof value);
}

void initTable(const nncc_tensor_info *table, int32_t count, int64_t arraySlots,
               float *array, TorchGenerator &generator, const char *kind) {
  checkTensorTable(table, count, arraySlots, kind);
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = table[i];
    std::string what = std::string(kind) + " '" + t.name + "'";
    if (t.dtype == NNCC_DTYPE_I64)
      initI64(t, array + t.offset, what);
    else
      initF32(t, array + t.offset, generator, what);
  }
}

} // namespace

void initParameters(const nncc_model &model, float *params, float *buffers,
                    TorchGenerator &generator) {
  initTable(model.params, model.num_params, model.param_count, params,
            generator, "parameter");
  initTable(model.buffers, model.num_buffers, model.buffer_count, buffers,
            generator, "buffer");
}

void initParameters(const nncc_model &model, float *params, float *buffers,
                    uint64_t seed) {
  TorchGenerator generator(seed);
  initParameters(model, params, buffers, generator);
}

} // namespace nncc
