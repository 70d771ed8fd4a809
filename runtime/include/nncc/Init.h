//===- nncc/Init.h - parameter initialisation as torch.nn.init --*- C++ -*-===//
//
// torch.nn.init's rules (the NNCC_INIT_* of abi.h: PyTorch's layer defaults,
// kaiming_{uniform,normal}_ and xavier_{uniform,normal}_) on PyTorch's random
// stream: after torch.manual_seed(S), building the same model in PyTorch
// gives the weights initParameters(..., S) gives, bit for bit (normal_ as
// torch computes it on x86 CPUs with AVX2; see TorchRandom.h).
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
/// generator would be after constructing the model). I64 tensors take the
/// constant rules only, written over both slots of each element. Throws
/// nncc::Error for an inconsistent table entry or an unknown rule.
void initParameters(const nncc_model &model, float *params, float *buffers,
                    TorchGenerator &generator);
/// The same from a fresh generator: torch.manual_seed(seed), then the model.
void initParameters(const nncc_model &model, float *params, float *buffers,
                    uint64_t seed);

/// The bound b of NNCC_INIT_UNIFORM_FAN_IN's U(-b, b) (PyTorch's default
/// bias): 1/sqrt(fan_in), or 0 for fan_in <= 0 as torch does for biases of
/// empty layers.
float uniformInitBound(int64_t fanIn);

} // namespace nncc

#endif // NNCC_INIT_H
