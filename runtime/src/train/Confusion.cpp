//===- Confusion.cpp - per-class accuracy and the confusion matrix --------===//
//
// The table is sized to its widest count so columns line up for ten classes
// of ten thousand samples as well as for two classes of three.
//
//===----------------------------------------------------------------------===//
#include "nncc/Confusion.h"
#include "nncc/Error.h"
#include "train/Argmax.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nncc {

ConfusionMatrix::ConfusionMatrix(int64_t classes)
    : classes_(classes), counts_(size_t(classes * classes)),
      support_(size_t(classes)) {
  if (classes <= 0)
    throw Error("a confusion matrix needs at least one class");
}

void ConfusionMatrix::add(const float *logits, const int64_t *labels,
                          int64_t batch) {
  for (int64_t b = 0; b < batch; ++b) {
    const float *row = logits + b * classes_;
    int64_t best = argmaxRow(row, classes_);
    int64_t truth = labels[b];
    if (truth < 0 || truth >= classes_)
      throw Error("label " + std::to_string(truth) + " is not one of the " +
                  std::to_string(classes_) + " classes");
    ++total_;
    ++support_[size_t(truth)];
    if (!std::isnan(row[best]))
      ++counts_[size_t(truth * classes_ + best)];
  }
}

int64_t ConfusionMatrix::correct() const {
  int64_t n = 0;
  for (int64_t c = 0; c < classes_; ++c)
    n += count(c, c);
  return n;
}

double ConfusionMatrix::classAccuracy(int64_t c) const {
  return support(c) ? double(count(c, c)) / double(support(c)) : NAN;
}

std::string
ConfusionMatrix::format(const std::vector<std::string> &names) const {
  auto name = [&](int64_t c) {
    return size_t(c) < names.size() ? names[size_t(c)] : std::string();
  };
  size_t nameWidth = 0;
  for (int64_t c = 0; c < classes_; ++c)
    nameWidth = std::max(nameWidth, name(c).size());
  std::string s = "per-class accuracy:\n";
  char buf[256];
  for (int64_t c = 0; c < classes_; ++c) {
    std::snprintf(buf, sizeof(buf), "  %3lld %-*s %7.2f%%  (%lld samples)\n",
                  (long long)c, int(nameWidth), name(c).c_str(),
                  100.0 * classAccuracy(c), (long long)support(c));
    s += buf;
  }
  int64_t widest = 1;
  for (int64_t v : counts_)
    widest = std::max(widest, v);
  int width = std::min(20, std::max(3, int(std::to_string(widest).size()))) + 1;
  s += "confusion matrix (rows: true class, columns: predicted class):\n     ";
  for (int64_t c = 0; c < classes_; ++c) {
    std::snprintf(buf, sizeof(buf), "%*lld", width, (long long)c);
    s += buf;
  }
  s += "\n";
  for (int64_t t = 0; t < classes_; ++t) {
    std::snprintf(buf, sizeof(buf), "  %3lld", (long long)t);
    s += buf;
    for (int64_t p = 0; p < classes_; ++p) {
      std::snprintf(buf, sizeof(buf), "%*lld", width, (long long)count(t, p));
      s += buf;
    }
    s += "\n";
  }
  return s;
}

std::vector<std::string> knownClassNames(const std::string &kind) {
  if (kind == "fashion-mnist")
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  if (kind == "mnist")
    return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  if (kind == "cifar10")
    return {"airplane", "automobile", "bird",  "cat",  "deer",
            "dog",      "frog",       "horse", "ship", "truck"};
  return {};
}

} // namespace nncc
