//===- ParamGroupsTest.cpp - groups by name pattern and rank --------------===//
//
// The no-decay split people write in PyTorch, on a table shaped like a
// small conv net: weights decay, biases and batch-norm parameters do not.
//
//===----------------------------------------------------------------------===//
#include "nncc/ParamGroups.h"
#include "nncc/Sgd.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {

nncc_tensor_info tensor(const char *name, int32_t rank, int64_t numel,
                        int64_t offset, int32_t frozen = 0) {
  nncc_tensor_info t{};
  t.name = name;
  t.rank = rank;
  t.shape[0] = numel;
  for (int d = 1; d < rank; ++d)
    t.shape[d] = 1;
  t.offset = offset;
  t.numel = numel;
  t.frozen = frozen;
  t.dtype = NNCC_DTYPE_F32;
  return t;
}

const nncc_tensor_info kTable[] = {
    tensor("conv.weight", 4, 2, 0), tensor("conv.bias", 1, 2, 16),
    tensor("bn.weight", 1, 2, 32),  tensor("bn.bias", 1, 2, 48),
    tensor("fc.weight", 2, 2, 64),  tensor("fc.bias", 1, 2, 80, 1)};

TEST(ParamGroups, Patterns) {
  EXPECT_TRUE(matchesPattern("*.bias", "features.0.bias"));
  EXPECT_FALSE(matchesPattern("*.bias", "features.0.bias_scale"));
  EXPECT_TRUE(matchesPattern("features.*", "features.0.weight"));
  EXPECT_TRUE(matchesPattern("*.0.*", "features.0.weight"));
  EXPECT_FALSE(matchesPattern("*.1.*", "features.0.weight"));
  EXPECT_TRUE(matchesPattern("bn1.weight", "bn1.weight"));
  EXPECT_FALSE(matchesPattern("bn1.weight", "bn1.weights"));
  EXPECT_TRUE(matchesPattern("*", ""));
  EXPECT_TRUE(matchesPattern("a**b", "ab"));
}

TEST(ParamGroups, NoDecayOnNormAndBias) {
  GroupOptions o;
  o.weightDecay = 5e-4;
  std::vector<ParamGroup> groups = noDecayOnNormAndBias(kTable, 6, o);
  ASSERT_EQ(groups.size(), 2u);
  // fc.bias is frozen: in neither group.
  EXPECT_EQ(groups[0].tensors, (std::vector<int32_t>{0, 4}));
  EXPECT_EQ(groups[1].tensors, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(groups[0].options.weightDecay, 5e-4);
  EXPECT_EQ(groups[1].options.weightDecay, 0.0);
}

TEST(ParamGroups, OnlyTheDecayGroupShrinks) {
  // Zero gradients, plain SGD with weight decay: p -= lr * wd * p in group
  // 0 only.
  GroupOptions o;
  o.lr = 0.5;
  o.weightDecay = 0.5;
  Sgd sgd(kTable, 6, 96, noDecayOnNormAndBias(kTable, 6, o));
  std::vector<float> p(96, 1.0f), g(96, 0.0f);
  sgd.step(p.data(), g.data());
  EXPECT_EQ(p[0], 0.75f);  // conv.weight
  EXPECT_EQ(p[16], 1.0f);  // conv.bias
  EXPECT_EQ(p[32], 1.0f);  // bn.weight
  EXPECT_EQ(p[64], 0.75f); // fc.weight
  EXPECT_EQ(p[80], 1.0f);  // frozen
}

TEST(ParamGroups, SplitByName) {
  GroupOptions slow, fast;
  slow.lr = 0.01;
  fast.lr = 0.1;
  std::vector<ParamGroup> groups =
      splitByName(kTable, 6, {"fc.*", "conv.b*"}, slow, fast);
  EXPECT_EQ(groups[0].tensors, (std::vector<int32_t>{0, 2, 3}));
  EXPECT_EQ(groups[1].tensors, (std::vector<int32_t>{1, 4}));
  EXPECT_EQ(groups[1].options.lr, 0.1);
}

} // namespace
