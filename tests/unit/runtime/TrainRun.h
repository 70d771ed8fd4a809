//===- TrainRun.h - running nncc_train_main in-process for tests ----------===//
//
// A tiny linearly separable IDX dataset for FakeModel.h's softmax
// regression, and nncc_train_main called with captured stdout/stderr.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TESTS_RUNTIME_TRAINRUN_H
#define NNCC_TESTS_RUNTIME_TRAINRUN_H

#include "FakeModel.h"
#include "TestUtil.h"
#include "nncc/Json.h"
#include "nncc/train.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace nncc::test {

/// Class c lights up row c of a 4x4 image, on top of deterministic noise.
inline void writeSplit(const TempDir &dir, const std::string &prefix, int n,
                       uint32_t seed) {
  std::vector<uint8_t> pixels, labels;
  uint32_t state = seed;
  for (int i = 0; i < n; ++i) {
    int label = i % kClasses;
    labels.push_back(uint8_t(label));
    for (int k = 0; k < kFeatures; ++k) {
      state = state * 1664525u + 1013904223u;
      int noise = int(state >> 25); // 0..127
      pixels.push_back(uint8_t(k / 4 == label ? 128 + noise : noise));
    }
  }
  writeGzip(dir.file(prefix + "-images-idx3-ubyte.gz"),
            idxImages(uint32_t(n), 4, 4, pixels));
  writeBytes(dir.file(prefix + "-labels-idx1-ubyte"), idxLabels(labels));
}

struct TrainRun {
  int rc;
  std::string out, err;
};

inline TrainRun trainMain(std::vector<std::string> args,
                          const nncc_model &model = fakeModel) {
  args.insert(args.begin(), "train");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int rc = nncc_train_main(&model, int(args.size()), argv.data());
  TrainRun r{rc, "", ""};
  r.out = testing::internal::GetCapturedStdout();
  r.err = testing::internal::GetCapturedStderr();
  return r;
}

inline json::Value readJson(const std::string &path) {
  std::vector<uint8_t> bytes = readBytes(path);
  return json::parse(reinterpret_cast<const char *>(bytes.data()), bytes.size(),
                     path);
}

} // namespace nncc::test

#endif // NNCC_TESTS_RUNTIME_TRAINRUN_H
