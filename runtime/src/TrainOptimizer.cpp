//===- TrainOptimizer.cpp - optimizers behind the trainer's interface -----===//
//
// SGD's momentum buffers are saved per parameter as
// "momentum_buffer.<name>", PyTorch's name for them in optimizer.state.
//
//===----------------------------------------------------------------------===//
#include "TrainOptimizer.h"
#include "TensorTable.h"
#include "nncc/Error.h"
#include "nncc/Sgd.h"

#include <cstring>

namespace nncc {

namespace {

class SgdAdapter : public TrainOptimizer {
public:
  SgdAdapter(const nncc_model &m, const SgdOptions &o)
      : model_(m), sgd_(m, o) {}

  void step(float *params, const float *grads) override {
    sgd_.step(params, grads);
  }
  double lr() const override { return sgd_.options().lr; }

  void exportState(std::vector<NamedTensor> &tensors,
                   std::map<std::string, std::string> &scalars) override {
    scalars["kind"] = "sgd";
    scalars["steps"] = std::to_string(sgd_.stepCount());
    if (sgd_.stepCount() == 0 || sgd_.options().momentum == 0.0)
      return;
    for (int32_t i = 0; i < model_.num_params; ++i) {
      const nncc_tensor_info &t = model_.params[i];
      if (t.frozen || t.numel == 0)
        continue;
      tensors.push_back(NamedTensor::fromF32(
          std::string("momentum_buffer.") + t.name, tensorShape(t),
          sgd_.momentumBuffer() + t.offset));
    }
  }

  void importState(const std::vector<NamedTensor> &tensors,
                   const std::map<std::string, std::string> &scalars,
                   const std::string &path) override {
    auto kind = scalars.find("kind");
    if (kind == scalars.end() || kind->second != "sgd")
      throw Error("training state '" + path +
                  "' holds the state of optimizer '" +
                  (kind == scalars.end() ? "?" : kind->second) +
                  "', but this run uses sgd");
    auto steps = scalars.find("steps");
    if (steps == scalars.end() || steps->second.empty() ||
        steps->second.find_first_not_of("0123456789") != std::string::npos)
      throw Error("training state '" + path +
                  "' lacks a valid optimizer step count");
    if (steps->second == "0" || sgd_.options().momentum == 0.0)
      return;
    std::map<std::string, const NamedTensor *> byName;
    for (const NamedTensor &t : tensors)
      byName[t.name] = &t;
    // Sgd has no setter for its state yet: one step on scratch arrays
    // leaves it past its first step, then the buffers are overwritten.
    AlignedArray<float> scratch(size_t(model_.param_count));
    AlignedArray<float> zeros(size_t(model_.param_count));
    sgd_.step(scratch.data(), zeros.data());
    auto *buffer = const_cast<float *>(sgd_.momentumBuffer());
    for (int32_t i = 0; i < model_.num_params; ++i) {
      const nncc_tensor_info &t = model_.params[i];
      if (t.frozen || t.numel == 0)
        continue;
      std::string name = std::string("momentum_buffer.") + t.name;
      auto it = byName.find(name);
      if (it == byName.end() || it->second->dtype != DType::F32 ||
          it->second->shape != tensorShape(t))
        throw Error("training state '" + path + "': optimizer tensor '" + name +
                    "' is missing or not F32 " + formatShape(tensorShape(t)));
      std::memcpy(buffer + t.offset, it->second->data.data(),
                  size_t(t.numel) * 4);
    }
  }

private:
  const nncc_model &model_;
  Sgd sgd_;
};

} // namespace

std::unique_ptr<TrainOptimizer> makeTrainOptimizer(const nncc_model &model,
                                                   const TrainOptions &o) {
  return std::make_unique<SgdAdapter>(model, o.sgd);
}

} // namespace nncc
