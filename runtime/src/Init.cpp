//===- Init.cpp - torch.nn.init rules on PyTorch's random stream ----------===//
//
// Tensors draw, in table (state_dict) order, from one TorchGenerator, the way
// PyTorch's layer constructors draw from the global generator; the bounds are
// computed in double exactly as torch.nn.init's Python code does, so a seed
// gives PyTorch's initial weights bit for bit.
//
//===----------------------------------------------------------------------===//
#include "nncc/Init.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nncc {

float uniformInitBound(int64_t fanIn) {
  return fanIn > 0 ? static_cast<float>(1.0 / std::sqrt(double(fanIn))) : 0.0f;
}

/// kaiming_uniform_(a=sqrt(5)): gain = sqrt(2/(1+a^2)), bound =
/// sqrt(3)*gain/sqrt(fan_in), in double like torch.nn.init (1/sqrt(fan_in)
/// up to rounding, which matters for bit-identical weights).
static float kaimingUniformA5Bound(int64_t fanIn) {
  if (fanIn <= 0)
    return 0.0f;
  double a = std::sqrt(5.0);
  double gain = std::sqrt(2.0 / (1 + a * a));
  double std = gain / std::sqrt(static_cast<double>(fanIn));
  return static_cast<float>(std::sqrt(3.0) * std);
}

static void initTable(const nncc_tensor_info *table, int32_t count,
                      int64_t arrayCount, float *array,
                      TorchGenerator &generator, const char *kind) {
  for (int32_t i = 0; i < count; ++i) {
    const nncc_tensor_info &t = table[i];
    if (t.offset < 0 || t.numel < 0 || t.offset + t.numel > arrayCount)
      throw Error(std::string(kind) + " '" + t.name +
                  "' lies outside its flat array");
    float *p = array + t.offset;
    switch (t.init) {
    case NNCC_INIT_ZEROS:
      std::fill(p, p + t.numel, 0.0f);
      break;
    case NNCC_INIT_ONES:
      std::fill(p, p + t.numel, 1.0f);
      break;
    case NNCC_INIT_KAIMING_UNIFORM_A5:
    case NNCC_INIT_UNIFORM_FAN_IN: {
      float bound = t.init == NNCC_INIT_KAIMING_UNIFORM_A5
                        ? kaimingUniformA5Bound(t.fan_in)
                        : uniformInitBound(t.fan_in);
      for (int64_t k = 0; k < t.numel; ++k)
        p[k] = generator.uniform(-bound, bound);
      break;
    }
    default:
      throw Error(std::string(kind) + " '" + t.name +
                  "' has unknown init rule " + std::to_string(t.init));
    }
  }
}

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
