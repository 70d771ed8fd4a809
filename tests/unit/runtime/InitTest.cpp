//===- InitTest.cpp - init rules, bounds and reproducibility --------------===//
#include "nncc/Init.h"
#include "TestUtil.h"
#include "nncc/Aligned.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>

using namespace nncc;

namespace {

// clang-format off
struct TinyModel {
  // name, rank, shape, offset, numel, init, fan_in, fan_out, frozen, dtype,
  // init_param
  nncc_tensor_info params[3] = {
      {"fc.weight", 2, {100, 50, 0, 0}, 0, 5000, NNCC_INIT_KAIMING_UNIFORM_A5,
       50, 100, 0, NNCC_DTYPE_F32, 0},
      {"fc.bias", 1, {100, 0, 0, 0}, 5000, 100, NNCC_INIT_UNIFORM_FAN_IN, 50,
       100, 0, NNCC_DTYPE_F32, 0},
      {"bn.weight", 1, {4, 0, 0, 0}, 5100, 4, NNCC_INIT_ONES, 4, 4, 0,
       NNCC_DTYPE_F32, 0}};
  nncc_tensor_info buffers[2] = {
      {"bn.running_var", 1, {4, 0, 0, 0}, 0, 4, NNCC_INIT_ONES, 0, 0, 1,
       NNCC_DTYPE_F32, 0},
      {"bn.num_batches_tracked", 0, {0, 0, 0, 0}, 4, 1, NNCC_INIT_ZEROS, 0, 0,
       1, NNCC_DTYPE_I64, 0}};
  nncc_model model = {"tiny", 1, {50, 0, 0, 0}, 100, params, 3, 5104,
                      /*has_dropout=*/0, buffers, 2, /*buffer_count=*/6,
                      nullptr, nullptr, nullptr, nullptr};
};
// clang-format on

int64_t counterAt(const std::vector<float> &slots, size_t offset) {
  int64_t n;
  std::memcpy(&n, slots.data() + offset, sizeof n);
  return n;
}

TEST(Init, FollowsTheRulesWithinBounds) {
  TinyModel t;
  std::vector<float> p(5104, -7.0f), b(6, -7.0f);
  initParameters(t.model, p.data(), b.data(), 0);
  const float bound = 1.0f / std::sqrt(50.0f);
  EXPECT_FLOAT_EQ(uniformInitBound(50), bound);
  EXPECT_EQ(uniformInitBound(0), 0.0f);
  double sum = 0, sumSq = 0, maxAbs = 0;
  for (int i = 0; i < 5100; ++i) {
    EXPECT_LE(std::fabs(p[i]), bound) << i;
    sum += p[i];
    sumSq += double(p[i]) * p[i];
    maxAbs = std::max(maxAbs, double(std::fabs(p[i])));
  }
  // U(-b, b): mean 0, variance b^2/3, and the draws reach near the bound.
  EXPECT_NEAR(sum / 5100, 0.0, 0.01);
  EXPECT_NEAR(sumSq / 5100, bound * bound / 3, 0.002);
  EXPECT_GT(maxAbs, 0.99 * bound);
  for (int i = 5100; i < 5104; ++i)
    EXPECT_EQ(p[i], 1.0f);
  EXPECT_EQ(b[0], 1.0f);
  EXPECT_EQ(b[3], 1.0f);
  EXPECT_EQ(counterAt(b, 4), 0); // both slots of the I64 counter
}

TEST(Init, ReproducibleForASeedDifferentAcrossSeeds) {
  TinyModel t;
  std::vector<float> a(5104), b(5104), c(5104), buf(6);
  initParameters(t.model, a.data(), buf.data(), 7);
  initParameters(t.model, b.data(), buf.data(), 7);
  initParameters(t.model, c.data(), buf.data(), 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Init, EqualsPyTorchBitForBit) {
  // torch.manual_seed(7); w = torch.empty(100, 50);
  // kaiming_uniform_(w, a=math.sqrt(5)); then the bias's uniform_(-b, b).
  TinyModel t;
  std::vector<float> p(5104), buf(6);
  initParameters(t.model, p.data(), buf.data(), 7);
  EXPECT_EQ(p[0], 0.009877586737275124f);
  EXPECT_EQ(p[1], -0.08519132435321808f);
  EXPECT_EQ(p[2], 0.045031871646642685f);
  EXPECT_EQ(p[5000], 0.09345386177301407f);
  EXPECT_EQ(p[5001], 0.06562890112400055f);
}

TEST(Init, RejectsUnknownRuleAndOutOfRangeOffset) {
  TinyModel t;
  std::vector<float> p(5104), b(6);
  t.params[2].init = 42;
  EXPECT_THROW(initParameters(t.model, p.data(), b.data(), 0), Error);
  t.params[2].init = NNCC_INIT_ONES;
  t.params[2].offset = 5101;
  EXPECT_THROW(initParameters(t.model, p.data(), b.data(), 0), Error);
}

TEST(Init, I64BuffersMustFitAndTakeConstantRules) {
  std::vector<float> p(5104), b(6);
  TinyModel odd;
  odd.buffers[1].offset = 3; // an int64 needs an even slot
  std::string msg =
      test::errorOf([&] { initParameters(odd.model, p.data(), b.data(), 0); });
  EXPECT_NE(msg.find("'bn.num_batches_tracked' is I64 but starts at odd "
                     "slot 3"),
            std::string::npos)
      << msg;
  TinyModel tooShort;
  tooShort.model.buffer_count = 5; // the counter needs slots 4 and 5
  msg = test::errorOf(
      [&] { initParameters(tooShort.model, p.data(), b.data(), 0); });
  EXPECT_NE(msg.find("lies outside its flat array (2 slots at offset 4, "
                     "array of 5)"),
            std::string::npos)
      << msg;
  TinyModel random;
  random.buffers[1].init = NNCC_INIT_XAVIER_NORMAL;
  msg = test::errorOf(
      [&] { initParameters(random.model, p.data(), b.data(), 0); });
  EXPECT_NE(msg.find("is I64"), std::string::npos) << msg;
  TinyModel ones;
  ones.buffers[1].init = NNCC_INIT_ONES;
  initParameters(ones.model, p.data(), b.data(), 0);
  EXPECT_EQ(counterAt(b, 4), 1);
}

TEST(Aligned, ArraysAre64ByteAlignedAndZeroed) {
  AlignedArray<float> a(3);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % 64, 0u);
  EXPECT_EQ(a[2], 0.0f);
  AlignedArray<uint8_t> empty(0);
  EXPECT_NE(empty.data(), nullptr);
}

} // namespace
