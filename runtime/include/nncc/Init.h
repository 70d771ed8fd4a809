//===- nncc/Init.h - parameter initialisation as torch.nn.init --*- C++ -*-===//
//
// PyTorch's default layer initialisation (the NNCC_INIT_* rules of abi.h) on
// PyTorch's random stream: after torch.manual_seed(S), building the same
// model in PyTorch gives the weights initParameters(..., S) gives.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_INIT_H
#define NNCC_INIT_H

#include "nncc/TorchRandom.h"
#include "nncc/abi.h"

#include <cstdint>

namespace nncc {

/// Initialises every parameter and buffer by its table entry's rule, drawing
/// from `generator` in table order (leaving it where PyTorch's global
/// generator would be after constructing the model).
void initParameters(const nncc_model &model, float *params, float *buffers,
                    TorchGenerator &generator);
/// The same from a fresh generator: torch.manual_seed(seed), then the model.
void initParameters(const nncc_model &model, float *params, float *buffers,
                    uint64_t seed);

/// The bound b of the U(-b, b) rules: 1/sqrt(fan_in), or 0 for fan_in <= 0
/// as torch does for biases of empty layers.
float uniformInitBound(int64_t fanIn);

} // namespace nncc

#endif // NNCC_INIT_H
