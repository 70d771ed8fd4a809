//===- idx_fuzzer.cpp - libFuzzer target for the IDX reader ---------------===//
//
// The input is an image file and a label file: the first two bytes (little
// endian) say how many of the remaining bytes belong to the images. Any
// split must give a dataset or an nncc::Error, never a crash or an
// allocation sized by a header's claim.
//
//===----------------------------------------------------------------------===//
#include "nncc/Dataset.h"
#include "nncc/Error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  size_t split = (data[0] | size_t(data[1]) << 8) % (size - 1);
  std::vector<uint8_t> images(data + 2, data + 2 + split),
      labels(data + 2 + split, data + size);
  try {
    nncc::IdxDataset ds =
        nncc::IdxDataset::fromBytes(images, "images", labels, "labels");
    // Touch every byte the dataset claims to have.
    unsigned sum = 0;
    for (int64_t i = 0; i < ds.size(); ++i) {
      nncc::Sample s = ds.get(i);
      for (int64_t k = 0; k < ds.sampleNumel(); ++k)
        sum += s.image[k];
      sum += unsigned(s.label);
    }
    volatile unsigned sink = sum;
    (void)sink;
  } catch (const nncc::Error &) {
  }
  return 0;
}
