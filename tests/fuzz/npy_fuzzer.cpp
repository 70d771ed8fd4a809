//===- npy_fuzzer.cpp - libFuzzer target for the .npy parser --------------===//
//
// Any bytes as a .npy file: an array whose data length matches its shape
// and dtype, or an nncc::Error.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Npy.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  try {
    nncc::NpyArray a =
        nncc::parseNpy(std::vector<uint8_t>(data, data + size), "fuzz.npy");
    if (uint64_t(a.numel()) * uint64_t(a.itemSize()) != a.data.size())
      __builtin_trap();
    if (a.dtype != "<f4" && a.dtype != "<f8")
      for (int64_t i = 0; i < a.numel() && i < 4096; ++i)
        nncc::npyInteger(a, i, "fuzz.npy");
  } catch (const nncc::Error &) {
  }
  return 0;
}
