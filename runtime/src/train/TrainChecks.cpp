//===- TrainChecks.cpp - up-front checks and small helpers of the trainer -===//
//
// The model descriptor comes from generated code and the data from disk;
// neither is trusted to agree with the other until checked here.
//
//===----------------------------------------------------------------------===//
#include "train/TrainChecks.h"

#include "nncc/Error.h"
#include "state/TensorTable.h"
#include "train/Argmax.h"

#include <cmath>
#include <unistd.h>
#include <vector>

namespace nncc {

std::string modelName(const nncc_model &m) { return m.name ? m.name : "?"; }

void checkModel(const nncc_model &m) {
  if (!m.train_step || !m.eval_step || !m.workspace_size)
    throw Error("model '" + modelName(m) +
                "' lacks a train_step, eval_step or workspace_size entry "
                "point");
  if (m.num_classes <= 0 || m.input_rank < 0 || m.input_rank > 4 ||
      m.param_count < 0 || m.buffer_count < 0 ||
      (m.num_params > 0 && !m.params) || (m.num_buffers > 0 && !m.buffers) ||
      (m.has_dropout != 0 && m.has_dropout != 1))
    throw Error("model '" + modelName(m) + "' has an invalid descriptor");
  checkTensorTable(m.params, m.num_params, m.param_count, "parameter");
  checkTensorTable(m.buffers, m.num_buffers, m.buffer_count, "buffer");
}

void checkDataset(const nncc_model &m, const Dataset &ds,
                  const std::string &what, const std::string &source) {
  int64_t inputNumel = 1;
  std::string inputShape = "[";
  for (int32_t d = 0; d < m.input_rank; ++d) {
    inputNumel *= m.input_shape[d];
    inputShape += (d ? ", " : "") + std::to_string(m.input_shape[d]);
  }
  inputShape += "]";
  auto s = ds.sampleShape();
  if (inputNumel != ds.sampleNumel())
    throw Error("model '" + modelName(m) + "' takes inputs " + inputShape +
                " (" + std::to_string(inputNumel) + " values), but the " +
                what + " images of " + source + " are [" +
                std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " +
                std::to_string(s[2]) + "]");
  for (int64_t i = 0; i < ds.size(); ++i)
    if (ds.label(i) < 0 || ds.label(i) >= m.num_classes)
      throw Error("the " + what + " label of sample " + std::to_string(i) +
                  " in " + source + " is " + std::to_string(ds.label(i)) +
                  ", but model '" + modelName(m) + "' has " +
                  std::to_string(m.num_classes) + " classes");
}

void checkOutputPath(const std::string &path, const char *flag) {
  if (path.empty())
    return;
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "."
                    : slash == 0               ? "/"
                                               : path.substr(0, slash);
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw Error(std::string("cannot write ") + flag + " file '" + path +
                "': directory '" + dir +
                "' does not exist or is not "
                "writable");
}

std::string firstNonFinite(const nncc_model &m, const float *params,
                           const float *grads) {
  auto bad = [&](const float *array, const nncc_tensor_info &t) {
    if (t.dtype != NNCC_DTYPE_F32)
      return false;
    for (int64_t i = 0; i < t.numel; ++i)
      if (!std::isfinite(array[t.offset + i]))
        return true;
    return false;
  };
  for (int32_t i = 0; i < m.num_params; ++i)
    if (bad(params, m.params[i]))
      return std::string("parameter '") + m.params[i].name + "'";
  for (int32_t i = 0; i < m.num_params; ++i)
    if (!m.params[i].frozen && bad(grads, m.params[i]))
      return std::string("gradient of '") + m.params[i].name + "'";
  return "";
}

std::string firstNonFiniteLayer(const nncc_model &m, const float *params,
                                const float *buffers, const float *images,
                                const int64_t *labels, int64_t batch,
                                uint64_t seed, void *workspace,
                                const nncc_exec *exec) {
  if (!m.probe || m.num_probes <= 0 || !m.probe_names)
    return "";
  std::vector<float> counts(size_t(m.num_probes), 0.0f);
  m.probe(params, buffers, images, labels, batch, seed, workspace, exec,
          counts.data());
  for (int32_t i = 0; i < m.num_probes; ++i)
    if (counts[size_t(i)] != 0)
      return std::string("'") + m.probe_names[i] + "' (" +
             std::to_string(int64_t(counts[size_t(i)])) +
             " non-finite values in the batch)";
  return "";
}

int64_t countCorrect(const float *logits, const int64_t *labels, int64_t batch,
                     int64_t classes) {
  int64_t correct = 0;
  for (int64_t b = 0; b < batch; ++b) {
    const float *row = logits + b * classes;
    int64_t best = argmaxRow(row, classes);
    correct += best == labels[b] && !std::isnan(row[best]);
  }
  return correct;
}

} // namespace nncc
