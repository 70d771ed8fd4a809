//===- nncc/Init.h - parameter initialisation as torch.nn.init --*- C++ -*-===//
//
// Follows the distributions of PyTorch's default layer initialisation (the
// NNCC_INIT_* rules of abi.h) but not torch's random stream: values are
// reproducible for a seed, not bit-identical to torch.manual_seed(seed).
// Golden tests that need identical weights load them from a checkpoint.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_INIT_H
#define NNCC_INIT_H

#include "nncc/abi.h"

#include <cstdint>

namespace nncc {

/// Initialises every parameter and buffer by its table entry's rule.
///
/// Each tensor draws from its own std::mt19937_64 seeded from `seed` and a
/// hash (FNV-1a) of the tensor's name, so a tensor's values do not change
/// when other tensors are added to or removed from the model. A uniform
/// U(-b, b) value is -b + 2b*u with u = (top 24 bits of a draw) * 2^-24.
void initParameters(const nncc_model &model, float *params, float *buffers,
                    uint64_t seed);

/// The bound b of the U(-b, b) rules: 1/sqrt(fan_in), or 0 for fan_in <= 0
/// as torch does for biases of empty layers.
float uniformInitBound(int64_t fanIn);

} // namespace nncc

#endif // NNCC_INIT_H
