//===- TrainResume.cpp - what --resume checks before continuing a run -----===//
//
// The order and position a state restores mean nothing with another batch
// size, sampler or dataset, and an optimizer's state fits that optimizer
// only: such a resume is refused, naming the flag, instead of continuing a
// different run.
//
//===----------------------------------------------------------------------===//
#include "train/TrainResume.h"
#include "nncc/Error.h"
#include "nncc/TrainState.h"

#include <sys/stat.h>

namespace nncc {

static bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string resumeStatePath(const std::string &path) {
  const std::string suffix = ".state.safetensors";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return path;
  std::string state = trainStatePath(path);
  if (!fileExists(state) && fileExists(path))
    throw Error("--resume '" + path + "': no training state '" + state +
                "' next to it (a checkpoint alone cannot resume a run "
                "exactly; use --load to start from its weights)");
  return state;
}

std::map<std::string, std::string> runConfig(const TrainOptions &o,
                                             const Dataset *trainSet) {
  std::map<std::string, std::string> c = {
      {"batch", std::to_string(o.batch)},
      {"drop_last", o.dropLast ? "1" : "0"},
      {"shuffle", o.shuffle ? "1" : "0"},
      {"sampler", std::to_string(int(o.sampler))},
      {"optimizer", optimizerKindName(o.optimizer.kind)},
      {"scheduler", o.schedulerSpec}};
  if (trainSet) {
    c["data"] = o.dataKind;
    c["train_samples"] = std::to_string(trainSet->size());
  }
  return c;
}

void checkResumeConfig(const std::map<std::string, std::string> &saved,
                       const std::map<std::string, std::string> &now,
                       const std::string &path) {
  static const std::map<std::string, std::string> flags = {
      {"batch", "--batch"},
      {"drop_last", "--drop-last"},
      {"shuffle", "--no-shuffle"},
      {"sampler", "--sampler"},
      {"optimizer", "--optimizer"},
      {"scheduler", "--scheduler"},
      {"data", "--data"},
      {"train_samples", "--data (its number of training samples)"}};
  for (const auto &[key, value] : now) {
    auto it = saved.find(key);
    if (it == saved.end() || it->second == value)
      continue;
    auto flag = flags.find(key);
    throw Error("cannot resume from '" + path + "': it was saved with " + key +
                " = " + it->second + ", this run has " + value +
                " (give the same " +
                (flag == flags.end() ? key : flag->second) + ")");
  }
}

} // namespace nncc
