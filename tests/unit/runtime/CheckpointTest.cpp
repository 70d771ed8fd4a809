//===- CheckpointTest.cpp - model state to safetensors and back -----------===//
#include "nncc/Checkpoint.h"
#include "FakeModel.h"
#include "TestUtil.h"
#include "nncc/Init.h"
#include "nncc/Safetensors.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

constexpr int kParamCount = kClasses * kFeatures + kClasses;

/// The fake model's buffers with the I64 counter set to `n`.
std::vector<float> counterBuffers(int64_t n) {
  std::vector<float> slots(2);
  std::memcpy(slots.data(), &n, sizeof n);
  return slots;
}

TEST(Checkpoint, RoundTripsParamsAndBuffers) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers = counterBuffers(17);
  for (int i = 0; i < kParamCount; ++i)
    params[i] = 0.25f * float(i) - 3.0f;
  saveCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"ck"}));

  TensorFile file = readSafetensors(dir.file("ck"));
  EXPECT_EQ(file.metadata["nncc_model"], "linear");
  const NamedTensor *count = file.find("fc.num_batches_tracked");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->dtype, DType::I64); // as PyTorch stores it
  EXPECT_EQ(count->shape, std::vector<int64_t>{});
  EXPECT_EQ(count->floatAt(0), 17.0f);
  EXPECT_EQ(file.find("fc.weight")->shape,
            (std::vector<int64_t>{kClasses, kFeatures}));

  std::vector<float> p2(kParamCount), b2(2);
  loadCheckpoint(dir.file("ck"), fakeModel, p2.data(), b2.data());
  EXPECT_EQ(p2, params);
  EXPECT_EQ(fakeCounter(b2.data()), 17);
}

// clang-format off
/// BatchNorm2d(4) as the compiler lays it out: every tensor 64-byte aligned,
/// the I64 counter taking two slots.
const nncc_tensor_info bnParams[] = {
    {"bn.weight", 1, {4, 0, 0, 0}, 0, 4, NNCC_INIT_ONES, 0, 0, 0,
     NNCC_DTYPE_F32, 0},
    {"bn.bias", 1, {4, 0, 0, 0}, 16, 4, NNCC_INIT_ZEROS, 0, 0, 0,
     NNCC_DTYPE_F32, 0}};
const nncc_tensor_info bnBuffers[] = {
    {"bn.running_mean", 1, {4, 0, 0, 0}, 0, 4, NNCC_INIT_ZEROS, 0, 0, 1,
     NNCC_DTYPE_F32, 0},
    {"bn.running_var", 1, {4, 0, 0, 0}, 16, 4, NNCC_INIT_ONES, 0, 0, 1,
     NNCC_DTYPE_F32, 0},
    {"bn.num_batches_tracked", 0, {0, 0, 0, 0}, 32, 1, NNCC_INIT_ZEROS, 0, 0,
     1, NNCC_DTYPE_I64, 0}};
const nncc_model bnModel = {"bn", 3, {4, 2, 2, 0}, 4, bnParams, 2, 20, 0,
                            bnBuffers, 3, 34, nullptr, nullptr, nullptr,
                            nullptr};
// clang-format on

/// The bytes of `file` from byte 8 on, up to the end of the header.
std::string headerOf(const std::vector<uint8_t> &file) {
  uint64_t n = 0;
  std::memcpy(&n, file.data(), 8);
  return std::string(file.begin() + 8, file.begin() + 8 + long(n));
}

TEST(Checkpoint, BatchNormStateIsPyTorchs) {
  TempDir dir;
  std::vector<float> params(20, -1.0f), buffers(34, -1.0f);
  initParameters(bnModel, params.data(), buffers.data(), 0);
  std::vector<float> initial = buffers;
  saveCheckpoint(dir.file("init"), bnModel, params.data(), buffers.data());
  // BatchNorm2d(4).state_dict(): ones, zeros, zeros, ones, tensor(0).
  TensorFile init = readSafetensors(dir.file("init"));
  EXPECT_EQ(init.find("bn.running_var")->floatAt(3), 1.0f);
  EXPECT_EQ(init.find("bn.num_batches_tracked")->data,
            std::vector<uint8_t>(8, 0));

  const float weight[] = {0.5f, 1, 1.5f, 2}, mean[] = {0.25f, -1, 3, 0};
  std::memcpy(params.data(), weight, sizeof weight);
  std::memcpy(buffers.data(), mean, sizeof mean);
  int64_t steps = 7;
  std::memcpy(buffers.data() + 32, &steps, sizeof steps);
  saveCheckpoint(dir.file("ck"), bnModel, params.data(), buffers.data());
  // Loads into PyTorch as is: with the header parsed by hand (no safetensors
  // package needed), m = torch.nn.BatchNorm2d(4); m.load_state_dict(
  // {k[3:]: v for k, v in tensors.items()}) succeeds with strict=True and
  // m.num_batches_tracked is tensor(7) of dtype int64.
  std::vector<uint8_t> bytes = readBytes(dir.file("ck"));
  EXPECT_EQ(headerOf(bytes),
            "{\"__metadata__\":{\"format\":\"pt\",\"nncc_model\":\"bn\"},"
            "\"bn.weight\":{\"dtype\":\"F32\",\"shape\":[4],"
            "\"data_offsets\":[0,16]},"
            "\"bn.bias\":{\"dtype\":\"F32\",\"shape\":[4],"
            "\"data_offsets\":[16,32]},"
            "\"bn.running_mean\":{\"dtype\":\"F32\",\"shape\":[4],"
            "\"data_offsets\":[32,48]},"
            "\"bn.running_var\":{\"dtype\":\"F32\",\"shape\":[4],"
            "\"data_offsets\":[48,64]},"
            "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],"
            "\"data_offsets\":[64,72]}}       ");
  ASSERT_EQ(bytes.size(), 8 + headerOf(bytes).size() + 72);
  EXPECT_EQ(std::vector<uint8_t>(bytes.end() - 8, bytes.end()),
            (std::vector<uint8_t>{7, 0, 0, 0, 0, 0, 0, 0}));

  std::vector<float> p2(20), b2(34);
  loadCheckpoint(dir.file("ck"), bnModel, p2.data(), b2.data());
  EXPECT_EQ(std::vector<float>(p2.begin(), p2.begin() + 4),
            std::vector<float>(weight, weight + 4));
  EXPECT_EQ(std::vector<float>(b2.begin(), b2.begin() + 4),
            std::vector<float>(mean, mean + 4));
  EXPECT_EQ(b2[16], 1.0f);
  int64_t loaded;
  std::memcpy(&loaded, b2.data() + 32, sizeof loaded);
  EXPECT_EQ(loaded, 7);
}

TEST(Checkpoint, LoadsWhatPyTorchWrites) {
  // BatchNorm2d(4).state_dict() after two training steps, in the order the
  // safetensors package writes tensors (by dtype, the I64 counter first,
  // then by name), not the table's.
  TensorFile file;
  int64_t two = 2;
  const float bias[] = {0, 0, 0, 0}, mean[] = {0.1f, 0.2f, 0.3f, 0.4f};
  const float var[] = {0.9f, 1, 1.1f, 1.2f}, weight[] = {1, 1, 1, 1};
  file.tensors.push_back(
      NamedTensor::fromI64("bn.num_batches_tracked", {}, &two));
  file.tensors.push_back(NamedTensor::fromF32("bn.bias", {4}, bias));
  file.tensors.push_back(NamedTensor::fromF32("bn.running_mean", {4}, mean));
  file.tensors.push_back(NamedTensor::fromF32("bn.running_var", {4}, var));
  file.tensors.push_back(NamedTensor::fromF32("bn.weight", {4}, weight));
  TempDir dir;
  writeSafetensors(dir.file("pt"), file);
  std::vector<float> params(20), buffers(34);
  loadCheckpoint(dir.file("pt"), bnModel, params.data(), buffers.data());
  EXPECT_EQ(buffers[1], 0.2f);
  EXPECT_EQ(buffers[19], 1.2f);
  int64_t loaded;
  std::memcpy(&loaded, buffers.data() + 32, sizeof loaded);
  EXPECT_EQ(loaded, 2);
}

TEST(Checkpoint, MismatchListsEveryProblemAndLoadsNothing) {
  TempDir dir;
  float weight[kClasses * kFeatures] = {};
  float extra[2] = {};
  TensorFile file;
  // fc.weight transposed, fc.bias missing, the counter stored as F32, one
  // extra tensor.
  file.tensors.push_back(
      NamedTensor::fromF32("fc.weight", {kFeatures, kClasses}, weight));
  file.tensors.push_back(NamedTensor::fromF32("head.bias", {2}, extra));
  file.tensors.push_back(
      NamedTensor::fromF32("fc.num_batches_tracked", {}, extra));
  writeSafetensors(dir.file("ck"), file);

  std::vector<float> params(kParamCount, 5.0f), buffers(2, 5.0f);
  std::string msg = errorOf([&] {
    loadCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find(dir.file("ck")), std::string::npos) << msg;
  // Missing tensors come with the shape the model expects.
  EXPECT_NE(msg.find("missing tensor: fc.bias [3]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unexpected tensor: head.bias [2]"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("wrong shape: fc.weight: expected [3, 16], found [16, 3]"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("wrong dtype: fc.num_batches_tracked: expected I64, "
                     "found F32"),
            std::string::npos)
      << msg;
  EXPECT_EQ(params, std::vector<float>(kParamCount, 5.0f));
  EXPECT_EQ(buffers, std::vector<float>(2, 5.0f));
}

TEST(Checkpoint, AnotherModelsCheckpointSaysWhichModelItCameFrom) {
  TempDir dir;
  nncc_model other = fakeModel;
  other.name = "wide";
  nncc_tensor_info wide[2] = {fakeParams[0], fakeParams[1]};
  wide[0].shape[1] = 4; // fc.weight [3, 4]
  wide[0].numel = kClasses * 4;
  wide[1].offset = 64;
  other.params = wide;
  other.param_count = 64 + kClasses;
  std::vector<float> wideParams(64 + kClasses), buffers(2);
  saveCheckpoint(dir.file("ck"), other, wideParams.data(), buffers.data());
  std::vector<float> params(kParamCount);
  std::string msg = errorOf([&] {
    loadCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find("does not match model 'linear' (it was saved from model "
                     "'wide')"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("wrong shape: fc.weight: expected [3, 16], found [3, 4]"),
            std::string::npos)
      << msg;
}

TEST(Checkpoint, ACounterOfTheWrongShapeIsListed) {
  TempDir dir;
  TensorFile file;
  float weight[kParamCount] = {};
  int64_t counts[2] = {1, 2};
  file.tensors.push_back(
      NamedTensor::fromF32("fc.weight", {kClasses, kFeatures}, weight));
  file.tensors.push_back(NamedTensor::fromF32("fc.bias", {kClasses}, weight));
  file.tensors.push_back(
      NamedTensor::fromI64("fc.num_batches_tracked", {2}, counts));
  writeSafetensors(dir.file("ck"), file);
  std::vector<float> params(kParamCount), buffers(2);
  std::string msg = errorOf([&] {
    loadCheckpoint(dir.file("ck"), fakeModel, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find("wrong shape: fc.num_batches_tracked: expected [], "
                     "found [2]"),
            std::string::npos)
      << msg;
}

TEST(Checkpoint, MissingOrCorruptFileIsAnError) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers(2);
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

TEST(Checkpoint, InconsistentTablesAreRefused) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers(2);
  nncc_model shortBuffers = fakeModel;
  shortBuffers.buffer_count = 1; // the I64 counter needs two slots
  std::string msg = errorOf([&] {
    saveCheckpoint(dir.file("ck"), shortBuffers, params.data(), buffers.data());
  });
  EXPECT_NE(msg.find("buffer 'fc.num_batches_tracked' lies outside"),
            std::string::npos)
      << msg;
  EXPECT_TRUE(dir.files().empty());
}

} // namespace
