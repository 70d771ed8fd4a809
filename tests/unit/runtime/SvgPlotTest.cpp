//===- SvgPlotTest.cpp - the CSV log and the SVG plot of a run ------------===//
//
// The e2e test svg-renders.test shows the plot in Chromium; these check its
// structure and the CSV's rows without a browser.
//
//===----------------------------------------------------------------------===//
#include "nncc/TrainLog.h"

#include <cmath>
#include <gtest/gtest.h>
#include <regex>

using namespace nncc;

namespace {

std::vector<EpochMetrics> history(int n) {
  std::vector<EpochMetrics> h;
  for (int i = 1; i <= n; ++i) {
    EpochMetrics m;
    m.epoch = i;
    m.steps = 10;
    m.samples = 640;
    m.trainLoss = 1.0 / i;
    m.trainAccuracy = 0.5 + 0.05 * i;
    m.testLoss = 1.2 / i;
    m.testAccuracy = 0.45 + 0.05 * i;
    m.lr = 0.1;
    m.imagesPerSecond = 1000;
    m.seconds = 0.64;
    h.push_back(m);
  }
  return h;
}

size_t countOf(const std::string &s, const std::string &what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
    ++n;
  return n;
}

TEST(SvgPlot, OneCurvePerSeriesWithAPointPerEpoch) {
  std::string svg = renderTrainingPlot(history(4), true, "run <1> & co");
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_NE(svg.find("<title>run &lt;1&gt; &amp; co</title>"),
            std::string::npos);
  // Train and test, loss and accuracy: four curves of four points.
  EXPECT_EQ(countOf(svg, "<polyline"), 4u);
  EXPECT_EQ(countOf(svg, "<circle"), 16u);
  std::smatch points;
  ASSERT_TRUE(
      std::regex_search(svg, points, std::regex("points=\"([^\"]*)\"")));
  EXPECT_EQ(countOf(points[1].str(), ","), 4u);
  // Axes: epochs 1..4 as tick labels, accuracy in percent, a legend.
  for (const char *label : {">1</text>", ">4</text>", ">accuracy (%)</text>",
                            ">train</text>", ">test</text>", ">epoch</text>"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(SvgPlot, WithoutEvaluationOnlyTrainCurvesAndNonFiniteIsSkipped) {
  std::vector<EpochMetrics> h = history(3);
  h[1].trainLoss = NAN;
  std::string svg = renderTrainingPlot(h, false, "t");
  EXPECT_EQ(countOf(svg, "<polyline"), 2u);
  EXPECT_EQ(countOf(svg, "<circle"), 5u); // the NaN loss is left out
  EXPECT_EQ(svg.find(">test</text>"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  // An empty history still gives a valid document.
  std::string empty = renderTrainingPlot({}, true, "t");
  EXPECT_EQ(countOf(empty, "<polyline"), 4u);
  EXPECT_EQ(empty.find("nan"), std::string::npos);
}

TEST(CsvLog, OneRowPerEpoch) {
  std::string csv = formatCsvLog(history(2), true);
  EXPECT_EQ(csv, "epoch,steps,samples,train_loss,train_accuracy,test_loss,"
                 "test_accuracy,lr,images_per_second,seconds\n"
                 "1,10,640,1,0.55,1.2,0.5,0.1,1000,0.64\n"
                 "2,10,640,0.5,0.6,0.6,0.55,0.1,1000,0.64\n");
  std::string noEval = formatCsvLog(history(1), false);
  EXPECT_NE(noEval.find("\n1,10,640,1,0.55,,,0.1,1000,0.64\n"),
            std::string::npos)
      << noEval;
}

TEST(CsvLog, PlotGoesNextToTheLog) {
  EXPECT_EQ(plotPathFor("runs/log.csv"), "runs/log.svg");
  EXPECT_EQ(plotPathFor("log"), "log.svg");
  EXPECT_EQ(plotPathFor("a.b/log"), "a.b/log.svg");
  EXPECT_EQ(plotPathFor(".hidden"), ".hidden.svg");
}

} // namespace
