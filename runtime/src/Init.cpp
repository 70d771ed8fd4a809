//===- Init.cpp - torch.nn.init rules with a reproducible stream ----------===//
//
// kaiming_uniform_(a=sqrt(5)) has gain sqrt(2/(1+5)) and bound
// gain*sqrt(3/fan_in) = 1/sqrt(fan_in): the same bound as PyTorch's default
// bias init, which is why both rules share uniformInitBound().
//
//===----------------------------------------------------------------------===//
#include "nncc/Init.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace nncc {

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; ++s)
    h = (h ^ static_cast<unsigned char>(*s)) * 0x100000001b3ull;
  return h;
}

float uniformInitBound(int64_t fanIn) {
  return fanIn > 0 ? static_cast<float>(1.0 / std::sqrt(double(fanIn))) : 0.0f;
}

static void initTable(const nncc_tensor_info *table, int32_t count,
                      int64_t arrayCount, float *array, uint64_t seed,
                      const char *kind) {
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
      std::mt19937_64 rng(seed ^ fnv1a(t.name));
      float bound = uniformInitBound(t.fan_in);
      for (int64_t k = 0; k < t.numel; ++k) {
        float u = static_cast<float>(rng() >> 40) * 0x1.0p-24f;
        p[k] = -bound + 2.0f * bound * u;
      }
      break;
    }
    default:
      throw Error(std::string(kind) + " '" + t.name +
                  "' has unknown init rule " + std::to_string(t.init));
    }
  }
}

void initParameters(const nncc_model &model, float *params, float *buffers,
                    uint64_t seed) {
  initTable(model.params, model.num_params, model.param_count, params, seed,
            "parameter");
  initTable(model.buffers, model.num_buffers, model.buffer_count, buffers, seed,
            "buffer");
}

} // namespace nncc
