//===- TrainChecks.h - up-front checks and small helpers of the trainer ---===//
//
// Everything that can be verified before the first step is, so that a job
// fails in its first second rather than after an epoch of training.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_TRAINCHECKS_H
#define NNCC_RUNTIME_TRAINCHECKS_H

#include "nncc/Dataset.h"
#include "nncc/abi.h"

#include <cstdint>
#include <string>

namespace nncc {

/// The model's name for messages ("?" when the descriptor has none).
std::string modelName(const nncc_model &m);

/// Entry points present, descriptor fields in range, tensor tables
/// consistent.
void checkModel(const nncc_model &m);

/// The model's input takes this dataset's samples and every label is one of
/// its classes; `what` ("training", "test") names the split and `source`
/// ("npz=data.npz") the data in messages.
void checkDataset(const nncc_model &m, const Dataset &ds,
                  const std::string &what, const std::string &source);

/// The directory `path` will be written into exists and is writable (no-op
/// for an empty path); `flag` names the option in the message.
void checkOutputPath(const std::string &path, const char *flag);

/// Where a non-finite value first shows, in state_dict order: "parameter
/// 'x'" for the first tensor of `params` holding a NaN or infinity, else
/// "gradient of 'x'" for the first such tensor of `grads`, else "". The
/// generated code exposes no layer outputs, so this is the closest the
/// trainer can get to the layer where training broke.
/// Replays the training forward of a step (same parameters, batch and
/// seed) through the model's probe and names the first layer, in graph
/// order, whose output has a NaN or infinity: "'layers.3 (Linear)' (12 of
/// 640 values)". Empty when the model has no probe or every output is
/// finite.
std::string firstNonFiniteLayer(const nncc_model &m, const float *params,
                                const float *buffers, const float *images,
                                const int64_t *labels, int64_t batch,
                                uint64_t seed, void *workspace,
                                const nncc_exec *exec);

std::string firstNonFinite(const nncc_model &m, const float *params,
                           const float *grads);

/// Correct predictions among `batch` rows of logits; ties go to the first
/// maximum as in torch.argmax, and a NaN row never counts as correct.
int64_t countCorrect(const float *logits, const int64_t *labels, int64_t batch,
                     int64_t classes);

} // namespace nncc

#endif // NNCC_RUNTIME_TRAINCHECKS_H
