//===- SgdTest.cpp - Sgd against hand-computed torch.optim.SGD steps ------===//
//
// Each case starts at p = 1 with lr = 0.1 and feeds the gradients 1, 0.5, -1;
// the expected values are worked out by hand in the comments (and agree with
// torch.optim.SGD 1.13 to 6 digits). BitIdenticalToTorch pins exact values.
//
//===----------------------------------------------------------------------===//
#include "nncc/Sgd.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {

nncc_tensor_info tensor(const char *name, int64_t offset, int64_t numel,
                        int32_t frozen = 0, int32_t dtype = NNCC_DTYPE_F32) {
  return {name,  1, {numel, 0, 0, 0}, offset, numel, NNCC_INIT_ZEROS,
          numel, 1, frozen,           dtype,  0.0};
}

std::vector<float> runSteps(SgdOptions options) {
  nncc_tensor_info t = tensor("w", 0, 1);
  Sgd sgd(&t, 1, 1, options);
  float p = 1.0f;
  std::vector<float> trajectory;
  for (float g : {1.0f, 0.5f, -1.0f}) {
    sgd.step(&p, &g);
    trajectory.push_back(p);
  }
  EXPECT_EQ(sgd.stepCount(), 3);
  return trajectory;
}

void expectTrajectory(const std::vector<float> &got,
                      const std::vector<float> &want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-6) << "after step " << i + 1;
}

TEST(Sgd, PlainGradientDescent) {
  // p -= 0.1 g: 0.9, 0.85, 0.95
  expectTrajectory(runSteps({0.1, 0, 0, 0, false}), {0.9f, 0.85f, 0.95f});
}

TEST(Sgd, MomentumStartsFromTheFirstGradient) {
  // buf = 1            p = 1 - 0.1*1 = 0.9
  // buf = 0.9 + 0.5 = 1.4       p = 0.9 - 0.14 = 0.76
  // buf = 1.26 - 1 = 0.26       p = 0.76 - 0.026 = 0.734
  expectTrajectory(runSteps({0.1, 0.9, 0, 0, false}), {0.9f, 0.76f, 0.734f});
}

TEST(Sgd, DampeningSparesTheFirstStep) {
  // buf = 1 (no dampening on the first step)            p = 0.9
  // buf = 0.9*1 + 0.5*0.5 = 1.15                        p = 0.785
  // buf = 0.9*1.15 + 0.5*(-1) = 0.535                   p = 0.7315
  expectTrajectory(runSteps({0.1, 0.9, 0.5, 0, false}),
                   {0.9f, 0.785f, 0.7315f});
}

TEST(Sgd, Nesterov) {
  // buf = 1,    d = 1 + 0.9*1 = 1.9         p = 1 - 0.19 = 0.81
  // buf = 1.4,  d = 0.5 + 0.9*1.4 = 1.76    p = 0.81 - 0.176 = 0.634
  // buf = 0.26, d = -1 + 0.9*0.26 = -0.766  p = 0.634 + 0.0766 = 0.7106
  expectTrajectory(runSteps({0.1, 0.9, 0, 0, true}), {0.81f, 0.634f, 0.7106f});
}

TEST(Sgd, WeightDecayBeforeMomentum) {
  // d = 1 + 0.1*1 = 1.1,          buf = 1.1             p = 0.89
  // d = 0.5 + 0.089 = 0.589,      buf = 0.99 + 0.589 = 1.579     p = 0.7321
  // d = -1 + 0.07321 = -0.92679,  buf = 1.4211 - 0.92679 = 0.49431
  //                                                     p = 0.682669
  expectTrajectory(runSteps({0.1, 0.9, 0, 0.1, false}),
                   {0.89f, 0.7321f, 0.682669f});
}

TEST(Sgd, DampeningWithWeightDecay) {
  // d = 1.1,                   buf = 1.1                          p = 0.89
  // d = 0.589,                 buf = 0.99 + 0.2945 = 1.2845       p = 0.76155
  // d = -1 + 0.076155,         buf = 1.15605 - 0.4619225 = 0.6941275
  //                                                               p =
  //                                                               0.69213725
  expectTrajectory(runSteps({0.1, 0.9, 0.5, 0.1, false}),
                   {0.89f, 0.76155f, 0.692137f});
}

TEST(Sgd, SkipsFrozenTensorsAndKeepsPerElementBuffers) {
  nncc_tensor_info table[] = {tensor("a", 0, 2), tensor("frozen", 2, 1, 1),
                              tensor("b", 3, 1)};
  Sgd sgd(table, 3, 4, {0.5, 0.5, 0, 0, false});
  float p[4] = {1, 1, 1, 1};
  float g1[4] = {1, 2, 100, -2};
  float g2[4] = {0, 0, 100, 0};
  sgd.step(p, g1);
  EXPECT_FLOAT_EQ(p[0], 0.5f);  // 1 - 0.5*1
  EXPECT_FLOAT_EQ(p[1], 0.0f);  // 1 - 0.5*2
  EXPECT_FLOAT_EQ(p[2], 1.0f);  // frozen
  EXPECT_FLOAT_EQ(p[3], 2.0f);  // 1 + 0.5*2
  sgd.step(p, g2);              // buf halves; p -= 0.5 * buf
  EXPECT_FLOAT_EQ(p[0], 0.25f); // 0.5 - 0.5*0.5
  EXPECT_FLOAT_EQ(p[1], -0.5f); // 0 - 0.5*1
  EXPECT_FLOAT_EQ(p[2], 1.0f);
  EXPECT_FLOAT_EQ(p[3], 2.5f); // 2 + 0.5*1
}

/// 20 elements (one 16-wide vector chunk and a scalar tail in torch's
/// kernels), 4 steps; expected values printed by torch 1.13 with
/// float.hex(): p0[i] = 0.1 i - 0.97, g_k[i] = ((7i + 3k) % 11 - 5) / 7.
std::vector<float> torchTrajectoryEnd(SgdOptions options) {
  nncc_tensor_info t = tensor("w", 0, 20);
  Sgd sgd(&t, 1, 20, options);
  std::vector<float> p(20), g(20);
  for (int i = 0; i < 20; ++i)
    p[i] = float(0.1 * i - 0.97);
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 20; ++i)
      g[i] = float(((i * 7 + k * 3) % 11 - 5) / 7.0);
    sgd.step(p.data(), g.data());
  }
  return p;
}

TEST(Sgd, BitIdenticalToTorch) {
  std::vector<float> damped = {
      -0x1.b3220cp-1, -0x1.f03cb6p-1, -0x1.85b08cp-1, -0x1.84e362p-1,
      -0x1.37a9a8p-1, -0x1.9a3af6p-2, -0x1.98a0a6p-2, -0x1.fc5a66p-3,
      -0x1.c5f8aap-4, -0x1.3bd446p-5, -0x1.69b296p-6, 0x1.ff4fe8p-3,
      0x1.0ae532p-3,  0x1.5a8af4p-2,  0x1.5c2542p-2,  0x1.f698b6p-2,
      0x1.65d888p-1,  0x1.66a5b0p-1,  0x1.b3df6ap-1,  0x1.fa36eep-1};
  EXPECT_EQ(torchTrajectoryEnd({0.05, 0.9, 0.1, 1e-3, false}), damped);
  std::vector<float> nesterov = {
      -0x1.b22b6ap-1, -0x1.fc66ecp-1, -0x1.849858p-1, -0x1.90ed18p-1,
      -0x1.36706ap-1, -0x1.7d43aap-2, -0x1.95ed2ap-2, -0x1.c1e79ap-3,
      -0x1.146a00p-3, -0x1.400468p-7, -0x1.7876e6p-5, 0x1.01b806p-2,
      0x1.b50404p-4,  0x1.5cde2ap-2,  0x1.4434aep-2,  0x1.f92e08p-2,
      0x1.746598p-1,  0x1.6810dap-1,  0x1.c28d88p-1,  0x1.edeceep-1};
  EXPECT_EQ(torchTrajectoryEnd({0.05, 0.9, 0, 5e-4, true}), nesterov);
}

TEST(Sgd, RejectsInvalidOptions) {
  nncc_tensor_info t = tensor("w", 0, 1);
  EXPECT_THROW(Sgd(&t, 1, 1, {0.1, 0, 0, 0, /*nesterov=*/true}), Error);
  EXPECT_THROW(Sgd(&t, 1, 1, {0.1, 0.9, 0.1, 0, true}), Error);
  EXPECT_THROW(Sgd(&t, 1, 1, {-1.0, 0, 0, 0, false}), Error);
  nncc_tensor_info outside = tensor("w", 1, 1);
  EXPECT_THROW(Sgd(&outside, 1, 1, {0.1, 0, 0, 0, false}), Error);
}

TEST(Sgd, IntegerTensorsMustBeFrozen) {
  // An I64 tensor in the parameter table takes two slots per element and
  // has no gradient: frozen it is skipped, trainable it is an error.
  nncc_tensor_info table[] = {tensor("w", 0, 1),
                              tensor("count", 2, 1, 1, NNCC_DTYPE_I64)};
  Sgd sgd(table, 2, 4, {0.5, 0, 0, 0, false});
  float p[4] = {1, 7, 7, 7}, g[4] = {2, 100, 100, 100};
  sgd.step(p, g);
  EXPECT_EQ(p[0], 0.0f);
  EXPECT_EQ(p[2], 7.0f);
  EXPECT_EQ(p[3], 7.0f);
  table[1].frozen = 0;
  std::string msg = test::errorOf([&] {
    Sgd(table, 2, 4, {0.5, 0, 0, 0, false});
  });
  EXPECT_NE(msg.find("'count' is not F32"), std::string::npos) << msg;
}

} // namespace
