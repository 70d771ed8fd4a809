//===- cifar_fuzzer.cpp - libFuzzer target for CIFAR batch files ----------===//
//
// The first byte picks CIFAR-10, CIFAR-100 fine or coarse; the rest is a
// batch file.
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static const nncc::CifarKind kinds[] = {nncc::CifarKind::Cifar10,
                                          nncc::CifarKind::Cifar100Fine,
                                          nncc::CifarKind::Cifar100Coarse};
  std::vector<uint8_t> bytes(data + 1, data + size), images;
  std::vector<int64_t> labels;
  try {
    nncc::parseCifarBatch(bytes, "batch.bin", kinds[data[0] % 3], images,
                          labels);
    if (images.size() != labels.size() * 3072)
      __builtin_trap();
  } catch (const nncc::Error &) {
  }
  return 0;
}
