//===- nncc/Checkpoint.h - model state as safetensors -----------*- C++ -*-===//
//
// A checkpoint holds a model's parameters and buffers under their PyTorch
// state_dict names, so `torch.load_state_dict` can take what nncc trained
// and the other way round. Buffers named "*num_batches_tracked" are stored
// as I64, as PyTorch keeps them; everything else is F32.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CHECKPOINT_H
#define NNCC_CHECKPOINT_H

#include "nncc/abi.h"

#include <string>

namespace nncc {

/// Writes params and buffers atomically; metadata records the model name.
void saveCheckpoint(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers);

/// Reads a checkpoint into params and buffers (F32 or I64 tensors). Every
/// table entry must be present with its exact shape, and nothing else may
/// be; otherwise throws one Error listing each missing, unexpected and
/// wrongly-shaped tensor, and leaves params and buffers untouched.
void loadCheckpoint(const std::string &path, const nncc_model &model,
                    float *params, float *buffers);

} // namespace nncc

#endif // NNCC_CHECKPOINT_H
