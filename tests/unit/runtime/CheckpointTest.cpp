//===- CheckpointTest.cpp - model state to safetensors and back -----------===//
#include "nncc/Checkpoint.h"
#include "FakeModel.h"
#include "TestUtil.h"
#include "nncc/Safetensors.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

constexpr int kParamCount = kClasses * kFeatures + kClasses;

TEST(Checkpoint, RoundTripsParamsAndBuffers) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers{17.0f};
  for (int i = 0; i < kParamCount; ++i)
    params[i] = 0.25f * float(i) - 3.0f;
  saveCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"ck"}));

  TensorFile file = readSafetensors(dir.file("ck"));
  EXPECT_EQ(file.metadata["nncc_model"], "linear");
  const NamedTensor *count = file.find("fc.num_batches_tracked");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->dtype, DType::I64); // as PyTorch stores it
  EXPECT_EQ(file.find("fc.weight")->shape,
            (std::vector<int64_t>{kClasses, kFeatures}));

  std::vector<float> p2(kParamCount), b2(1);
  loadCheckpoint(dir.file("ck"), fakeModel, p2.data(), b2.data());
  EXPECT_EQ(p2, params);
  EXPECT_EQ(b2[0], 17.0f);
}

TEST(Checkpoint, MismatchListsEveryProblemAndLoadsNothing) {
  TempDir dir;
  float weight[kClasses * kFeatures] = {};
  float extra[2] = {};
  TensorFile file;
  // fc.weight transposed, fc.bias and the counter missing, one extra tensor.
  file.tensors.push_back(
      NamedTensor::fromF32("fc.weight", {kFeatures, kClasses}, weight));
  file.tensors.push_back(NamedTensor::fromF32("head.bias", {2}, extra));
  writeSafetensors(dir.file("ck"), file);

  std::vector<float> params(kParamCount, 5.0f), buffers{5.0f};
  std::string msg = errorOf([&] {
    loadCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find(dir.file("ck")), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing tensor: fc.bias"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing tensor: fc.num_batches_tracked"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("unexpected tensor: head.bias [2]"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("wrong shape: fc.weight: expected [3, 16], found [16, 3]"),
            std::string::npos)
      << msg;
  EXPECT_EQ(params, std::vector<float>(kParamCount, 5.0f));
  EXPECT_EQ(buffers[0], 5.0f);
}

TEST(Checkpoint, MissingOrCorruptFileIsAnError) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers(1);
  std::string msg = errorOf([&] {
    loadCheckpoint(dir.file("none"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find("cannot open"), std::string::npos) << msg;
  writeBytes(dir.file("bad"), {200, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
  msg = errorOf([&] {
    loadCheckpoint(dir.file("bad"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find("header length 200"), std::string::npos) << msg;
}

} // namespace
