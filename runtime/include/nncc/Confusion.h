//===- nncc/Confusion.h - per-class accuracy of a classifier ----*- C++ -*-===//
//
// What the trainer prints after evaluating: accuracy per class and the
// confusion matrix, so a model that is good on average but blind to one
// class shows it. Predictions are torch.argmax's (the first maximum).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CONFUSION_H
#define NNCC_CONFUSION_H

#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

class ConfusionMatrix {
public:
  explicit ConfusionMatrix(int64_t classes);

  /// Counts `batch` rows of logits [batch, classes] against their labels
  /// (each in [0, classes)). A row with a NaN maximum predicts nothing: it
  /// counts in total() but in no cell, so it is never correct.
  void add(const float *logits, const int64_t *labels, int64_t batch);

  int64_t classes() const { return classes_; }
  /// Samples of class `truth` predicted as `predicted`.
  int64_t count(int64_t truth, int64_t predicted) const {
    return counts_[size_t(truth * classes_ + predicted)];
  }
  /// Row-major classes x classes counts, row = true class.
  const std::vector<int64_t> &counts() const { return counts_; }
  int64_t total() const { return total_; }
  int64_t correct() const;
  /// Samples of class c (its row sum plus its NaN rows).
  int64_t support(int64_t c) const { return support_[size_t(c)]; }
  /// correct / support of class c; NaN when the class has no sample.
  double classAccuracy(int64_t c) const;

  /// "per-class accuracy" lines and the matrix as a table; `names` (one per
  /// class, may be empty) labels the rows.
  std::string format(const std::vector<std::string> &names = {}) const;

private:
  int64_t classes_;
  std::vector<int64_t> counts_, support_;
  int64_t total_ = 0;
};

/// The class names of a dataset kind the runtime knows ("fashion-mnist",
/// "mnist", "cifar10"); empty for any other.
std::vector<std::string> knownClassNames(const std::string &datasetKind);

} // namespace nncc

#endif // NNCC_CONFUSION_H
