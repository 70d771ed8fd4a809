//===- npz_fuzzer.cpp - libFuzzer target for zip reading and .npz datasets ===//
//
// Any bytes as a .npz: both splits are asked for, which walks the zip
// directory, inflates and CRC-checks members, parses them as .npy and
// builds the dataset (NHWC transposition included).
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  for (bool train : {true, false}) {
    try {
      auto ds = nncc::parseNpzDataset(bytes, "fuzz.npz", train);
      unsigned sum = 0;
      for (int64_t i = 0; i < ds->size(); ++i)
        sum += ds->image(i)[ds->sampleNumel() - 1] + unsigned(ds->label(i));
      volatile unsigned sink = sum;
      (void)sink;
    } catch (const nncc::Error &) {
    }
  }
  return 0;
}
