//===- checkpoint_fuzzer.cpp - libFuzzer target for checkpoints and state -===//
//
// Any bytes as a checkpoint and as a training state file of a small model
// with an F32 and an I64 tensor: loading must succeed or throw nncc::Error,
// never crash, read outside the file or allocate what a header merely
// claims; what loads must be usable (the generator state draws, the loader
// order is in range of the count it claims).
//
//===----------------------------------------------------------------------===//
#include "nncc/Checkpoint.h"
#include "nncc/Error.h"
#include "nncc/Safetensors.h"
#include "nncc/TorchRandom.h"
#include "nncc/TrainState.h"

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace nncc;

namespace {

// The model the seed corpus was saved from (see corpus/checkpoint).
const nncc_tensor_info kParams[] = {{"fc.weight",
                                     2,
                                     {3, 4, 0, 0},
                                     0,
                                     12,
                                     NNCC_INIT_ZEROS,
                                     4,
                                     3,
                                     0,
                                     NNCC_DTYPE_F32,
                                     0},
                                    {"fc.bias",
                                     1,
                                     {3, 0, 0, 0},
                                     16,
                                     3,
                                     NNCC_INIT_ZEROS,
                                     4,
                                     3,
                                     0,
                                     NNCC_DTYPE_F32,
                                     0}};
const nncc_tensor_info kBuffers[] = {{"bn.num_batches_tracked",
                                      0,
                                      {0, 0, 0, 0},
                                      0,
                                      1,
                                      NNCC_INIT_ZEROS,
                                      0,
                                      0,
                                      1,
                                      NNCC_DTYPE_I64,
                                      0}};
const nncc_model kModel = {"fuzz",  1,       {4, 0, 0, 0}, 3, kParams, 2,
                           19,      0,       kBuffers,     1, 2,       nullptr,
                           nullptr, nullptr, nullptr};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  TensorFile file;
  try {
    file = parseSafetensors(data, size, "fuzz.safetensors");
  } catch (const Error &) {
    return 0;
  }
  std::vector<float> params(19), buffers(2);
  try {
    loadModelTensors(file, "fuzz.safetensors", kModel, params.data(),
                     buffers.data());
  } catch (const Error &) {
  }
  try {
    TrainState st = trainStateFromFile(file, "fuzz.state.safetensors", kModel,
                                       params.data(), buffers.data());
    TorchGenerator g(0);
    g.setState(st.generator, "fuzz");
    g.random64();
    float normal[2];
    g.normal(normal, 2, 0, 1);
    // Touch every index of the (fuzzed, unchecked) order; unsigned, so a
    // sum of arbitrary values wraps instead of overflowing.
    uint64_t sum = 0;
    for (int64_t i : st.loader.order)
      sum += static_cast<uint64_t>(i);
    (void)sum;
  } catch (const Error &) {
  }
  return 0;
}
