//===- GradClipTest.cpp - clip_grad_norm_ on flat gradient arrays ---------===//
//
// A 3-4-5 case by hand, torch 1.13's bits for a case where float summation
// order matters (1000 + 37 + 5 elements of sin(0.37 i + j), max_norm 1),
// frozen tensors left out, and the non-finite cases.
//
//===----------------------------------------------------------------------===//
#include "nncc/GradClip.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace nncc;
using namespace nncc::test;

namespace {

TEST(GradClip, ScalesDownToTheMaximumNorm) {
  nncc_tensor_info table[] = {flatTensor("a", 0, 1), flatTensor("b", 1, 1)};
  float g[2] = {3, 4};
  EXPECT_EQ(clipGradNorm(table, 2, 2, g, 10.0), 5.0f);
  EXPECT_EQ(g[0], 3.0f); // coefficient clamped at 1
  EXPECT_EQ(clipGradNorm(table, 2, 2, g, 1.0), 5.0f);
  float coef = (1.0f / (5.0f + float(1e-6))) * 1.0f;
  EXPECT_EQ(g[0], 3.0f * coef);
  EXPECT_EQ(g[1], 4.0f * coef);
  EXPECT_NEAR(gradNorm(table, 2, 2, g), 1.0f, 1e-6);
}

TEST(GradClip, BitIdenticalToTorch) {
  nncc_tensor_info table[] = {flatTensor("w", 0, 1000),
                              flatTensor("b", 1008, 37),
                              flatTensor("c", 1045, 5)};
  std::vector<float> g(1050);
  int64_t sizes[] = {1000, 37, 5};
  for (int j = 0; j < 3; ++j)
    for (int64_t i = 0; i < sizes[j]; ++i)
      g[size_t(table[j].offset + i)] = float(std::sin(0.37 * double(i) + j));
  float total = clipGradNorm(table, 3, 1050, g.data(), 1.0);
  EXPECT_EQ(total, 0x1.6d6fd4p+4f);
  EXPECT_EQ(test::fnv1a(g.data(), 1000), 0x34b3ab797b6ab4bbu);
  EXPECT_EQ(test::fnv1a(g.data() + 1008, 37), 0x799a869908513616u);
  EXPECT_EQ(test::fnv1a(g.data() + 1045, 5), 0xd8b76517619826e4u);
}

TEST(GradClip, NormTailOfFourOrMoreMatchesTorch) {
  // 14 = 8 + 6: torch adds the first four tail squares rounded, then fmas
  // the rest; an fma for all six gives another last bit for this input.
  nncc_tensor_info t = flatTensor("w", 0, 14);
  float g[14];
  for (int i = 0; i < 14; ++i)
    g[i] = float(std::sin(2.6 * i + 0.5) * 3);
  EXPECT_EQ(gradNorm(&t, 1, 14, g), 0x1.d9eeap+2f);
}

TEST(GradClip, FrozenTensorsHaveNoGradient) {
  // No gradient code is generated for a frozen tensor: its slots may hold
  // anything, and must neither count nor change.
  nncc_tensor_info table[] = {flatTensor("a", 0, 2), flatTensor("f", 2, 1, 1)};
  float g[3] = {3, 4, NAN};
  EXPECT_EQ(clipGradNorm(table, 2, 3, g, 100.0), 5.0f);
  EXPECT_TRUE(std::isnan(g[2]));
}

TEST(GradClip, NonFiniteNormsAreReported) {
  nncc_tensor_info t = flatTensor("a", 0, 2);
  float g[2] = {INFINITY, 1};
  EXPECT_EQ(test::errorOf([&] { clipGradNorm(&t, 1, 2, g, 1.0, true); }),
            "the total norm of the gradients is inf, so they cannot be "
            "clipped");
  EXPECT_EQ(g[1], 1.0f); // untouched when it throws
  // torch's default: scale anyway (by 0 here) and return the norm.
  EXPECT_TRUE(std::isinf(clipGradNorm(&t, 1, 2, g, 1.0)));
  EXPECT_EQ(g[1], 0.0f);
  float n[2] = {NAN, 1};
  EXPECT_TRUE(std::isnan(clipGradNorm(&t, 1, 2, n, 1.0)));
  EXPECT_TRUE(std::isnan(n[1]));
  EXPECT_EQ(test::errorOf([&] { clipGradNorm(&t, 1, 2, n, -1.0); }),
            "invalid maximum gradient norm -1.000000");
}

} // namespace
