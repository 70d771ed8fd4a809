//===- Checkpoint.cpp - map tensor tables to safetensors files ------------===//
//
// Loading checks the whole file against the model before it writes a single
// value, so a mismatched checkpoint can never leave a half-loaded model, and
// the error lists every problem at once instead of the first one. Tensors
// keep their table dtype both ways: I64 values are the raw 8 bytes of the
// tensor's two slots.
//
//===----------------------------------------------------------------------===//
#include "nncc/Checkpoint.h"
#include "nncc/Error.h"
#include "nncc/Safetensors.h"
#include "state/TensorTable.h"

#include <cstring>
#include <set>
#include <vector>

namespace nncc {

namespace {

struct Slot {
  const nncc_tensor_info *info;
  float *array; // the flat array the tensor lives in
};

DType dtypeOf(const nncc_tensor_info &t) {
  return t.dtype == NNCC_DTYPE_I64 ? DType::I64 : DType::F32;
}

std::vector<Slot> slotsOf(const nncc_model &model, float *params,
                          float *buffers) {
  checkTensorTable(model.params, model.num_params, model.param_count,
                   "parameter");
  checkTensorTable(model.buffers, model.num_buffers, model.buffer_count,
                   "buffer");
  std::vector<Slot> slots;
  for (int32_t i = 0; i < model.num_params; ++i)
    slots.push_back({&model.params[i], params});
  for (int32_t i = 0; i < model.num_buffers; ++i)
    slots.push_back({&model.buffers[i], buffers});
  return slots;
}

} // namespace

void appendModelTensors(TensorFile &file, const nncc_model &model,
                        const float *params, const float *buffers,
                        const std::string &prefix) {
  for (const Slot &s : slotsOf(model, const_cast<float *>(params),
                               const_cast<float *>(buffers))) {
    const nncc_tensor_info &t = *s.info;
    NamedTensor tensor{prefix + t.name, dtypeOf(t), tensorShape(t), {}};
    tensor.data.resize(static_cast<size_t>(tensorSlots(t)) * 4);
    if (!tensor.data.empty())
      std::memcpy(tensor.data.data(), s.array + t.offset, tensor.data.size());
    file.tensors.push_back(std::move(tensor));
  }
}

void saveCheckpoint(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers) {
  TensorFile file;
  file.metadata["format"] = "pt";
  file.metadata["nncc_model"] = model.name ? model.name : "";
  appendModelTensors(file, model, params, buffers);
  writeSafetensors(path, file);
}

void loadModelTensors(const TensorFile &file, const std::string &path,
                      const nncc_model &model, float *params, float *buffers,
                      const std::string &prefix) {
  std::vector<Slot> slots = slotsOf(model, params, buffers);
  std::vector<std::string> missing, unexpected, wrongShape, wrongDtype;
  std::set<std::string> known;
  for (const Slot &s : slots) {
    const nncc_tensor_info &info = *s.info;
    known.insert(prefix + info.name);
    const NamedTensor *t = file.find(prefix + info.name);
    if (!t) {
      // The expected shape tells a user which layer of which model this is.
      missing.push_back(std::string(info.name) + " " +
                        formatShape(tensorShape(info)));
      continue;
    }
    if (t->shape != tensorShape(info))
      wrongShape.push_back(std::string(info.name) + ": expected " +
                           formatShape(tensorShape(info)) + ", found " +
                           formatShape(t->shape));
    if (t->dtype != dtypeOf(info))
      wrongDtype.push_back(std::string(info.name) + ": expected " +
                           dtypeName(dtypeOf(info)) + ", found " +
                           dtypeName(t->dtype));
  }
  for (const NamedTensor &t : file.tensors)
    if (t.name.compare(0, prefix.size(), prefix) == 0 && !known.count(t.name))
      unexpected.push_back(t.name.substr(prefix.size()) + " " +
                           formatShape(t.shape));
  if (!missing.empty() || !unexpected.empty() || !wrongShape.empty() ||
      !wrongDtype.empty()) {
    std::string msg = "checkpoint '" + path + "' does not match model '" +
                      (model.name ? model.name : "") + "'";
    std::string other = file.metadata.count("nncc_model")
                            ? file.metadata.at("nncc_model")
                            : std::string();
    if (!other.empty() && other != (model.name ? model.name : ""))
      msg += " (it was saved from model '" + other + "')";
    auto list = [&](const char *what, const std::vector<std::string> &names) {
      for (const std::string &n : names)
        msg += std::string("\n  ") + what + n;
    };
    list("missing tensor: ", missing);
    list("unexpected tensor: ", unexpected);
    list("wrong shape: ", wrongShape);
    list("wrong dtype: ", wrongDtype);
    throw Error(msg);
  }
  // Same shape and dtype: the file's bytes are exactly the tensor's slots.
  for (const Slot &s : slots) {
    const NamedTensor *t = file.find(prefix + s.info->name);
    if (!t->data.empty())
      std::memcpy(s.array + s.info->offset, t->data.data(), t->data.size());
  }
}

void loadCheckpoint(const std::string &path, const nncc_model &model,
                    float *params, float *buffers) {
  loadModelTensors(readSafetensors(path), path, model, params, buffers);
}

} // namespace nncc
