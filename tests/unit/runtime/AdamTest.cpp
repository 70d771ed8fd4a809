//===- AdamTest.cpp - Adam and AdamW against torch.optim 1.13 -------------===//
//
// The first step is worked out by hand; the trajectories are pinned with an
// FNV-1a hash of the final weights that torch 1.13 printed for the same
// inputs (p0[i] = 0.1 i - 0.97, g_k[i] = ((7i + 3k) % 11 - 5) / 7, 20
// elements: one 16-wide chunk and a scalar tail, 6 steps, foreach=False).
//
//===----------------------------------------------------------------------===//
#include "nncc/Adam.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace nncc;
using namespace nncc::test;

namespace {

GroupOptions adamOptions(double lr, double beta1, double beta2, double eps,
                         double weightDecay, bool amsgrad) {
  GroupOptions o;
  o.lr = lr;
  o.beta1 = beta1;
  o.beta2 = beta2;
  o.eps = eps;
  o.weightDecay = weightDecay;
  o.amsgrad = amsgrad;
  return o;
}

std::vector<float> trajectoryEnd(const GroupOptions &o, bool decoupled) {
  nncc_tensor_info t = flatTensor("w", 0, 20);
  Adam adam(&t, 1, 20, singleGroup(&t, 1, o), decoupled);
  std::vector<float> p(20), g(20);
  for (int i = 0; i < 20; ++i)
    p[i] = float(0.1 * i - 0.97);
  for (int k = 0; k < 6; ++k) {
    for (int i = 0; i < 20; ++i)
      g[i] = float(((i * 7 + k * 3) % 11 - 5) / 7.0);
    adam.step(p.data(), g.data());
  }
  return p;
}

TEST(Adam, FirstStepMovesByTheLearningRate) {
  // m = 0.1 g, v = 0.001 g^2; bias corrections 0.1 and 0.001 undo the
  // decay, so the step is lr * g / (|g| + eps): -lr * sign(g), nearly.
  nncc_tensor_info t = flatTensor("w", 0, 2);
  Adam adam(&t, 1, 2,
            singleGroup(&t, 1, adamOptions(0.1, 0.9, 0.999, 1e-8, 0, false)));
  float p[2] = {1, 1}, g[2] = {2, -0.5f};
  adam.step(p, g);
  EXPECT_NEAR(p[0], 0.9f, 1e-6);
  EXPECT_NEAR(p[1], 1.1f, 1e-6);
  EXPECT_FLOAT_EQ(adam.expAvg()[0], 0.2f);
  EXPECT_FLOAT_EQ(adam.expAvgSq()[1], 0.00025f);
  EXPECT_EQ(adam.stepCount(), 1);
}

TEST(Adam, BitIdenticalToTorch) {
  auto hash = [](const std::vector<float> &p) {
    return test::fnv1a(p.data(), int64_t(p.size()));
  };
  EXPECT_EQ(
      hash(trajectoryEnd(adamOptions(0.05, 0.9, 0.999, 1e-8, 0, false), false)),
      0x61d903ffe26ef9a6u);
  EXPECT_EQ(hash(trajectoryEnd(adamOptions(0.05, 0.8, 0.99, 1e-8, 1e-2, true),
                               false)),
            0x20e11b4b6639251du);
  EXPECT_EQ(hash(trajectoryEnd(adamOptions(0.05, 0.9, 0.999, 1e-8, 0.1, false),
                               true)),
            0x7c700636e11cc84au);
  // torch's AdamW default weight decay, 1e-2.
  EXPECT_EQ(hash(trajectoryEnd(adamOptions(0.01, 0.9, 0.999, 1e-6, 1e-2, true),
                               true)),
            0xeca0978d5db771ccu);
  // And the ends, readable: torch printed these with float.hex().
  std::vector<float> p =
      trajectoryEnd(adamOptions(0.05, 0.9, 0.999, 1e-8, 0, false), false);
  EXPECT_EQ(p[0], -0x1.a0cccp-1f);
  EXPECT_EQ(p[19], 0x1.065e8ap+0f);
}

TEST(AdamW, DecaysWeightsEvenWithZeroGradients) {
  // m = v = 0 throughout, so only p *= 1 - lr * wd acts (0/(0+eps) = 0).
  nncc_tensor_info t = flatTensor("w", 0, 1);
  AdamW adamw(
      &t, 1, 1,
      singleGroup(&t, 1, adamOptions(0.1, 0.9, 0.999, 1e-8, 0.5, false)));
  float p = 2, g = 0;
  adamw.step(&p, &g);
  EXPECT_EQ(p, 2.0f * float(1 - 0.1 * 0.5));
  EXPECT_STREQ(adamw.kind(), "adamw");
}

TEST(Adam, L2WeightDecayEntersTheMoments) {
  // Adam adds wd * p to the gradient: with g = 0 the moments see 0.5 * 2.
  nncc_tensor_info t = flatTensor("w", 0, 1);
  Adam adam(&t, 1, 1,
            singleGroup(&t, 1, adamOptions(0.1, 0.9, 0.999, 1e-8, 0.5, false)));
  float p = 2, g = 0;
  adam.step(&p, &g);
  EXPECT_FLOAT_EQ(adam.expAvg()[0], 0.1f);
  EXPECT_NEAR(p, 1.9f, 1e-6);
}

TEST(Adam, RejectsWhatTorchRejects) {
  nncc_tensor_info t = flatTensor("w", 0, 1);
  auto make = [&](GroupOptions o) {
    return test::errorOf([&] { Adam(&t, 1, 1, singleGroup(&t, 1, o)); });
  };
  EXPECT_NE(make(adamOptions(-1, 0.9, 0.999, 1e-8, 0, false))
                .find("invalid learning rate"),
            std::string::npos);
  EXPECT_NE(make(adamOptions(0.1, 1.0, 0.999, 1e-8, 0, false))
                .find("invalid beta1 1.000000 in parameter group 0"),
            std::string::npos);
  EXPECT_NE(
      make(adamOptions(0.1, 0.9, -0.1, 1e-8, 0, false)).find("invalid beta2"),
      std::string::npos);
  EXPECT_NE(
      make(adamOptions(0.1, 0.9, 0.999, -1, 0, false)).find("invalid epsilon"),
      std::string::npos);
  EXPECT_NE(make(adamOptions(0.1, 0.9, 0.999, 1e-8, NAN, false))
                .find("invalid weight decay"),
            std::string::npos);
}

TEST(Adam, AmsgradKeepsTheLargestSecondMoment) {
  // A large gradient then small ones: with amsgrad the denominator keeps
  // the peak, so later steps are smaller than plain Adam's.
  nncc_tensor_info t = flatTensor("w", 0, 1);
  Adam plain(&t, 1, 1,
             singleGroup(&t, 1, adamOptions(0.1, 0.9, 0.999, 1e-8, 0, false)));
  Adam ams(&t, 1, 1,
           singleGroup(&t, 1, adamOptions(0.1, 0.9, 0.999, 1e-8, 0, true)));
  float p1 = 0, p2 = 0;
  for (float g : {10.0f, 0.1f, 0.1f, 0.1f}) {
    float before1 = p1, before2 = p2;
    plain.step(&p1, &g);
    ams.step(&p2, &g);
    if (g < 1)
      EXPECT_LE(std::fabs(p2 - before2), std::fabs(p1 - before1));
  }
  EXPECT_NE(p1, p2);
}

} // namespace
