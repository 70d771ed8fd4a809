//===- TrainerTest.cpp - nncc_train_main on a synthetic dataset -----------===//
//
// Trains the hand-written softmax regression of FakeModel.h on a tiny
// linearly separable IDX dataset and checks what the trainer prints, writes
// and refuses.
//
//===----------------------------------------------------------------------===//
#include "FakeModel.h"
#include "TestUtil.h"
#include "nncc/Json.h"
#include "nncc/train.h"

#include <gtest/gtest.h>
#include <regex>
#include <sstream>

using namespace nncc;
using namespace nncc::test;

extern "C" int nncc_test_train_main_from_c(const nncc_model *model, int argc,
                                           char **argv);

namespace {

/// Class c lights up row c of a 4x4 image, on top of deterministic noise.
void writeSplit(const TempDir &dir, const std::string &prefix, int n,
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

TrainRun trainMain(std::vector<std::string> args,
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

json::Value readJson(const std::string &path) {
  std::vector<uint8_t> bytes = readBytes(path);
  return json::parse(reinterpret_cast<const char *>(bytes.data()), bytes.size(),
                     path);
}

class Trainer : public testing::Test {
protected:
  void SetUp() override {
    writeSplit(data, "train", 300, 1);
    writeSplit(data, "t10k", 100, 2);
    fakeSawMisaligned = false;
    fakeNanAtCall = 0;
    fakeCalls = 0;
  }
  std::string dataFlag() const { return "fashion-mnist=" + data.path(); }
  TempDir data, out;
};

TEST_F(Trainer, TrainsEvaluatesAndWritesMetrics) {
  TrainRun r =
      trainMain({"--data", dataFlag(), "--epochs", "3", "--batch", "16", "--lr",
                 "0.1", "--eval-batch", "32", "--metrics-json",
                 out.file("m.json"), "--save", out.file("ck")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(fakeSawMisaligned);
  std::regex line(
      R"(epoch [123]/3  train loss \d+\.\d{4} acc \d+\.\d\d%  )"
      R"(test loss \d+\.\d{4} acc \d+\.\d\d%  \d+ img/s  \d+\.\d s)");
  std::istringstream lines(r.out);
  int count = 0;
  for (std::string l; std::getline(lines, l); ++count)
    EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_EQ(count, 3);

  json::Value m = readJson(out.file("m.json"));
  EXPECT_EQ(m.find("model")->text, "linear");
  EXPECT_EQ(m.find("batch")->asDouble(), 16);
  EXPECT_EQ(m.find("steps")->asDouble(), 3 * 19); // ceil(300 / 16) per epoch
  const json::Value &epochs = *m.find("epochs");
  ASSERT_EQ(epochs.items.size(), 3u);
  for (const json::Value &e : epochs.items) {
    EXPECT_EQ(e.find("steps")->asDouble(), 19);
    EXPECT_EQ(e.find("samples")->asDouble(), 300);
    EXPECT_GT(e.find("images_per_second")->asDouble(), 0);
  }
  double first = epochs.items[0].find("train_loss")->asDouble();
  double last = epochs.items[2].find("train_loss")->asDouble();
  EXPECT_LT(last, first);
  EXPECT_GT(epochs.items[2].find("test_accuracy")->asDouble(), 0.9);
  EXPECT_LE(epochs.items[2].find("test_accuracy")->asDouble(), 1.0);
  EXPECT_EQ(m.find("test_loss")->asDouble(),
            epochs.items[2].find("test_loss")->asDouble());

  // The checkpoint evaluates to the same test loss, and the step counter
  // buffer survived as an integer.
  TrainRun again =
      trainMain({"--data", dataFlag(), "--steps", "0", "--load", out.file("ck"),
                 "--eval-batch", "7", "--metrics-json", out.file("m0.json")});
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(again.out.rfind("test loss ", 0), 0u) << again.out;
  json::Value m0 = readJson(out.file("m0.json"));
  EXPECT_EQ(m0.find("steps")->asDouble(), 0);
  EXPECT_TRUE(m0.find("epochs")->items.empty());
  EXPECT_NEAR(m0.find("test_loss")->asDouble(), m.find("test_loss")->asDouble(),
              1e-5);
  EXPECT_EQ(m0.find("test_accuracy")->asDouble(),
            m.find("test_accuracy")->asDouble());
}

TEST_F(Trainer, StepsLimitTheRunAcrossEpochs) {
  TrainRun r = trainMain({"--data", dataFlag(), "--steps", "25", "--batch",
                          "16", "--metrics-json", out.file("m.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  json::Value m = readJson(out.file("m.json"));
  EXPECT_EQ(m.find("steps")->asDouble(), 25);
  ASSERT_EQ(m.find("epochs")->items.size(), 2u);
  EXPECT_EQ(m.find("epochs")->items[1].find("steps")->asDouble(), 6);
  EXPECT_EQ(fakeCalls, 25);

  r = trainMain({"--data", dataFlag(), "--steps", "5", "--epochs", "1",
                 "--drop-last", "--batch", "64", "--no-shuffle",
                 "--metrics-json", out.file("m.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  m = readJson(out.file("m.json"));
  EXPECT_EQ(m.find("steps")->asDouble(), 4); // 300 // 64 batches
  EXPECT_EQ(m.find("epochs")->items[0].find("samples")->asDouble(), 256);
}

TEST_F(Trainer, SameSeedSameRun) {
  std::vector<std::string> args = {"--data",  dataFlag(), "--seed", "3",
                                   "--batch", "32",       "--save"};
  std::vector<std::string> a = args, b = args;
  a.push_back(out.file("a"));
  b.push_back(out.file("b"));
  ASSERT_EQ(trainMain(a).rc, 0);
  ASSERT_EQ(trainMain(b).rc, 0);
  EXPECT_EQ(readBytes(out.file("a")), readBytes(out.file("b")));
}

TEST_F(Trainer, NonFiniteLossStopsWithoutSaving) {
  writeBytes(out.file("ck"), {1, 2, 3});
  fakeNanAtCall = 3;
  TrainRun r = trainMain({"--data", dataFlag(), "--save", out.file("ck")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("at step 3"), std::string::npos) << r.err;
  EXPECT_EQ(readBytes(out.file("ck")), (std::vector<uint8_t>{1, 2, 3}));
}

TEST_F(Trainer, BadFlagsAndInputsExitWithOne) {
  std::vector<std::vector<std::string>> bad = {
      {"--bogus"},
      {"--data", dataFlag(), "--lr", "abc"},
      {"--data", dataFlag(), "--lr", "-1"},
      {"--data", dataFlag(), "--batch", "0"},
      {"--data", dataFlag(), "--epochs"},
      {"--data", dataFlag(), "--epochs", "2x"},
      {"--data", dataFlag(), "--normalize", "0.5"},
      {"--data", dataFlag(), "--normalize", "0.5,0"},
      {"--data", dataFlag(), "--nesterov", "--momentum", "0"},
      {"--data", "mnist=" + data.path()},
      {"--data", data.path()},
      {"--epochs", "1"},
      {"--data", "fashion-mnist=" + data.file("missing")},
      {"--data", dataFlag(), "--load", out.file("missing.safetensors")},
      {"--data", dataFlag(), "--no-shuffle=1"},
  };
  for (const auto &args : bad) {
    TrainRun r = trainMain(args);
    std::string joined;
    for (const std::string &a : args)
      joined += a + " ";
    EXPECT_EQ(r.rc, 1) << joined;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << joined << "-> " << r.err;
  }
  // Results that cannot be written fail the job before its first step.
  TrainRun r =
      trainMain({"--data", dataFlag(), "--save", out.file("no/such/dir/ck")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_EQ(fakeCalls, 0);
  TrainRun help = trainMain({"--help"});
  EXPECT_EQ(help.rc, 0);
  EXPECT_NE(help.out.find("--metrics-json"), std::string::npos);
}

TEST_F(Trainer, RejectsDataThatDoesNotFitTheModel) {
  nncc_model wide = fakeModel;
  wide.input_shape[2] = 5; // 1x4x5 inputs
  TrainRun r = trainMain({"--data", dataFlag()}, wide);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("takes inputs [1, 4, 5]"), std::string::npos) << r.err;
  nncc_model twoClasses = fakeModel;
  twoClasses.num_classes = 2;
  r = trainMain({"--data", dataFlag()}, twoClasses);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("has 2 classes"), std::string::npos) << r.err;
}

TEST_F(Trainer, CallableFromC) {
  char program[] = "train", help[] = "--help", bogus[] = "--bogus";
  char *ok[] = {program, help, nullptr};
  char *bad[] = {program, bogus, nullptr};
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(nncc_test_train_main_from_c(&fakeModel, 2, ok), 0);
  EXPECT_EQ(nncc_test_train_main_from_c(&fakeModel, 2, bad), 1);
  EXPECT_EQ(nncc_test_train_main_from_c(nullptr, 2, ok), 1);
  testing::internal::GetCapturedStdout();
  EXPECT_NE(testing::internal::GetCapturedStderr().find("error: unknown flag"),
            std::string::npos);
}

TEST_F(Trainer, StepsZeroSavesTheInitialisation) {
  TrainRun r =
      trainMain({"--steps", "0", "--seed", "5", "--save", out.file("i")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(out.files(), (std::vector<std::string>{"i"}));
}

} // namespace
