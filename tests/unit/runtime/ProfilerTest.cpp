//===- ProfilerTest.cpp - the profile hook of a profiled build ------------===//
//
// The Profiler driven the way a profiled object drives it: marks through the
// execution context's hook, in program order, -1 at each entry's end.
//
//===----------------------------------------------------------------------===//
#include "nncc/Profiler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

using namespace nncc;

namespace {

// A conv layer's forward and its input gradient in train_step (the ReLU in
// between fused into the gradient), then predict's forward.
const nncc_profile_region kRegions[] = {
    {"train_step", "features.0", "conv2d", 0, 1000, 100, 40},
    {"train_step", "features.1", "relu", 1, 0, 64, 0},
    {"train_step", "features.0", "conv2d_grad_input", 0, 1000, 100, 40},
    {"predict", "features.0", "conv2d", 0, 1000, 100, 40},
};

void sleepMs(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

/// One train_step call through the hook, as generated code makes it.
void trainStep(const nncc_exec &exec, int regionMs) {
  exec.profile(&exec, 0);
  sleepMs(regionMs);
  exec.profile(&exec, 1);
  exec.profile(&exec, 2);
  sleepMs(regionMs);
  exec.profile(&exec, -1);
}

TEST(Profiler, AttachInstallsTheHookAndKeepsTheRest) {
  Profiler profiler(kRegions, 4);
  ASSERT_TRUE(profiler.enabled());
  nncc_exec base{};
  base.threads = 3;
  nncc_exec exec = profiler.attach(base);
  EXPECT_EQ(exec.threads, 3);
  EXPECT_NE(exec.profile, nullptr);
  EXPECT_EQ(exec.profile_data, &profiler);
}

TEST(Profiler, AModelWithoutRegionsIsDisabledAndLeavesTheContextAlone) {
  nncc_model model{};
  Profiler profiler(model);
  EXPECT_FALSE(profiler.enabled());
  nncc_exec base{};
  nncc_exec exec = profiler.attach(base);
  EXPECT_EQ(exec.profile, nullptr);
  EXPECT_EQ(exec.profile_data, nullptr);
  EXPECT_EQ(profiler.table(), "");
}

TEST(Profiler, CountsCallsSamplesAndTimePerRegion) {
  Profiler profiler(kRegions, 4);
  nncc_exec exec = profiler.attach(nncc_exec{});
  profiler.setBatch(64);
  trainStep(exec, 2);
  profiler.setBatch(16); // a last, smaller batch
  trainStep(exec, 2);

  const auto &rows = profiler.rows();
  ASSERT_EQ(rows.size(), 4u);
  for (int r : {0, 1, 2}) {
    EXPECT_EQ(rows[r].calls, 2) << r;
    EXPECT_EQ(rows[r].samples, 80) << r;
  }
  EXPECT_EQ(rows[3].calls, 0);
  // Each timed region slept 2 ms per call; the fused one ended at once.
  EXPECT_GE(rows[0].seconds, 0.004);
  EXPECT_GE(rows[2].seconds, 0.004);
  EXPECT_LT(rows[1].seconds, rows[0].seconds);
  EXPECT_EQ(profiler.entryCalls("train_step"), 2);
  EXPECT_EQ(profiler.entryCalls("predict"), 0);
  EXPECT_DOUBLE_EQ(profiler.entrySeconds("train_step"),
                   rows[0].seconds + rows[1].seconds + rows[2].seconds);
}

TEST(Profiler, IgnoresRegionsTheTableDoesNotHave) {
  Profiler profiler(kRegions, 4);
  profiler.setBatch(8);
  profiler.mark(0);
  profiler.mark(17); // a mismatched object: not an index into the table
  sleepMs(2);
  profiler.mark(-1);
  EXPECT_EQ(profiler.rows()[0].calls, 1);
  // The time after the unknown mark is charged to no region.
  EXPECT_LT(profiler.rows()[0].seconds, 0.002);
  EXPECT_EQ(profiler.entryCalls("train_step"), 0);
}

TEST(Profiler, ResetForgetsWarmUp) {
  Profiler profiler(kRegions, 4);
  nncc_exec exec = profiler.attach(nncc_exec{});
  profiler.setBatch(4);
  trainStep(exec, 1);
  profiler.reset();
  EXPECT_EQ(profiler.entryCalls("train_step"), 0);
  for (const Profiler::Row &row : profiler.rows()) {
    EXPECT_EQ(row.calls, 0);
    EXPECT_EQ(row.seconds, 0);
  }
  EXPECT_EQ(profiler.table(), "");
}

TEST(Profiler, TableShowsEachEntryThatRanWithRatesAndFusedRows) {
  Profiler profiler(kRegions, 4);
  nncc_exec exec = profiler.attach(nncc_exec{});
  profiler.setBatch(64);
  trainStep(exec, 2);
  std::string table = profiler.table(/*peakFlops=*/1e12);
  EXPECT_NE(table.find("profile of train_step: 1 calls, "), std::string::npos)
      << table;
  EXPECT_EQ(table.find("predict"), std::string::npos) << table;
  EXPECT_NE(table.find("% peak"), std::string::npos) << table;
  // The fused region names where its time went instead of a rate.
  EXPECT_NE(table.find("features.1"), std::string::npos);
  size_t relu = table.find("relu");
  ASSERT_NE(relu, std::string::npos);
  std::string reluLine = table.substr(relu, table.find('\n', relu) - relu);
  EXPECT_NE(reluLine.find("fused"), std::string::npos) << reluLine;
  // 64 samples x 1000 FLOPs in at least 2 ms: at most 0.032 GFLOP/s, which
  // prints as 0.0.
  size_t conv = table.find("conv2d_grad_input");
  ASSERT_NE(conv, std::string::npos);
  std::string convLine = table.substr(conv, table.find('\n', conv) - conv);
  EXPECT_NE(convLine.find(" 0.0"), std::string::npos) << convLine;
  // No line ends in blanks.
  EXPECT_EQ(table.find(" \n"), std::string::npos) << table;
}

TEST(Profiler, JsonHasEveryRegionWithItsCosts) {
  Profiler profiler(kRegions, 4);
  nncc_exec exec = profiler.attach(nncc_exec{});
  profiler.setBatch(2);
  trainStep(exec, 0);
  std::string json = profiler.json();
  EXPECT_NE(json.find("{\"entry\": \"train_step\", \"layer\": \"features.0\", "
                      "\"op\": \"conv2d\", \"fused\": false, \"calls\": 1, "
                      "\"samples\": 2, \"seconds\": "),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"op\": \"relu\", \"fused\": true"), std::string::npos);
  EXPECT_NE(json.find("\"entry\": \"predict\""), std::string::npos);
  EXPECT_NE(json.find("\"flops_per_sample\": 1000, \"bytes_per_sample\": 100, "
                      "\"fixed_bytes\": 40}"),
            std::string::npos)
      << json;
}

} // namespace
