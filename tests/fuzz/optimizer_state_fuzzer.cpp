//===- optimizer_state_fuzzer.cpp - libFuzzer target for optimizer state --===//
//
// Any bytes as a training state file's optimizer and scheduler part (the
// safetensors parser first), and any bytes as a --scheduler flag value:
// loading must succeed or throw nncc::Error, never crash or read outside
// the tensors, and what loads must be usable for a step.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/OptimizerConfig.h"
#include "nncc/Safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace nncc;

namespace {

nncc_tensor_info tensor(const char *name, int32_t rank, int64_t d0, int64_t d1,
                        int64_t offset, int32_t frozen) {
  nncc_tensor_info t{};
  t.name = name;
  t.rank = rank;
  t.shape[0] = d0;
  t.shape[1] = d1;
  t.offset = offset;
  t.numel = rank == 2 ? d0 * d1 : d0;
  t.frozen = frozen;
  t.dtype = NNCC_DTYPE_F32;
  return t;
}

// The table the seed corpus was saved from (see corpus/optimizer_state).
const nncc_tensor_info kTable[] = {tensor("fc.weight", 2, 3, 5, 0, 0),
                                   tensor("fc.bias", 1, 3, 0, 16, 0),
                                   tensor("emb", 1, 4, 0, 32, 1)};
constexpr int64_t kSlots = 36;

void tryLoad(const TensorFile &file, OptimizerKind kind) {
  OptimizerConfig c;
  c.kind = kind;
  c.momentum = 0.9;
  c.amsgrad = true;
  c.noDecayNormBias = true;
  auto opt = makeOptimizer(kTable, 3, kSlots, c);
  auto sched =
      makeScheduler(*opt, parseSchedulerSpec("cosine:warmup=2"), 10, 1);
  try {
    opt->loadState(file, "fuzz.safetensors");
    sched->loadState(file, "fuzz.safetensors");
  } catch (const Error &) {
    return;
  }
  std::vector<float> params(kSlots, 0.5f), grads(kSlots, 0.25f);
  opt->step(params.data(), grads.data());
  try {
    sched->step();
  } catch (const Error &) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  try {
    parseSchedulerSpec(std::string(reinterpret_cast<const char *>(data),
                                   size < 256 ? size : 256));
  } catch (const Error &) {
  }
  TensorFile file;
  try {
    file = parseSafetensors(data, size, "fuzz.safetensors");
  } catch (const Error &) {
    return 0;
  }
  for (OptimizerKind kind :
       {OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW})
    tryLoad(file, kind);
  return 0;
}
