//===- LrSchedulerTest.cpp - schedules equal torch.optim.lr_scheduler -----===//
//
// Expected values are what torch 1.13 printed (repr, which round-trips
// exactly) for an SGD with lr 0.1 stepped the same number of times; the
// cosine case pins the recursive form, which differs from the closed form
// in the last bits from epoch 3 on. tests/golden/golden-optim.test covers
// more settings and parameter groups.
//
//===----------------------------------------------------------------------===//
#include "nncc/LrScheduler.h"
#include "TestUtil.h"
#include "nncc/OneCycleLr.h"
#include "nncc/OptimizerConfig.h"
#include "nncc/Sgd.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {

nncc_tensor_info kTensor = {"w", 1, {1, 0, 0, 0},   0, 1, 0, 0,
                            0,   0, NNCC_DTYPE_F32, 0};

Sgd makeSgd(double momentum = 0.0) {
  SgdOptions o;
  o.lr = 0.1;
  o.momentum = momentum;
  return Sgd(&kTensor, 1, 1, o);
}

/// The lr after construction and after each of `n` steps.
std::vector<double> run(Sgd &sgd, LrScheduler &s, int n) {
  std::vector<double> lrs = {sgd.lr(0)};
  for (int i = 0; i < n; ++i) {
    s.step();
    lrs.push_back(sgd.lr(0));
    EXPECT_EQ(s.lastLr().at(0), sgd.lr(0));
  }
  return lrs;
}

TEST(LrScheduler, StepLr) {
  Sgd sgd = makeSgd();
  StepLr s(sgd, 2, 0.3);
  EXPECT_EQ(run(sgd, s, 6),
            (std::vector<double>{0.1, 0.1, 0.03, 0.03, 0.009, 0.009,
                                 0.0026999999999999997}));
  EXPECT_EQ(s.lastEpoch(), 6);
}

TEST(LrScheduler, MultiStepLrCountsRepeatedMilestones) {
  Sgd sgd = makeSgd();
  MultiStepLr s(sgd, {5, 2, 5}, 0.5);
  EXPECT_EQ(run(sgd, s, 6),
            (std::vector<double>{0.1, 0.1, 0.05, 0.05, 0.05, 0.0125, 0.0125}));
}

TEST(LrScheduler, LinearLrWarmsUp) {
  Sgd sgd = makeSgd();
  LinearLr s(sgd, 0.25, 1.0, 4);
  EXPECT_EQ(
      run(sgd, s, 6),
      (std::vector<double>{0.025, 0.043750000000000004, 0.06250000000000001,
                           0.08125000000000002, 0.10000000000000002,
                           0.10000000000000002, 0.10000000000000002}));
}

TEST(LrScheduler, CosineIsTorchsRecursiveForm) {
  Sgd sgd = makeSgd();
  CosineAnnealingLr s(sgd, 10);
  std::vector<double> expected = {0x1.999999999999ap-4,
                                  0x1.8f938d481bb9ap-4,
                                  0x1.727c9716ffb77p-4,
                                  0x1.452dace95575ap-4,
                                  0x1.0c1630b099511p-4,
                                  0x1.999999999999bp-5,
                                  0x1.1b06d1d200915p-5,
                                  0x1.51afb2c110906p-6,
                                  0x1.38e81414cf11ep-7,
                                  0x1.40c18a2fbc00ep-9,
                                  0.0,
                                  0x1.40c18a2fbc00dp-9,
                                  0x1.38e81414cf130p-7};
  EXPECT_EQ(run(sgd, s, 12), expected);
  // The closed form (step(epoch)) is another number at epoch 3.
  s.stepTo(3);
  EXPECT_EQ(sgd.lr(0), 0x1.452dace955759p-4);
}

TEST(LrScheduler, WarmUpThenCosine) {
  // SequentialLR([LinearLR(0.1, total_iters=3), CosineAnnealingLR(5)], [3])
  Sgd sgd = makeSgd();
  std::vector<std::unique_ptr<LrScheduler>> parts;
  parts.push_back(std::make_unique<LinearLr>(sgd, 0.1, 1.0, 3));
  parts.push_back(std::make_unique<CosineAnnealingLr>(sgd, 5));
  SequentialLr s(sgd, std::move(parts), {3});
  EXPECT_EQ(run(sgd, s, 9),
            (std::vector<double>{0x1.47ae147ae147cp-7, 0x1.47ae147ae147bp-5,
                                 0x1.1eb851eb851ecp-4, 0x1.999999999999ap-4,
                                 0x1.727c9716ffb77p-4, 0x1.0c1630b099510p-4,
                                 0x1.1b06d1d200914p-5, 0x1.38e81414cf11dp-7,
                                 0.0, 0x1.38e81414cf11ap-7}));
}

TEST(LrScheduler, OneCycleCyclesLrAndMomentum) {
  Sgd sgd = makeSgd(0.9);
  OneCycleOptions o;
  o.maxLr = 1.0;
  o.totalSteps = 10;
  OneCycleLr s(sgd, o);
  EXPECT_EQ(sgd.momentum(0), 0.95);
  std::vector<double> lrs = run(sgd, s, 9);
  EXPECT_EQ(lrs,
            (std::vector<double>{0x1.47ae147ae1480p-5, 0x1.0a3d70a3d70a4p-1,
                                 1.0, 0x1.e6a5ebf3b269ep-1,
                                 0x1.9f9d2058c4cb9p-1, 0x1.38f755f301a31p-1,
                                 0x1.8e12608976c55p-2, 0x1.818d977be0e89p-3,
                                 0x1.95a9a440a9bc8p-5, 0x1.0c6f7a0b5ed8dp-18}));
  EXPECT_EQ(sgd.momentum(0), 0.95);
  s.step(); // the 11th lr: one past the end, as torch allows
  EXPECT_EQ(test::errorOf([&] { s.step(); }),
            "tried to step 12 times; OneCycleLR's total number of steps is 10");
}

TEST(LrScheduler, StateRoundTripContinuesTheSequence) {
  SchedulerConfig c = parseSchedulerSpec("cosine:warmup=2,warmup_start=0.2");
  Sgd a = makeSgd();
  auto straight = makeScheduler(a, c, 10, 1);
  Sgd b = makeSgd();
  auto first = makeScheduler(b, c, 10, 1);
  for (int i = 0; i < 4; ++i) {
    straight->step();
    first->step();
  }
  TensorFile state;
  b.saveState(state);
  first->saveState(state);
  Sgd resumed = makeSgd();
  auto second = makeScheduler(resumed, c, 10, 1);
  resumed.loadState(state, "state");
  second->loadState(state, "state");
  for (int i = 4; i < 10; ++i) {
    straight->step();
    second->step();
    EXPECT_EQ(resumed.lr(0), a.lr(0)) << "epoch " << i + 1;
  }
}

TEST(LrScheduler, RejectsBadSettings) {
  Sgd sgd = makeSgd();
  EXPECT_EQ(test::errorOf([&] { StepLr(sgd, 0); }),
            "StepLR needs a step size of at least 1, got 0");
  EXPECT_EQ(test::errorOf([&] { CosineAnnealingLr(sgd, 0); }),
            "CosineAnnealingLR needs T_max of at least 1, got 0");
  EXPECT_EQ(test::errorOf([&] { LinearLr(sgd, 0.0); }),
            "LinearLR's start factor must be in (0, 1], got 0.000000");
  EXPECT_EQ(test::errorOf([&] {
              std::vector<std::unique_ptr<LrScheduler>> parts;
              parts.push_back(std::make_unique<StepLr>(sgd, 1));
              SequentialLr(sgd, std::move(parts), {3});
            }),
            "SequentialLR needs one milestone fewer than schedules (1 "
            "schedules, 1 milestones)");
}

TEST(SchedulerSpec, ParsesSettingsAndNamesMistakes) {
  SchedulerConfig c =
      parseSchedulerSpec("multistep:milestones=30+60,gamma=0.5,unit=iteration");
  EXPECT_EQ(c.kind, SchedulerKind::MultiStep);
  EXPECT_EQ(c.milestones, (std::vector<int64_t>{30, 60}));
  EXPECT_EQ(c.gamma, 0.5);
  EXPECT_EQ(c.unit, ScheduleUnit::Iteration);
  c = parseSchedulerSpec("onecycle:max_lr=0.3,anneal=linear,three_phase=true");
  EXPECT_EQ(c.oneCycle.maxLr, 0.3);
  EXPECT_FALSE(c.oneCycle.cosineAnnealing);
  EXPECT_TRUE(c.oneCycle.threePhase);
  EXPECT_EQ(parseSchedulerSpec("cosine").kind, SchedulerKind::Cosine);
  EXPECT_EQ(test::errorOf([] { parseSchedulerSpec("cosin"); }),
            "unknown schedule 'cosin' (expected none, step, multistep, "
            "cosine, linear or onecycle)");
  EXPECT_EQ(test::errorOf([] { parseSchedulerSpec("step:gamma=x"); }),
            "schedule setting 'gamma' needs a number, got 'x'");
  EXPECT_NE(test::errorOf([] {
              parseSchedulerSpec("step:gama=1");
            }).find("bad schedule setting 'gama=1' (expected key=value"),
            std::string::npos);
}

TEST(SchedulerConfig, DefaultsFillTheRun) {
  // Cosine over the epochs left after warm-up; OneCycle over every step.
  Sgd sgd = makeSgd();
  SchedulerConfig c = parseSchedulerSpec("cosine:warmup=2");
  auto s = makeScheduler(sgd, c, 7, 100);
  for (int i = 0; i < 7; ++i)
    s->step();
  EXPECT_EQ(sgd.lr(0), 0.0); // T_max = 5 reached at epoch 7
  Sgd sgd2 = makeSgd();
  auto one = makeScheduler(sgd2, parseSchedulerSpec("onecycle"), 2, 3);
  for (int i = 0; i < 6; ++i)
    one->step();
  EXPECT_NE(test::errorOf([&] { one->step(); }), "");
  EXPECT_EQ(makeScheduler(sgd2, SchedulerConfig{}, 1, 1), nullptr);
  EXPECT_EQ(test::errorOf([&] {
              makeScheduler(sgd2, parseSchedulerSpec("onecycle:warmup=2"), 2,
                            3);
            }),
            "OneCycleLR has its own warm-up and steps per iteration; warmup "
            "and unit do not apply to it");
}

} // namespace
