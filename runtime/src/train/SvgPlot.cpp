//===- SvgPlot.cpp - loss and accuracy per epoch as a standalone SVG ------===//
//
// Hand-written SVG rather than a plotting library: the runtime has no
// dependencies beyond zlib, and a browser renders these few elements
// (lines, polylines, circles, text) the same everywhere. Axis ranges snap
// to "nice" numbers (1, 2 or 5 times a power of ten) so ticks read well.
//
//===----------------------------------------------------------------------===//
#include "nncc/TrainLog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace nncc {

namespace {

constexpr double kPanelWidth = 400, kPanelHeight = 260;
constexpr double kLeft = 70, kTop = 50, kGap = 90;
constexpr const char *kTrainColor = "#1f77b4", *kTestColor = "#d62728";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  return buf;
}

std::string escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

double niceStep(double span, int ticks) {
  double raw = span / ticks;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * power)
      return m * power;
  return 10 * power;
}

struct Axis {
  double lo, hi, step;
};

/// A range covering [lo, hi] whose ends are multiples of a nice step.
Axis niceAxis(double lo, double hi, int ticks) {
  if (!(hi > lo)) {
    double pad = std::max(std::fabs(lo) * 0.1, 1e-3);
    lo -= pad;
    hi += pad;
  }
  double step = niceStep(hi - lo, ticks);
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, step};
}

std::string tickLabel(double v, double step) {
  int decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals,
                std::fabs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

struct Series {
  const char *name, *color;
  std::function<double(const EpochMetrics &)> value;
};

/// One panel: frame, grid and tick labels, then one polyline with markers
/// per series (non-finite points are left out).
std::string panel(double x0, const std::string &title, const std::string &unit,
                  const std::vector<EpochMetrics> &epochs,
                  const std::vector<Series> &series) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series &s : series)
    for (const EpochMetrics &m : epochs) {
      double v = s.value(m);
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  if (!std::isfinite(lo))
    lo = 0, hi = 1;
  Axis y = niceAxis(lo, hi, 5);
  double firstEpoch = epochs.empty() ? 1 : double(epochs.front().epoch);
  double lastEpoch = epochs.empty() ? 1 : double(epochs.back().epoch);
  double xlo = firstEpoch - 0.5, xhi = lastEpoch + 0.5;
  double xStep = std::max(1.0, niceStep(lastEpoch - firstEpoch + 1, 8));
  auto px = [&](double e) {
    return x0 + (e - xlo) / (xhi - xlo) * kPanelWidth;
  };
  auto py = [&](double v) {
    return kTop + kPanelHeight - (v - y.lo) / (y.hi - y.lo) * kPanelHeight;
  };
  std::string s = "<g>\n<text x=\"" + num(x0 + kPanelWidth / 2) + "\" y=\"" +
                  num(kTop - 12) +
                  "\" text-anchor=\"middle\" font-size=\"15\" "
                  "font-weight=\"bold\">" +
                  escape(title) + "</text>\n";
  for (double v = y.lo; v <= y.hi + y.step * 1e-6; v += y.step) {
    std::string yy = num(py(v));
    s += "<line x1=\"" + num(x0) + "\" y1=\"" + yy + "\" x2=\"" +
         num(x0 + kPanelWidth) + "\" y2=\"" + yy +
         "\" stroke=\"#e0e0e0\"/>\n<text x=\"" + num(x0 - 6) + "\" y=\"" +
         num(py(v) + 4) + "\" text-anchor=\"end\" font-size=\"11\">" +
         tickLabel(v, y.step) + "</text>\n";
  }
  for (double e = std::ceil(firstEpoch / xStep) * xStep; e <= lastEpoch;
       e += xStep) {
    std::string xx = num(px(e));
    s += "<line x1=\"" + xx + "\" y1=\"" + num(kTop + kPanelHeight) +
         "\" x2=\"" + xx + "\" y2=\"" + num(kTop + kPanelHeight + 5) +
         "\" stroke=\"#333\"/>\n<text x=\"" + xx + "\" y=\"" +
         num(kTop + kPanelHeight + 18) +
         "\" text-anchor=\"middle\" font-size=\"11\">" + tickLabel(e, 1) +
         "</text>\n";
  }
  s += "<rect x=\"" + num(x0) + "\" y=\"" + num(kTop) + "\" width=\"" +
       num(kPanelWidth) + "\" height=\"" + num(kPanelHeight) +
       "\" fill=\"none\" stroke=\"#333\"/>\n";
  s += "<text x=\"" + num(x0 + kPanelWidth / 2) + "\" y=\"" +
       num(kTop + kPanelHeight + 36) +
       "\" text-anchor=\"middle\" font-size=\"12\">epoch</text>\n";
  s += "<text transform=\"translate(" + num(x0 - 48) + " " +
       num(kTop + kPanelHeight / 2) +
       ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">" +
       escape(unit) + "</text>\n";
  for (const Series &ser : series) {
    std::string points, markers;
    for (const EpochMetrics &m : epochs) {
      double v = ser.value(m);
      if (!std::isfinite(v))
        continue;
      std::string xx = num(px(double(m.epoch))), yy = num(py(v));
      points += xx + "," + yy + " ";
      markers += "<circle cx=\"" + xx + "\" cy=\"" + yy +
                 "\" r=\"3.5\" fill=\"" + ser.color + "\"/>\n";
    }
    s += "<polyline fill=\"none\" stroke=\"" + std::string(ser.color) +
         "\" stroke-width=\"2\" points=\"" + points + "\"/>\n" + markers;
  }
  return s + "</g>\n";
}

} // namespace

std::string renderTrainingPlot(const std::vector<EpochMetrics> &epochs,
                               bool evaluated, const std::string &title) {
  double width = kLeft + 2 * kPanelWidth + kGap + 30;
  double height = kTop + kPanelHeight + 90;
  std::vector<Series> loss = {{"train", kTrainColor, [](const EpochMetrics &m) {
                                 return m.trainLoss;
                               }}};
  std::vector<Series> accuracy = {
      {"train", kTrainColor,
       [](const EpochMetrics &m) { return 100 * m.trainAccuracy; }}};
  if (evaluated) {
    loss.push_back(
        {"test", kTestColor, [](const EpochMetrics &m) { return m.testLoss; }});
    accuracy.push_back({"test", kTestColor, [](const EpochMetrics &m) {
                          return 100 * m.testAccuracy;
                        }});
  }
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                  num(width) + "\" height=\"" + num(height) +
                  "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                  "\" font-family=\"sans-serif\">\n<title>" + escape(title) +
                  "</title>\n<rect width=\"100%\" height=\"100%\" "
                  "fill=\"white\"/>\n";
  s += panel(kLeft, "loss", "cross-entropy", epochs, loss);
  s += panel(kLeft + kPanelWidth + kGap, "accuracy", "accuracy (%)", epochs,
             accuracy);
  // The legend, centred under both panels.
  double legendY = height - 14;
  double legendX = width / 2 - (evaluated ? 70 : 30);
  for (const Series &ser : loss) {
    s += "<line x1=\"" + num(legendX) + "\" y1=\"" + num(legendY - 4) +
         "\" x2=\"" + num(legendX + 24) + "\" y2=\"" + num(legendY - 4) +
         "\" stroke=\"" + ser.color + "\" stroke-width=\"3\"/>\n<text x=\"" +
         num(legendX + 30) + "\" y=\"" + num(legendY) + "\" font-size=\"12\">" +
         ser.name + "</text>\n";
    legendX += 80;
  }
  return s + "</svg>\n";
}

} // namespace nncc
