//===- TrainerTest.cpp - nncc_train_main on a synthetic dataset -----------===//
//
// Trains the hand-written softmax regression of FakeModel.h on a tiny
// linearly separable IDX dataset and checks what the trainer prints, writes
// and refuses.
//
//===----------------------------------------------------------------------===//
#include "nncc/Trainer.h"
#include "FakeModel.h"
#include "TestUtil.h"
#include "TrainRun.h"
#include "nncc/CpuCheck.h"
#include "nncc/DataLoader.h"
#include "nncc/Init.h"
#include "nncc/Json.h"
#include "nncc/Safetensors.h"
#include "nncc/ThreadPool.h"
#include "nncc/train.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

using namespace nncc;
using namespace nncc::test;

extern "C" int nncc_test_train_main_from_c(const nncc_model *model, int argc,
                                           char **argv);

namespace {

class Trainer : public testing::Test {
protected:
  void SetUp() override {
    writeSplit(data, "train", 300, 1);
    writeSplit(data, "t10k", 100, 2);
    fakeSawMisaligned = false;
    fakeNanAtCall = 0;
    fakeCalls = 0;
    fakeSeeds.clear();
    fakeExecThreads.clear();
    fakeBatchSums.clear();
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
  // Epoch lines, then the last evaluation per class.
  for (std::string l; std::getline(lines, l) && l != "per-class accuracy:";
       ++count)
    EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_EQ(count, 3);

  json::Value m = readJson(out.file("m.json"));
  EXPECT_EQ(m.find("model")->text, "linear");
  EXPECT_EQ(m.find("batch")->asDouble(), 16);
  EXPECT_EQ(m.find("steps")->asDouble(), 3 * 19); // ceil(300 / 16) per epoch
  EXPECT_EQ(m.find("eval_batch")->asDouble(), 32);
  // The trainer's own peak RSS: at least the data it holds, at most what a
  // test process could plausibly use.
  double rss = m.find("peak_rss_bytes")->asDouble();
  EXPECT_GT(rss, 1 << 20);
  EXPECT_LT(rss, 4.0 * (1 << 30));
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

  // train_step's buffer updates are saved: the I64 counter counted steps.
  TensorFile ck = readSafetensors(out.file("ck"));
  const NamedTensor *counter = ck.find("fc.num_batches_tracked");
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->dtype, DType::I64);
  EXPECT_EQ(counter->floatAt(0), 3 * 19);

  // The checkpoint evaluates to the same test loss.
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

  // Without --eval-batch the evaluation uses the training batch (its
  // workspace is the training one's), and gives the same loss.
  TrainRun sameBatch =
      trainMain({"--data", dataFlag(), "--steps", "0", "--load", out.file("ck"),
                 "--batch", "16", "--metrics-json", out.file("m1.json")});
  ASSERT_EQ(sameBatch.rc, 0) << sameBatch.err;
  json::Value m1 = readJson(out.file("m1.json"));
  EXPECT_EQ(m1.find("eval_batch")->asDouble(), 16);
  EXPECT_NEAR(m1.find("test_loss")->asDouble(), m.find("test_loss")->asDouble(),
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

/// What `--seed S --batch 16 --epochs 2` must feed train_step: the stream
/// after init, the training loader's two seeds per epoch, one random64 per
/// step only when `dropout`, and the test loader's one seed per epoch.
void expectedSteps(const std::string &dir, uint64_t seed, bool dropout,
                   std::vector<uint64_t> &batchSums,
                   std::vector<uint64_t> &seeds) {
  IdxDataset train = loadFashionMnist(dir, true);
  TorchGenerator g(seed);
  std::vector<float> params(size_t(fakeModel.param_count)), buffers(2);
  initParameters(fakeModel, params.data(), buffers.data(), g);
  DataLoader loader(train, {16, true, false, seed, &g, 0.2860f, 0.3530f});
  for (int epoch = 0; epoch < 2; ++epoch) {
    loader.startEpoch();
    while (int64_t batch = loader.next()) {
      batchSums.push_back(fakeBatchSum(loader.labels(), batch));
      seeds.push_back(dropout ? g.random64() : 0);
    }
    g.int64Seed(); // evaluation's DataLoader iterator
  }
}

TEST_F(Trainer, SeedsDropoutFromTheStreamOnlyWithDropout) {
  std::vector<std::string> args = {"--data",  dataFlag(), "--seed",   "4",
                                   "--batch", "16",       "--epochs", "2"};
  // Without dropout every seed is 0 and nothing is drawn per step: the
  // batches are the ones PyTorch's DataLoader gives after the model's init.
  std::vector<uint64_t> sums, seeds;
  expectedSteps(data.path(), 4, false, sums, seeds);
  ASSERT_EQ(trainMain(args).rc, 0);
  EXPECT_EQ(fakeSeeds, std::vector<uint64_t>(2 * 19, 0));
  EXPECT_EQ(fakeBatchSums, sums);
  std::vector<uint64_t> plainSums = fakeBatchSums;

  // With dropout each step takes the stream's next 64 bits: distinct seeds,
  // and a second epoch shuffled from further down the stream.
  nncc_model dropout = fakeModel;
  dropout.has_dropout = 1;
  sums.clear();
  seeds.clear();
  expectedSteps(data.path(), 4, true, sums, seeds);
  fakeSeeds.clear();
  fakeBatchSums.clear();
  ASSERT_EQ(trainMain(args, dropout).rc, 0);
  EXPECT_EQ(fakeSeeds, seeds);
  EXPECT_EQ(fakeBatchSums, sums);
  std::vector<uint64_t> sorted = fakeSeeds;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_EQ(std::vector<uint64_t>(sums.begin(), sums.begin() + 19),
            std::vector<uint64_t>(plainSums.begin(), plainSums.begin() + 19));
  EXPECT_NE(sums, plainSums);

  nncc_model bad = fakeModel;
  bad.has_dropout = 2;
  TrainRun r = trainMain(args, bad);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("invalid descriptor"), std::string::npos) << r.err;
}

TEST_F(Trainer, NonFiniteLossStopsWithoutSaving) {
  writeBytes(out.file("ck"), {1, 2, 3});
  fakeNanAtCall = 3;
  TrainRun r = trainMain({"--data", dataFlag(), "--save", out.file("ck")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("training loss is nan at step 3 (epoch 1, batch 3); "
                       "the last finite loss was "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(step 2)"), std::string::npos) << r.err;
  // FakeModel's NaN is in the loss alone: no tensor is to blame.
  EXPECT_NE(r.err.find("no parameter or gradient is non-finite"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("this run saved nothing; '" + out.file("ck") +
                       "' is as it was before"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(readBytes(out.file("ck")), (std::vector<uint8_t>{1, 2, 3}));
}

TEST_F(Trainer, NonFiniteAfterAnEpochKeepsThatEpochsCheckpoint) {
  // 300 samples in batches of 64: 5 steps an epoch; step 8 is in epoch 2.
  fakeNanAtCall = 8;
  TrainRun r = trainMain({"--data", dataFlag(), "--epochs", "3", "--save",
                          out.file("ck"), "--csv", out.file("log.csv")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("at step 8 (epoch 2, batch 3)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("the last good checkpoint '" + out.file("ck") +
                       "' (step 5, 1 epochs completed) and its state are "
                       "kept"),
            std::string::npos)
      << r.err;
  TensorFile ck = readSafetensors(out.file("ck"));
  EXPECT_EQ(ck.find("fc.num_batches_tracked")->floatAt(0), 5);
  std::string csv(
      reinterpret_cast<const char *>(readBytes(out.file("log.csv")).data()),
      readBytes(out.file("log.csv")).size());
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2) << csv;
}

TEST_F(Trainer, FirstNonFiniteTensorIsNamedInStateDictOrder) {
  // A NaN written into the bias by "the optimizer": the next epoch-end check
  // finds the parameter before any gradient.
  nncc_model m = fakeModel;
  m.train_step = [](const float *params, float *grads, float *buffers,
                    const float *input, const int64_t *target, int64_t batch,
                    uint64_t seed, void *workspace, const nncc_exec *exec,
                    float *loss, float *logits) {
    fakeTrainStep(params, grads, buffers, input, target, batch, seed, workspace,
                  exec, loss, logits);
    grads[kClasses * kFeatures + 1] = INFINITY; // fc.bias[1]
  };
  TrainRun r = trainMain({"--data", dataFlag(), "--lr", "0.1"}, m);
  EXPECT_EQ(r.rc, 1);
  // The first step's loss is finite, its gradient is not: the parameter it
  // updated is the first non-finite tensor when step 2's loss is NaN, or at
  // the epoch's end.
  EXPECT_NE(r.err.find("parameter 'fc.bias'"), std::string::npos) << r.err;
}

TEST_F(Trainer, WritesCsvPlotAndPerClassResults) {
  TrainRun r = trainMain({"--data", dataFlag(), "--epochs", "2", "--csv",
                          out.file("log.csv"), "--metrics-json",
                          out.file("m.json"), "--log-every", "2"});
  ASSERT_EQ(r.rc, 0) << r.err;
  // --log-every: plain progress lines, with an ETA.
  EXPECT_NE(r.out.find("epoch 1/2  step 2/5  loss "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" eta "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("confusion matrix (rows: true class, columns: "
                       "predicted class):"),
            std::string::npos)
      << r.out;
  std::vector<uint8_t> csv = readBytes(out.file("log.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  std::vector<uint8_t> svg = readBytes(out.file("log.svg"));
  EXPECT_GT(svg.size(), 1000u);
  json::Value m = readJson(out.file("m.json"));
  const json::Value *confusion = m.find("confusion");
  ASSERT_TRUE(confusion);
  ASSERT_EQ(confusion->items.size(), size_t(kClasses));
  int64_t total = 0, diagonal = 0;
  for (size_t t = 0; t < confusion->items.size(); ++t)
    for (size_t p = 0; p < confusion->items[t].items.size(); ++p) {
      int64_t v = 0;
      ASSERT_TRUE(confusion->items[t].items[p].asInt64(v));
      total += v;
      diagonal += t == p ? v : 0;
    }
  EXPECT_EQ(total, 100);
  EXPECT_NEAR(double(diagonal) / 100, m.find("test_accuracy")->asDouble(),
              1e-12);
  EXPECT_EQ(m.find("per_class_accuracy")->items.size(), size_t(kClasses));
  EXPECT_EQ(m.find("optimizer")->text, "sgd");
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
      {"--data", "svhn=" + data.path()},
      {"--data", dataFlag(), "--optimizer", "rmsprop"},
      {"--data", dataFlag(), "--optimizer", "adam", "--momentum", "0.9"},
      {"--data", dataFlag(), "--betas", "0.9,0.99"},
      {"--data", dataFlag(), "--optimizer", "adam", "--betas", "0.9"},
      {"--data", dataFlag(), "--optimizer", "adam", "--betas", "0.9,1.5"},
      {"--data", dataFlag(), "--scheduler", "cosine:bogus=1"},
      {"--data", dataFlag(), "--scheduler", "sawtooth"},
      {"--data", dataFlag(), "--clip-grad-norm", "0"},
      {"--data", dataFlag(), "--sampler", "stratified"},
      {"--data", dataFlag(), "--workers", "-1"},
      {"--data", dataFlag(), "--augment", "crop=x"},
      {"--data", dataFlag(), "--augment", "rotate"},
      {"--data", dataFlag(), "--mean", "0.5"},
      {"--data", dataFlag(), "--mean", "0.5,0.5", "--std", "0.2"},
      {"--data", dataFlag(), "--save-every", "10"},
      {"--data", dataFlag(), "--csv", out.file("m"), "--metrics-json",
       out.file("m")},
      {"--data", dataFlag(), "--resume", out.file("a"), "--load",
       out.file("b")},
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

// trainFlags() is what suggestions and shell completion offer: it must be
// exactly the flags the parser takes and --help lists.
TEST(TrainFlags, MatchTheParserAndTheHelp) {
  std::string usage = trainUsage("train");
  for (const TrainFlag &f : trainFlags()) {
    const std::string &flag = f.name;
    // --help lists it with what it takes: "  --epochs E".
    std::string listed =
        "  " + flag + (f.metavar.empty() ? "" : " " + f.metavar);
    EXPECT_NE(usage.find(listed), std::string::npos) << listed;
    std::vector<std::string> args = {"train", flag};
    if (!f.metavar.empty())
      args.push_back("1");
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    try {
      parseTrainOptions(static_cast<int>(argv.size()), argv.data());
    } catch (const Error &e) {
      EXPECT_EQ(std::string(e.what()).find("unknown flag"), std::string::npos)
          << e.what();
    }
  }
  // And the other way: every flag --help lists is in the table.
  for (size_t at = usage.find("\n  --"); at != std::string::npos;
       at = usage.find("\n  --", at + 1)) {
    std::string flag =
        usage.substr(at + 3, usage.find_first_of(" \n", at + 3) - at - 3);
    EXPECT_TRUE(std::any_of(trainFlags().begin(), trainFlags().end(),
                            [&](const TrainFlag &f) { return f.name == flag; }))
        << flag;
  }
}

TEST(TrainFlags, UnknownFlagsSuggestTheNearestOne) {
  auto errorOf = [](std::vector<std::string> args) {
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    try {
      parseTrainOptions(static_cast<int>(argv.size()), argv.data());
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(errorOf({"train", "--epcohs", "2"}),
            "unknown flag '--epcohs'; did you mean '--epochs'?");
  EXPECT_EQ(errorOf({"train", "--lr-rate=0.1"}),
            "unknown flag '--lr-rate=0.1' (see --help)");
  EXPECT_EQ(errorOf({"train", "--worker", "2"}),
            "unknown flag '--worker'; did you mean '--workers'?");
  EXPECT_EQ(errorOf({"train", "--tagret=cuda"}),
            "unknown flag '--tagret=cuda' (see --help)");
}

TEST_F(Trainer, RunsTheStepOnItsThreadPool) {
  TrainRun r =
      trainMain({"--data", dataFlag(), "--steps", "2", "--threads", "3"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(fakeExecThreads, (std::vector<int32_t>{3, 3}));
  fakeExecThreads.clear();
  r = trainMain({"--data", dataFlag(), "--steps", "1"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(fakeExecThreads,
            (std::vector<int32_t>{ThreadPool::defaultThreads()}));
  r = trainMain({"--data", dataFlag(), "--threads", "0"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("invalid value '0' for --threads"), std::string::npos)
      << r.err;
}

TEST_F(Trainer, RefusesACpuThatLacksTheModelsExtensions) {
  nncc_model future = fakeModel;
  future.target_cpu = "future-cpu";
  future.target_features = "avx2,no-such-extension-x,avx512f";
  // An unknown name is not checked; a known one this CPU lacks is.
  EXPECT_EQ(missingCpuFeature("sse4.2,no-such-extension-x"), "");
  std::string lacking;
  for (const char *f : {"avx512f", "avx2", "avx512bf16", "avx512fp16",
                        "avx512vp2intersect", "amx-tile"})
    if (!missingCpuFeature(f).empty())
      lacking = f;
  if (lacking.empty())
    GTEST_SKIP() << "this CPU has every extension the test could ask for";
  future.target_features = lacking.c_str();
  TrainRun r = trainMain({"--data", dataFlag(), "--steps", "1"}, future);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("this CPU lacks " + lacking), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'future-cpu'"), std::string::npos) << r.err;
  EXPECT_EQ(fakeCalls, 0);
  EXPECT_STREQ(nncc_missing_cpu_feature(&future), lacking.c_str());
  EXPECT_EQ(nncc_missing_cpu_feature(&fakeModel), nullptr);
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
  std::vector<std::string> files = out.files();
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"i", "i.state.safetensors"}));
}

} // namespace
