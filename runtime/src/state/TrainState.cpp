//===- TrainState.cpp - the training state file ---------------------------===//
//
// Scalars go in the safetensors metadata as decimal text (doubles with 17
// significant digits, so they read back bit for bit); arrays go in tensors.
// The reader treats the file as untrusted input: every field is checked
// and a problem is reported with the file's name and the field's.
//
//===----------------------------------------------------------------------===//
#include "nncc/TrainState.h"
#include "nncc/Checkpoint.h"
#include "nncc/Error.h"
#include "nncc/Json.h"
#include "nncc/TorchRandom.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nncc {

namespace {

constexpr const char *kFormat = "nncc-train-state";
constexpr const char *kVersion = "1";

std::string exact(double v) {
  if (!std::isfinite(v))
    return "null";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

/// Reads the metadata of one state file, naming it in every error.
class Fields {
public:
  Fields(const TensorFile &file, const std::string &path)
      : file_(file), path_(path) {}

  std::string text(const std::string &key) const {
    auto it = file_.metadata.find(key);
    if (it == file_.metadata.end())
      throw Error("training state '" + path_ + "' lacks the field '" + key +
                  "'");
    return it->second;
  }
  int64_t integer(const std::string &key, int64_t min = 0) const {
    std::string t = text(key);
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(t.c_str(), &end, 10);
    if (t.empty() || errno == ERANGE || *end != '\0' || v < min)
      throw Error("training state '" + path_ + "': field '" + key + "' is '" +
                  t + "', expected an integer >= " + std::to_string(min));
    return v;
  }
  double number(const std::string &key) const {
    std::string t = text(key);
    char *end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (t.empty() || *end != '\0')
      throw Error("training state '" + path_ + "': field '" + key + "' is '" +
                  t + "', expected a number");
    return v;
  }
  std::vector<int64_t> i64(const std::string &name, bool required) const {
    const NamedTensor *t = file_.find(name);
    if (!t) {
      if (required)
        throw Error("training state '" + path_ + "' lacks the tensor '" + name +
                    "'");
      return {};
    }
    if (t->dtype != DType::I64 || t->shape.size() != 1)
      throw Error("training state '" + path_ + "': tensor '" + name +
                  "' must be a 1-D I64 tensor");
    std::vector<int64_t> v(size_t(t->numel()));
    if (!v.empty())
      std::memcpy(v.data(), t->data.data(), v.size() * 8);
    return v;
  }

private:
  const TensorFile &file_;
  const std::string &path_;
};

std::string historyJson(const std::vector<EpochMetrics> &history) {
  std::string s = "[";
  for (size_t i = 0; i < history.size(); ++i) {
    const EpochMetrics &m = history[i];
    s += std::string(i ? "," : "") + "{\"epoch\":" + std::to_string(m.epoch) +
         ",\"steps\":" + std::to_string(m.steps) +
         ",\"samples\":" + std::to_string(m.samples) +
         ",\"train_loss\":" + exact(m.trainLoss) +
         ",\"train_accuracy\":" + exact(m.trainAccuracy) +
         ",\"test_loss\":" + exact(m.testLoss) +
         ",\"test_accuracy\":" + exact(m.testAccuracy) +
         ",\"lr\":" + exact(m.lr) +
         ",\"images_per_second\":" + exact(m.imagesPerSecond) +
         ",\"seconds\":" + exact(m.seconds) +
         ",\"eval_seconds\":" + exact(m.evalSeconds) + "}";
  }
  return s + "]";
}

std::vector<EpochMetrics> parseHistory(const std::string &text,
                                       const std::string &path) {
  std::string where = "training state '" + path + "' history";
  json::Value v = json::parse(text.data(), text.size(), where);
  if (v.kind != json::Value::Array)
    throw Error(where + ": expected an array");
  std::vector<EpochMetrics> out;
  for (const json::Value &item : v.items) {
    auto get = [&](const char *key) -> const json::Value & {
      const json::Value *f = item.find(key);
      if (!f ||
          (f->kind != json::Value::Number && f->kind != json::Value::Null))
        throw Error(where + ": an entry lacks the number '" + key + "'");
      return *f;
    };
    auto integer = [&](const char *key) {
      int64_t n = 0;
      if (!get(key).asInt64(n))
        throw Error(where + ": '" + key + "' is not an integer");
      return n;
    };
    auto real = [&](const char *key) { return get(key).asDouble(); };
    EpochMetrics m;
    m.epoch = integer("epoch");
    m.steps = integer("steps");
    m.samples = integer("samples");
    m.trainLoss = real("train_loss");
    m.trainAccuracy = real("train_accuracy");
    m.testLoss = real("test_loss");
    m.testAccuracy = real("test_accuracy");
    m.lr = real("lr");
    m.imagesPerSecond = real("images_per_second");
    m.seconds = real("seconds");
    m.evalSeconds = real("eval_seconds");
    out.push_back(m);
  }
  return out;
}

} // namespace

std::string trainStatePath(const std::string &weightsPath) {
  const std::string ext = ".safetensors";
  if (weightsPath.size() > ext.size() &&
      weightsPath.compare(weightsPath.size() - ext.size(), ext.size(), ext) ==
          0)
    return weightsPath.substr(0, weightsPath.size() - ext.size()) +
           ".state.safetensors";
  return weightsPath + ".state.safetensors";
}

void saveTrainState(const std::string &path, const nncc_model &model,
                    const float *params, const float *buffers,
                    const TrainState &st) {
  TensorFile file;
  auto &md = file.metadata;
  md["format"] = kFormat;
  md["version"] = kVersion;
  md["nncc_model"] = model.name ? model.name : "";
  md["epoch"] = std::to_string(st.epoch);
  md["step"] = std::to_string(st.step);
  md["epoch_step"] = std::to_string(st.epochStep);
  md["epoch_loss_sum"] = exact(st.epochLossSum);
  md["epoch_seconds"] = exact(st.epochSeconds);
  md["epoch_correct"] = std::to_string(st.epochCorrect);
  md["epoch_samples"] = std::to_string(st.epochSamples);
  md["history"] = historyJson(st.history);
  md["loader_epoch"] = std::to_string(st.loader.epoch);
  md["loader_cursor"] = std::to_string(st.loader.cursor);
  for (const auto &[key, value] : st.components.metadata)
    md[key] = value;
  for (const auto &[key, value] : st.config)
    md["config:" + key] = value;
  appendModelTensors(file, model, params, buffers, "model.");
  for (const NamedTensor &t : st.components.tensors)
    file.tensors.push_back(t);
  auto addI64 = [&](const char *name, const std::vector<int64_t> &v) {
    file.tensors.push_back(
        NamedTensor::fromI64(name, {int64_t(v.size())}, v.data()));
  };
  addI64("rng.generator", st.generator);
  addI64("loader.order", st.loader.order);
  writeSafetensors(path, file);
}

TrainState loadTrainState(const std::string &path, const nncc_model &model,
                          float *params, float *buffers) {
  return trainStateFromFile(readSafetensors(path), path, model, params,
                            buffers);
}

TrainState trainStateFromFile(const TensorFile &file, const std::string &path,
                              const nncc_model &model, float *params,
                              float *buffers) {
  Fields f(file, path);
  auto format = file.metadata.find("format");
  if (format == file.metadata.end() || format->second != kFormat)
    throw Error("'" + path +
                "' is not an nncc training state file (give --resume the "
                "--save path of the run to continue)");
  if (f.text("version") != kVersion)
    throw Error("training state '" + path + "' has version " +
                f.text("version") + "; this runtime reads version " + kVersion);
  TrainState st;
  st.epoch = f.integer("epoch");
  st.step = f.integer("step");
  st.epochStep = f.integer("epoch_step");
  st.epochLossSum = f.number("epoch_loss_sum");
  st.epochSeconds = f.number("epoch_seconds");
  st.epochCorrect = f.integer("epoch_correct");
  st.epochSamples = f.integer("epoch_samples");
  st.history = parseHistory(f.text("history"), path);
  if (int64_t(st.history.size()) != st.epoch)
    throw Error("training state '" + path + "' records " +
                std::to_string(st.history.size()) + " epochs of history for " +
                std::to_string(st.epoch) + " completed epochs");
  auto component = [](const std::string &name) {
    return name.rfind("optimizer.", 0) == 0 || name.rfind("scheduler.", 0) == 0;
  };
  for (const auto &[key, value] : file.metadata) {
    if (key.rfind("config:", 0) == 0)
      st.config[key.substr(7)] = value;
    else if (component(key))
      st.components.metadata[key] = value;
  }
  for (const NamedTensor &t : file.tensors)
    if (component(t.name))
      st.components.tensors.push_back(t);
  st.generator = f.i64("rng.generator", true);
  TorchGenerator probe(0); // validates the state before anyone uses it
  probe.setState(st.generator, "training state '" + path + "' rng.generator");
  st.loader.epoch = f.integer("loader_epoch", /*min=*/-1);
  st.loader.cursor = f.integer("loader_cursor");
  st.loader.order = f.i64("loader.order", true);
  loadModelTensors(file, path, model, params, buffers, "model.");
  return st;
}

} // namespace nncc
