//===- TrainStateTest.cpp - the training state file and exact resuming ----===//
//
// The generator's state round trip, the state file's fields and its checks,
// and, through nncc_train_main on FakeModel.h, that a run stopped and
// resumed gives the bytes of an uninterrupted one for every optimizer,
// schedule, sampler and loader setting that keeps state.
//
//===----------------------------------------------------------------------===//
#include "nncc/TrainState.h"
#include "FakeModel.h"
#include "TestUtil.h"
#include "TrainRun.h"
#include "nncc/Checkpoint.h"
#include "nncc/Safetensors.h"
#include "nncc/TorchRandom.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

constexpr int kParamCount = kClasses * kFeatures + kClasses;

TEST(TrainState, GeneratorStateContinuesTheStream) {
  TorchGenerator a(7);
  for (int i = 0; i < 1000; ++i)
    a.random();
  float normals[3];
  a.normal(normals, 3, 0, 1); // n < 16 leaves torch's cached normal behind
  std::vector<int64_t> saved = a.state();
  ASSERT_EQ(saved.size(), TorchGenerator::kStateSize);
  EXPECT_EQ(saved[625], 1); // the cached-normal flag
  TorchGenerator b(0);
  b.setState(saved, "test");
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(a.random(), b.random()) << i;
  float x[5], y[5];
  a.normal(x, 5, 0, 1);
  b.normal(y, 5, 0, 1);
  EXPECT_EQ(fnv1a(x, 5), fnv1a(y, 5));
  EXPECT_EQ(a.state(), b.state());
}

TEST(TrainState, MalformedGeneratorStatesAreRefused) {
  TorchGenerator g(0);
  std::vector<int64_t> s = g.state();
  std::vector<int64_t> shortState(s.begin(), s.end() - 1);
  EXPECT_NE(errorOf([&] { g.setState(shortState, "f"); }).find("627 values"),
            std::string::npos);
  std::vector<int64_t> bad = s;
  bad[3] = int64_t(1) << 33;
  EXPECT_NE(errorOf([&] { g.setState(bad, "f"); }).find("value 3"),
            std::string::npos);
  bad = s;
  bad[624] = 625; // the position within the 624 words
  EXPECT_NE(errorOf([&] { g.setState(bad, "f"); }), "");
  bad = s;
  bad[625] = 2;
  EXPECT_NE(errorOf([&] { g.setState(bad, "f"); }).find("flag"),
            std::string::npos);
  EXPECT_EQ(g.state(), s); // refused states change nothing
}

TEST(TrainState, PathSitsNextToTheWeights) {
  EXPECT_EQ(trainStatePath("run/mlp.safetensors"), "run/mlp.state.safetensors");
  EXPECT_EQ(trainStatePath("ck"), "ck.state.safetensors");
}

TEST(TrainState, RoundTripsEveryField) {
  TempDir dir;
  std::vector<float> params(kParamCount), buffers(2, 0.0f);
  for (int i = 0; i < kParamCount; ++i)
    params[size_t(i)] = 0.25f * float(i) - 3.0f;
  int64_t counter = 41;
  std::memcpy(buffers.data(), &counter, 8);
  TrainState st;
  st.epoch = 2;
  st.step = 77;
  st.epochStep = 5;
  st.epochLossSum = 0.1 + 0.2; // not exactly representable: read back bitwise
  st.epochSeconds = 1.5;
  st.epochCorrect = 60;
  st.epochSamples = 80;
  st.generator = TorchGenerator(3).state();
  st.loader = {2, 80, {3, 1, 2, 0}};
  st.components.metadata["optimizer.kind"] = "sgd";
  float buf[3] = {1, 2, 3};
  st.components.tensors.push_back(
      NamedTensor::fromF32("optimizer.momentum_buffer.fc.bias", {3}, buf));
  for (int e = 1; e <= 2; ++e) {
    EpochMetrics m;
    m.epoch = e;
    m.steps = 36;
    m.samples = 300;
    m.trainLoss = 1.0 / 3.0 / e;
    m.testAccuracy = 0.9;
    m.lr = 0.05;
    st.history.push_back(m);
  }
  st.config = {{"batch", "8"}};
  saveTrainState(dir.file("s"), fakeModel, params.data(), buffers.data(), st);

  std::vector<float> p2(kParamCount), b2(2);
  TrainState r = loadTrainState(dir.file("s"), fakeModel, p2.data(), b2.data());
  EXPECT_EQ(p2, params);
  EXPECT_EQ(fakeCounter(b2.data()), 41);
  EXPECT_EQ(r.epoch, 2);
  EXPECT_EQ(r.step, 77);
  EXPECT_EQ(r.epochStep, 5);
  EXPECT_EQ(r.epochLossSum, 0.1 + 0.2);
  EXPECT_EQ(r.epochCorrect, 60);
  EXPECT_EQ(r.epochSamples, 80);
  EXPECT_EQ(r.generator, st.generator);
  EXPECT_EQ(r.loader.epoch, 2);
  EXPECT_EQ(r.loader.cursor, 80);
  EXPECT_EQ(r.loader.order, (std::vector<int64_t>{3, 1, 2, 0}));
  EXPECT_EQ(r.components.metadata.at("optimizer.kind"), "sgd");
  ASSERT_EQ(r.components.tensors.size(), 1u);
  EXPECT_EQ(r.components.tensors[0].name, "optimizer.momentum_buffer.fc.bias");
  EXPECT_EQ(r.config, st.config);
  ASSERT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.history[1].trainLoss, 1.0 / 3.0 / 2);
  EXPECT_EQ(r.history[1].steps, 36);
  EXPECT_EQ(r.history[0].lr, 0.05);
}

TEST(TrainState, BadFilesNameTheFileAndTheProblem) {
  TempDir dir;
  std::vector<float> p(kParamCount), b(2);
  // A plain checkpoint is not a state file.
  saveCheckpoint(dir.file("w"), fakeModel, p.data(), b.data());
  EXPECT_NE(errorOf([&] {
              loadTrainState(dir.file("w"), fakeModel, p.data(), b.data());
            }).find("'" + dir.file("w") + "' is not an nncc training state"),
            std::string::npos);
  TrainState st;
  st.generator = TorchGenerator(0).state();
  saveTrainState(dir.file("s"), fakeModel, p.data(), b.data(), st);
  TensorFile f = readSafetensors(dir.file("s"));
  // History that disagrees with the epoch count.
  f.metadata["epoch"] = "3";
  writeSafetensors(dir.file("bad1"), f);
  EXPECT_NE(errorOf([&] {
              loadTrainState(dir.file("bad1"), fakeModel, p.data(), b.data());
            }).find("0 epochs of history for 3"),
            std::string::npos);
  // A field that is not a number.
  f = readSafetensors(dir.file("s"));
  f.metadata["step"] = "12x";
  writeSafetensors(dir.file("bad2"), f);
  EXPECT_NE(errorOf([&] {
              loadTrainState(dir.file("bad2"), fakeModel, p.data(), b.data());
            }).find("field 'step' is '12x'"),
            std::string::npos);
  // A truncated generator state.
  f = readSafetensors(dir.file("s"));
  for (NamedTensor &t : f.tensors)
    if (t.name == "rng.generator") {
      t.shape = {10};
      t.data.resize(80);
    }
  writeSafetensors(dir.file("bad3"), f);
  EXPECT_NE(errorOf([&] {
              loadTrainState(dir.file("bad3"), fakeModel, p.data(), b.data());
            }).find("rng.generator: a generator state has 627 values"),
            std::string::npos);
  // Another model's weights: every mismatch listed, as for checkpoints.
  nncc_model other = fakeModel;
  other.name = "other";
  nncc_tensor_info renamed[2] = {fakeParams[0], fakeParams[1]};
  renamed[1].name = "head.bias";
  other.params = renamed;
  std::string msg = errorOf(
      [&] { loadTrainState(dir.file("s"), other, p.data(), b.data()); });
  EXPECT_NE(msg.find("missing tensor: head.bias [3]"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("unexpected tensor: fc.bias [3]"), std::string::npos)
      << msg;
}

/// Runs `stages` one after the other, each resuming from the one before,
/// and compares the final weights and state with one uninterrupted `whole`
/// run.
class Resume : public testing::Test {
protected:
  void SetUp() override {
    writeSplit(data, "train", 300, 1);
    writeSplit(data, "t10k", 60, 2);
    fakeNanAtCall = 0;
  }
  void expectExact(std::vector<std::string> common,
                   std::vector<std::string> whole,
                   std::vector<std::vector<std::string>> stages) {
    common.insert(common.begin(), {"--data", "fashion-mnist=" + data.path()});
    auto run = [&](std::vector<std::string> extra, const std::string &save) {
      std::vector<std::string> args = common;
      args.insert(args.end(), extra.begin(), extra.end());
      args.insert(args.end(), {"--save", out.file(save)});
      TrainRun r = trainMain(args, model);
      EXPECT_EQ(r.rc, 0) << r.err;
      return r;
    };
    fakeSeeds.clear();
    run(whole, "whole");
    std::vector<uint64_t> wholeSeeds = fakeSeeds;
    fakeSeeds.clear();
    std::string last;
    for (size_t i = 0; i < stages.size(); ++i) {
      std::vector<std::string> extra = stages[i];
      if (i > 0)
        extra.insert(extra.end(), {"--resume", out.file(last)});
      last = "stage" + std::to_string(i);
      TrainRun r = run(extra, last);
      if (i > 0)
        EXPECT_NE(r.out.find("resuming from"), std::string::npos) << r.out;
    }
    EXPECT_EQ(readBytes(out.file("whole")), readBytes(out.file(last)));
    // train_step got the same per-step seeds (dropout masks) in both.
    EXPECT_EQ(wholeSeeds, fakeSeeds);
    // The states agree too, but for the wall-clock fields.
    TensorFile a = readSafetensors(out.file("whole.state.safetensors"));
    TensorFile b = readSafetensors(out.file(last + ".state.safetensors"));
    ASSERT_EQ(a.tensors.size(), b.tensors.size());
    for (size_t i = 0; i < a.tensors.size(); ++i) {
      EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
      EXPECT_TRUE(a.tensors[i].data == b.tensors[i].data) << a.tensors[i].name;
    }
    for (const char *key : {"epoch", "step", "epoch_step", "loader_epoch",
                            "loader_cursor", "optimizer.lr.0"})
      if (a.metadata.count(key))
        EXPECT_EQ(a.metadata[key], b.metadata[key]) << key;
  }
  TempDir data, out;
  nncc_model model = fakeModel;
};

TEST_F(Resume, SgdMomentumAtAnEpochBoundary) {
  expectExact({"--batch", "16", "--lr", "0.1"}, {"--epochs", "3"},
              {{"--epochs", "1"}, {"--epochs", "3"}});
}

TEST_F(Resume, SgdNesterovWeightDecayMidEpoch) {
  expectExact({"--batch", "16", "--nesterov", "--weight-decay", "0.01"},
              {"--epochs", "2"}, {{"--steps", "7"}, {"--epochs", "2"}});
}

TEST_F(Resume, AdamWithCosineWarmupPerIterationStoppedTwice) {
  expectExact({"--batch", "32", "--optimizer", "adam", "--amsgrad",
               "--scheduler", "cosine:warmup=5,unit=iteration,eta_min=0.001"},
              {"--epochs", "3"},
              {{"--epochs", "3", "--steps", "4"},
               {"--epochs", "3", "--steps", "17"},
               {"--epochs", "3"}});
}

TEST_F(Resume, AdamWStepScheduleClippingWorkersAugmentWeightedSampler) {
  expectExact({"--batch", "32", "--optimizer", "adamw", "--no-decay-norm-bias",
               "--scheduler", "step:step_size=1,gamma=0.5", "--clip-grad-norm",
               "0.5", "--workers", "2", "--augment", "crop=1,flip", "--sampler",
               "weighted"},
              {"--epochs", "3"},
              {{"--epochs", "3", "--steps", "13"}, {"--epochs", "3"}});
}

TEST_F(Resume, OneCycleWithSaveEveryAndDropLast) {
  expectExact({"--batch", "32", "--drop-last", "--scheduler",
               "onecycle:max_lr=0.5", "--save-every", "4"},
              {"--epochs", "2"}, {{"--steps", "12"}, {"--epochs", "2"}});
}

TEST_F(Resume, DropoutSeedsContinueTheStream) {
  model.has_dropout = 1; // the trainer draws a seed per step for it
  expectExact({"--batch", "16"}, {"--epochs", "2"},
              {{"--steps", "9"}, {"--epochs", "2"}});
  // Both stages together: two epochs of ceil(300 / 16) steps, real seeds.
  ASSERT_EQ(fakeSeeds.size(), 2u * 19);
  EXPECT_NE(fakeSeeds[9], fakeSeeds[10]);
}

TEST_F(Resume, RefusesAnotherBatchOptimizerOrSchedule) {
  std::string d = "fashion-mnist=" + data.path();
  ASSERT_EQ(
      trainMain({"--data", d, "--steps", "3", "--save", out.file("p")}).rc, 0);
  struct Case {
    std::vector<std::string> args;
    const char *message;
  } cases[] = {
      {{"--batch", "32"},
       "saved with batch = 64, this run has 32 (give the same --batch)"},
      {{"--optimizer", "adam"}, "(give the same --optimizer)"},
      {{"--scheduler", "cosine"}, "(give the same --scheduler)"},
      {{"--drop-last"}, "(give the same --drop-last)"},
  };
  for (const Case &c : cases) {
    std::vector<std::string> args = {"--data", d, "--resume", out.file("p")};
    args.insert(args.end(), c.args.begin(), c.args.end());
    TrainRun r = trainMain(args);
    EXPECT_EQ(r.rc, 1);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  TrainRun missing =
      trainMain({"--data", d, "--resume", out.file("nothing-here")});
  EXPECT_EQ(missing.rc, 1);
  EXPECT_NE(missing.err.find("nothing-here.state.safetensors"),
            std::string::npos)
      << missing.err;
}

TEST_F(Resume, AFinishedRunResumesToNothingButEvaluates) {
  std::string d = "fashion-mnist=" + data.path();
  ASSERT_EQ(
      trainMain({"--data", d, "--epochs", "1", "--save", out.file("p")}).rc, 0);
  std::vector<uint8_t> before = readBytes(out.file("p"));
  TrainRun r = trainMain({"--data", d, "--epochs", "1", "--resume",
                          out.file("p"), "--save", out.file("q")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("test loss"), std::string::npos) << r.out;
  EXPECT_EQ(readBytes(out.file("q")), before);
}

} // namespace
