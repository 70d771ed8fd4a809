//===- TrainReport.cpp - epoch lines, progress bar, metrics JSON ----------===//
//
// Accuracy is a percentage in what people read and a fraction in what
// programs read (the JSON), matching how PyTorch scripts usually log it.
//
//===----------------------------------------------------------------------===//
#include "train/TrainReport.h"
#include "nncc/Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace nncc {

static std::string format(const char *fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

/// The shortest decimal that reads back as exactly `v` (0.05, not
/// 0.050000000000000003), or null for the NaN/inf that JSON cannot represent.
static std::string number(double v) {
  if (!std::isfinite(v))
    return "null";
  for (int digits = 1; digits < 17; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v)
      return buf;
  }
  return format("%.17g", v);
}

/// The same for a float: 0.286, not its double expansion 0.28600001335.
static std::string number(float v) {
  if (!std::isfinite(v))
    return "null";
  for (int digits = 1; digits < 9; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*g", digits, double(v));
    if (std::strtof(buf, nullptr) == v)
      return buf;
  }
  return format("%.9g", double(v));
}

std::string formatEpochLine(const EpochMetrics &m, int64_t epochs,
                            bool evaluated) {
  std::string line = "epoch " + std::to_string(m.epoch) + "/" +
                     std::to_string(epochs) + "  train loss " +
                     format("%.4f", m.trainLoss) + " acc " +
                     format("%.2f%%", 100.0 * m.trainAccuracy);
  if (evaluated)
    line += "  test loss " + format("%.4f", m.testLoss) + " acc " +
            format("%.2f%%", 100.0 * m.testAccuracy);
  line += "  " + format("%.0f", m.imagesPerSecond) + " img/s  " +
          format("%.1f", m.seconds) + " s";
  return line;
}

std::string formatMetricsJson(const nncc_model &model, const TrainOptions &o,
                              const TrainResult &r) {
  std::string s =
      "{\n  \"model\": " + json::quote(model.name ? model.name : "");
  s += ",\n  \"seed\": " + std::to_string(o.seed);
  s += ",\n  \"batch\": " + std::to_string(o.batch);
  s += ",\n  \"eval_batch\": " + std::to_string(o.evaluationBatch());
  const OptimizerConfig &opt = o.optimizer;
  bool sgd = opt.kind == OptimizerKind::Sgd;
  s += ",\n  \"optimizer\": " + json::quote(optimizerKindName(opt.kind));
  s += ",\n  \"lr\": " + number(opt.lr ? *opt.lr : (sgd ? 0.05 : 1e-3));
  s +=
      ",\n  \"weight_decay\": " +
      number(opt.weightDecay ? *opt.weightDecay
                             : (opt.kind == OptimizerKind::AdamW ? 1e-2 : 0.0));
  if (sgd) {
    s += ",\n  \"momentum\": " + number(opt.momentum);
    s += ",\n  \"dampening\": " + number(opt.dampening);
    s += std::string(",\n  \"nesterov\": ") + (opt.nesterov ? "true" : "false");
  } else {
    s += ",\n  \"betas\": [" + number(opt.beta1) + ", " + number(opt.beta2) +
         "]";
    s += ",\n  \"eps\": " + number(opt.eps);
    s += std::string(",\n  \"amsgrad\": ") + (opt.amsgrad ? "true" : "false");
  }
  s += std::string(",\n  \"no_decay_norm_bias\": ") +
       (opt.noDecayNormBias ? "true" : "false");
  s += ",\n  \"clip_grad_norm\": " +
       (o.clipGradNorm > 0 ? number(o.clipGradNorm) : std::string("null"));
  s += ",\n  \"scheduler\": " + json::quote(o.schedulerSpec);
  s += ",\n  \"data\": " + json::quote(o.dataKind);
  s += ",\n  \"workers\": " + std::to_string(o.workers);
  s += ",\n  \"threads\": " + std::to_string(r.threads);
  std::string perWorker;
  for (int64_t n : r.iterationsPerWorker)
    perWorker += (perWorker.empty() ? "" : ", ") + std::to_string(n);
  s += ",\n  \"parallel_iterations_per_worker\": [" + perWorker + "]";
  s += ",\n  \"peak_rss_bytes\": " + std::to_string(r.peakRssBytes);
  if (!r.profile.empty())
    s += ",\n  \"profile\": " + r.profile;
  s += ",\n  \"augment\": {\"crop_padding\": " +
       std::to_string(o.augment.cropPadding) +
       ", \"flip\": " + (o.augment.horizontalFlip ? "true" : "false") + "}";
  s += std::string(",\n  \"shuffle\": ") + (o.shuffle ? "true" : "false");
  s += std::string(",\n  \"drop_last\": ") + (o.dropLast ? "true" : "false");
  auto floats = [](const std::vector<float> &v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? ", " : "") + number(v[i]);
    return out + "]";
  };
  std::vector<float> mean = o.mean, std = o.std;
  if (mean.empty())
    defaultNormalization(o.dataKind, mean, std);
  s += ",\n  \"mean\": " + floats(mean) + ",\n  \"std\": " + floats(std);
  s += ",\n  \"steps\": " + std::to_string(r.totalSteps);
  s += ",\n  \"epochs\": [";
  for (size_t i = 0; i < r.epochs.size(); ++i) {
    const EpochMetrics &m = r.epochs[i];
    s += std::string(i ? "," : "") +
         "\n    {\"epoch\": " + std::to_string(m.epoch) +
         ", \"steps\": " + std::to_string(m.steps) +
         ", \"samples\": " + std::to_string(m.samples) +
         ", \"train_loss\": " + number(m.trainLoss) +
         ", \"train_accuracy\": " + number(m.trainAccuracy) +
         ", \"lr\": " + number(m.lr);
    if (r.evaluated)
      s += ", \"test_loss\": " + number(m.testLoss) +
           ", \"test_accuracy\": " + number(m.testAccuracy);
    s += ", \"images_per_second\": " + number(m.imagesPerSecond) +
         ", \"seconds\": " + number(m.seconds) +
         ", \"eval_seconds\": " + number(m.evalSeconds) + "}";
  }
  s += r.epochs.empty() ? "]" : "\n  ]";
  s += ",\n  \"test_loss\": " + (r.evaluated ? number(r.testLoss) : "null");
  s += ",\n  \"test_accuracy\": " +
       (r.evaluated ? number(r.testAccuracy) : "null");
  // The last evaluation per class: accuracy (null for a class with no
  // sample) and the confusion matrix, rows = true class.
  int64_t k = model.num_classes;
  if (r.evaluated && int64_t(r.confusion.size()) == k * k) {
    std::string perClass, matrix;
    for (int64_t t = 0; t < k; ++t) {
      int64_t support = 0;
      std::string row;
      for (int64_t p = 0; p < k; ++p) {
        support += r.confusion[size_t(t * k + p)];
        row += (p ? ", " : "") + std::to_string(r.confusion[size_t(t * k + p)]);
      }
      double acc =
          support ? double(r.confusion[size_t(t * k + t)]) / double(support)
                  : NAN;
      perClass += (t ? ", " : "") + number(acc);
      matrix += std::string(t ? "," : "") + "\n    [" + row + "]";
    }
    s += ",\n  \"per_class_accuracy\": [" + perClass + "]";
    s += ",\n  \"confusion\": [" + matrix + "\n  ]";
  }
  return s + "\n}\n";
}

std::string formatDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    return "?";
  long long s = (long long)std::llround(seconds);
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof(buf), "%llds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof(buf), "%lldh%02lldm", s / 3600, s / 60 % 60);
  return buf;
}

ProgressBar::ProgressBar(int64_t logEvery)
    : enabled_(::isatty(STDOUT_FILENO) == 1), logEvery_(logEvery),
      lastLine_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(const Progress &p) {
  std::string eta = p.etaSeconds >= 0 ? formatDuration(p.etaSeconds) : "?";
  // A log file cannot show a redrawn bar: it gets a plain line every
  // --log-every steps, or by default one every 30 s, so a long epoch in a
  // log still shows progress and a short run prints none.
  auto now = std::chrono::steady_clock::now();
  bool due = logEvery_ > 0
                 ? p.step % logEvery_ == 0
                 : !enabled_ && now - lastLine_ >= std::chrono::seconds(30);
  if (due) {
    lastLine_ = now;
    clear();
    std::printf("epoch %lld/%lld  step %lld/%lld  loss %.4f  %.0f img/s  "
                "eta %s\n",
                (long long)p.epoch, (long long)p.epochs, (long long)p.step,
                (long long)p.steps, p.loss, p.imagesPerSecond, eta.c_str());
    std::fflush(stdout);
  }
  if (!enabled_)
    return;
  // Redrawing costs a write(2); ten times a second is smooth enough.
  if (drawn_ && p.step != p.steps &&
      now - last_ < std::chrono::milliseconds(100))
    return;
  last_ = now;
  constexpr int kWidth = 30;
  int filled = p.steps > 0 ? int(kWidth * p.step / p.steps) : kWidth;
  std::string bar(size_t(filled), '=');
  if (filled < kWidth)
    bar += '>' + std::string(size_t(kWidth - filled - 1), ' ');
  std::printf("\repoch %lld/%lld [%s] %lld/%lld  loss %.4f  %.0f img/s  "
              "eta %s\033[K",
              (long long)p.epoch, (long long)p.epochs, bar.c_str(),
              (long long)p.step, (long long)p.steps, p.loss, p.imagesPerSecond,
              eta.c_str());
  std::fflush(stdout);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_)
    return;
  std::printf("\r\033[K");
  std::fflush(stdout);
  drawn_ = false;
}

} // namespace nncc
