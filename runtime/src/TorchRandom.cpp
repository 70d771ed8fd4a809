//===- TorchRandom.cpp - PyTorch's CPU randperm ---------------------------===//
#include "nncc/TorchRandom.h"

namespace nncc {

std::vector<int64_t> torchRandperm(int64_t n, uint64_t seed) {
  std::vector<int64_t> r(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    r[i] = i;
  TorchGenerator generator(seed);
  for (int64_t i = 0; i + 1 < n; ++i) {
    int64_t z = static_cast<int64_t>(generator.random() % uint64_t(n - i));
    std::swap(r[i], r[z + i]);
  }
  return r;
}

} // namespace nncc
