//===- nncc/Checkpoint.h - model state as safetensors -----------*- C++ -*-===//
//
// A checkpoint holds a model's parameters and buffers under their PyTorch
// state_dict names, so `torch.load_state_dict` can take what nncc trained
// and the other way round. Each tensor is stored with its table dtype (F32,
// or I64 for BatchNorm's num_batches_tracked, as PyTorch keeps it) and its
// PyTorch shape (rank 0 is shape []).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CHECKPOINT_H
#define NNCC_CHECKPOINT_H

#include "nncc/Safetensors.h"
#include "nncc/abi.h"

#include <string>

namespace nncc {

/// Writes params and buffers atomically; metadata records the model name.
void saveCheckpoint(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers);

/// Reads a checkpoint into params and buffers. Every table entry must be
/// present with its exact shape and dtype, and nothing else may be;
/// otherwise throws one Error listing each missing, unexpected,
/// wrongly-shaped and wrongly-typed tensor, and leaves params and buffers
/// untouched.
void loadCheckpoint(const std::string &path, const nncc_model &model,
                    float *params, float *buffers);

/// The model's tensors appended to `file` as `prefix + name` (the training
/// state file keeps them under "model."), in table order.
void appendModelTensors(TensorFile &file, const nncc_model &model,
                        const float *params, const float *buffers,
                        const std::string &prefix = "");
/// What loadCheckpoint does, over tensors named `prefix + name` in an
/// already-read file; tensors outside `prefix` are ignored. `path` only
/// names the file in the error.
void loadModelTensors(const TensorFile &file, const std::string &path,
                      const nncc_model &model, float *params, float *buffers,
                      const std::string &prefix = "");

} // namespace nncc

#endif // NNCC_CHECKPOINT_H
