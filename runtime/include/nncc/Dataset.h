//===- nncc/Dataset.h - labelled image datasets -----------------*- C++ -*-===//
//
// The loader and the trainer see a dataset only through `Dataset`: uint8
// images of one fixed shape [C, H, W] and an integer class label each. IDX
// (MNIST, Fashion-MNIST) is the first format; CIFAR-style binaries can plug
// in by implementing the same four methods.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATASET_H
#define NNCC_DATASET_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

class Dataset {
public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  /// [C, H, W] of every sample.
  virtual std::array<int64_t, 3> sampleShape() const = 0;
  /// sampleNumel() bytes, row-major [C, H, W].
  virtual const uint8_t *image(int64_t i) const = 0;
  virtual int64_t label(int64_t i) const = 0;

  int64_t sampleNumel() const {
    std::array<int64_t, 3> s = sampleShape();
    return s[0] * s[1] * s[2];
  }
};

/// An IDX image file (magic 0x00000803, uint8 [n, rows, cols]) with its IDX
/// label file (magic 0x00000801, uint8 [n]); either may be gzipped.
class IdxDataset : public Dataset {
public:
  static IdxDataset load(const std::string &imagesPath,
                         const std::string &labelsPath);

  int64_t size() const override { return count_; }
  std::array<int64_t, 3> sampleShape() const override {
    return {1, rows_, cols_};
  }
  const uint8_t *image(int64_t i) const override {
    return images_.data() + i * rows_ * cols_;
  }
  int64_t label(int64_t i) const override { return labels_[i]; }

private:
  int64_t count_ = 0, rows_ = 0, cols_ = 0;
  std::vector<uint8_t> images_; // without the IDX header
  std::vector<uint8_t> labels_;
};

/// Loads Fashion-MNIST from `dir`: train-{images-idx3,labels-idx1}-ubyte or
/// t10k-… for the test split, each optionally with a .gz suffix.
IdxDataset loadFashionMnist(const std::string &dir, bool train);

} // namespace nncc

#endif // NNCC_DATASET_H
