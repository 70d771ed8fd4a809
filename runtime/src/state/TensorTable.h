//===- TensorTable.h - checks and sizes of generated tensor tables --------===//
//
// Tensor tables come from generated code, but a wrong entry would make the
// runtime read or write outside the flat arrays, so every consumer (init,
// checkpoints, SGD, the trainer) checks them like file input, here.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TENSORTABLE_H
#define NNCC_RUNTIME_TENSORTABLE_H

#include "nncc/abi.h"

#include <cstdint>
#include <vector>

namespace nncc {

/// 4-byte slots the tensor takes in its flat array: two per I64 element.
inline int64_t tensorSlots(const nncc_tensor_info &t) {
  return t.dtype == NNCC_DTYPE_I64 ? 2 * t.numel : t.numel;
}

/// The PyTorch shape: [] for rank 0 (BatchNorm's num_batches_tracked).
inline std::vector<int64_t> tensorShape(const nncc_tensor_info &t) {
  return std::vector<int64_t>(t.shape, t.shape + t.rank);
}

/// Throws nncc::Error naming the first entry of `table[0..count)` that is
/// inconsistent (rank, shape and numel; dtype) or does not lie within a flat
/// array of `arraySlots` slots (an I64 tensor must also start at an even
/// slot, so its elements are 8-byte aligned). `kind` is "parameter" or
/// "buffer".
void checkTensorTable(const nncc_tensor_info *table, int32_t count,
                      int64_t arraySlots, const char *kind);

} // namespace nncc

#endif // NNCC_RUNTIME_TENSORTABLE_H
