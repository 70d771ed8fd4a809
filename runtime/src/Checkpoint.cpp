//===- Checkpoint.cpp - map tensor tables to safetensors files ------------===//
//
// Loading checks the whole file against the model before it writes a single
// value, so a mismatched checkpoint can never leave a half-loaded model, and
// the error lists every problem at once instead of the first one.
//
//===----------------------------------------------------------------------===//
#include "nncc/Checkpoint.h"
#include "nncc/Error.h"
#include "nncc/Safetensors.h"

#include <cmath>
#include <set>
#include <vector>

namespace nncc {

namespace {

struct Slot {
  const nncc_tensor_info *info;
  float *array; // the flat array the tensor lives in
};

std::vector<int64_t> shapeOf(const nncc_tensor_info &t) {
  return std::vector<int64_t>(t.shape, t.shape + t.rank);
}

bool isCounter(const std::string &name) {
  static const std::string suffix = "num_batches_tracked";
  return name.size() >= suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<Slot> slotsOf(const nncc_model &model, float *params,
                          float *buffers) {
  std::vector<Slot> slots;
  for (int32_t i = 0; i < model.num_params; ++i)
    slots.push_back({&model.params[i], params});
  for (int32_t i = 0; i < model.num_buffers; ++i)
    slots.push_back({&model.buffers[i], buffers});
  // The tables come from generated code, but a wrong one would make us
  // read or write out of bounds, so check them like file input.
  for (const Slot &s : slots) {
    const nncc_tensor_info &t = *s.info;
    int64_t numel = 1;
    for (int32_t d = 0; t.rank >= 0 && d < t.rank && d < 4; ++d)
      numel *= t.shape[d];
    if (t.rank < 0 || t.rank > 4 || numel != t.numel || t.offset < 0)
      throw Error(std::string("model tensor '") + t.name +
                  "' has an inconsistent table entry (rank " +
                  std::to_string(t.rank) + ", numel " +
                  std::to_string(t.numel) + ")");
  }
  return slots;
}

} // namespace

void saveCheckpoint(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers) {
  TensorFile file;
  file.metadata["format"] = "pt";
  file.metadata["nncc_model"] = model.name ? model.name : "";
  for (const Slot &s : slotsOf(model, const_cast<float *>(params),
                               const_cast<float *>(buffers))) {
    const nncc_tensor_info &t = *s.info;
    const float *values = s.array + t.offset;
    if (isCounter(t.name)) {
      std::vector<int64_t> counts(static_cast<size_t>(t.numel));
      for (int64_t k = 0; k < t.numel; ++k)
        counts[k] = static_cast<int64_t>(std::llround(values[k]));
      file.tensors.push_back(
          NamedTensor::fromI64(t.name, shapeOf(t), counts.data()));
    } else {
      file.tensors.push_back(NamedTensor::fromF32(t.name, shapeOf(t), values));
    }
  }
  writeSafetensors(path, file);
}

void loadCheckpoint(const std::string &path, const nncc_model &model,
                    float *params, float *buffers) {
  TensorFile file = readSafetensors(path);
  std::vector<Slot> slots = slotsOf(model, params, buffers);
  std::vector<std::string> missing, unexpected, wrongShape;
  std::set<std::string> known;
  for (const Slot &s : slots) {
    known.insert(s.info->name);
    const NamedTensor *t = file.find(s.info->name);
    if (!t)
      missing.push_back(s.info->name);
    else if (t->shape != shapeOf(*s.info))
      wrongShape.push_back(std::string(s.info->name) + ": expected " +
                           formatShape(shapeOf(*s.info)) + ", found " +
                           formatShape(t->shape));
  }
  for (const NamedTensor &t : file.tensors)
    if (!known.count(t.name))
      unexpected.push_back(t.name + " " + formatShape(t.shape));
  if (!missing.empty() || !unexpected.empty() || !wrongShape.empty()) {
    std::string msg = "checkpoint '" + path + "' does not match model '" +
                      (model.name ? model.name : "") + "'";
    auto list = [&](const char *what, const std::vector<std::string> &names) {
      for (const std::string &n : names)
        msg += std::string("\n  ") + what + n;
    };
    list("missing tensor: ", missing);
    list("unexpected tensor: ", unexpected);
    list("wrong shape: ", wrongShape);
    throw Error(msg);
  }
  for (const Slot &s : slots) {
    const NamedTensor *t = file.find(s.info->name);
    float *dst = s.array + s.info->offset;
    for (int64_t k = 0; k < s.info->numel; ++k)
      dst[k] = t->floatAt(k);
  }
}

} // namespace nncc
