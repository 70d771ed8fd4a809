//===- ConfusionTest.cpp - per-class accuracy and the confusion matrix ----===//
#include "nncc/Confusion.h"
#include "TestUtil.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

TEST(Confusion, CountsArgmaxAgainstLabels) {
  ConfusionMatrix c(3);
  // Rows: predicted 0, 2, 2 (tie between 1 and 2 goes to the first: 1), 1.
  float logits[] = {5, 1, 1, 0, 1, 3, 0, 2, 2, 0, 4, 1};
  int64_t labels[] = {0, 2, 1, 0};
  c.add(logits, labels, 4);
  EXPECT_EQ(c.total(), 4);
  EXPECT_EQ(c.correct(), 3);
  EXPECT_EQ(c.count(0, 0), 1);
  EXPECT_EQ(c.count(0, 1), 1);
  EXPECT_EQ(c.count(2, 2), 1);
  EXPECT_EQ(c.count(1, 1), 1);
  EXPECT_EQ(c.support(0), 2);
  EXPECT_DOUBLE_EQ(c.classAccuracy(0), 0.5);
  EXPECT_DOUBLE_EQ(c.classAccuracy(1), 1.0);
  EXPECT_EQ(c.counts(), (std::vector<int64_t>{1, 1, 0, 0, 1, 0, 0, 0, 1}));
}

TEST(Confusion, NanRowsAreNeverCorrectAndClassesWithoutSamplesAreNan) {
  ConfusionMatrix c(2);
  float logits[] = {NAN, NAN, 1, 0};
  int64_t labels[] = {0, 0};
  c.add(logits, labels, 2);
  EXPECT_EQ(c.total(), 2);
  EXPECT_EQ(c.correct(), 1);
  EXPECT_EQ(c.support(0), 2);
  EXPECT_DOUBLE_EQ(c.classAccuracy(0), 0.5);
  EXPECT_TRUE(std::isnan(c.classAccuracy(1)));
}

TEST(Confusion, FormatsATableWithNames) {
  ConfusionMatrix c(2);
  float logits[] = {1, 0, 0, 1, 0, 1};
  int64_t labels[] = {0, 1, 0};
  c.add(logits, labels, 3);
  std::string s = c.format({"cat", "dog"});
  EXPECT_NE(s.find("per-class accuracy:\n"), std::string::npos) << s;
  EXPECT_NE(s.find("    0 cat   50.00%  (2 samples)\n"), std::string::npos)
      << s;
  EXPECT_NE(s.find("    1 dog  100.00%  (1 samples)\n"), std::string::npos)
      << s;
  EXPECT_NE(s.find("    0   1   1\n    1   0   1\n"), std::string::npos) << s;
}

TEST(Confusion, RejectsLabelsOutsideTheClasses) {
  ConfusionMatrix c(2);
  float logits[] = {1, 0};
  int64_t labels[] = {2};
  EXPECT_NE(errorOf([&] { c.add(logits, labels, 1); }).find("label 2"),
            std::string::npos);
  EXPECT_NE(errorOf([] { ConfusionMatrix(0); }), "");
  EXPECT_EQ(knownClassNames("fashion-mnist").size(), 10u);
  EXPECT_EQ(knownClassNames("fashion-mnist")[9], "Ankle boot");
  EXPECT_TRUE(knownClassNames("npz").empty());
}

} // namespace
