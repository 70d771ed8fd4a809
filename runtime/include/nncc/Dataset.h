//===- nncc/Dataset.h - labelled image datasets -----------------*- C++ -*-===//
//
// The loader and the trainer see a dataset only through `Dataset`: uint8
// images of one fixed shape [C, H, W] and an integer class label each, read
// by index. Data that cannot be indexed (a socket, a file too large to hold)
// implements `IterableDataset` instead and goes through `StreamLoader`
// (DataLoader.h). The readers for IDX, CIFAR, NPY/NPZ and PNG folders are in
// Datasets.h; `openDataset` there picks one by name.
//
// A user dataset implements size(), sampleShape(), image(i) and label(i);
// they must be safe to call from several threads at once (DataLoader's
// workers do), which holds for any dataset that only reads memory.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATASET_H
#define NNCC_DATASET_H

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nncc {

/// One sample as a view: sampleNumel() bytes [C, H, W] owned by the dataset.
struct Sample {
  const uint8_t *image;
  int64_t label;
};

class Dataset {
public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  /// [C, H, W] of every sample.
  virtual std::array<int64_t, 3> sampleShape() const = 0;
  /// sampleNumel() bytes, row-major [C, H, W].
  virtual const uint8_t *image(int64_t i) const = 0;
  virtual int64_t label(int64_t i) const = 0;
  /// Names of the classes by label when the format knows them (CIFAR,
  /// Fashion-MNIST, ImageFolder's folder names); empty otherwise.
  virtual std::vector<std::string> classNames() const { return {}; }

  Sample get(int64_t i) const { return {image(i), label(i)}; }
  int64_t sampleNumel() const {
    std::array<int64_t, 3> s = sampleShape();
    return s[0] * s[1] * s[2];
  }
};

/// A dataset read front to back, one pass per epoch. reset(epoch) rewinds
/// (and may reshuffle from the epoch number); next() copies one sample.
/// Used from one thread at a time (StreamLoader's producer).
class IterableDataset {
public:
  virtual ~IterableDataset() = default;
  virtual std::array<int64_t, 3> sampleShape() const = 0;
  virtual void reset(int64_t epoch) = 0;
  /// Copies the next sample's sampleNumel() bytes to `image` and its label
  /// to `*label`; returns false (and copies nothing) when the pass is over.
  virtual bool next(uint8_t *image, int64_t *label) = 0;

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
  /// The same from bytes already in memory (not gzipped); the names are what
  /// errors call the two inputs.
  static IdxDataset fromBytes(const std::vector<uint8_t> &images,
                              const std::string &imagesName,
                              const std::vector<uint8_t> &labels,
                              const std::string &labelsName);

  int64_t size() const override { return count_; }
  std::array<int64_t, 3> sampleShape() const override {
    return {1, rows_, cols_};
  }
  const uint8_t *image(int64_t i) const override {
    return images_.data() + i * rows_ * cols_;
  }
  int64_t label(int64_t i) const override { return labels_[i]; }
  std::vector<std::string> classNames() const override { return classes_; }
  void setClassNames(std::vector<std::string> names) {
    classes_ = std::move(names);
  }

private:
  /// Takes the bytes over (no second copy of the images in memory).
  static IdxDataset parse(std::vector<uint8_t> images,
                          const std::string &imagesWhere,
                          std::vector<uint8_t> labels,
                          const std::string &labelsWhere);

  int64_t count_ = 0, rows_ = 0, cols_ = 0;
  std::vector<uint8_t> images_; // without the IDX header
  std::vector<uint8_t> labels_;
  std::vector<std::string> classes_;
};

/// Loads Fashion-MNIST (or MNIST: same file names) from `dir`:
/// train-{images-idx3,labels-idx1}-ubyte or t10k-… for the test split, each
/// optionally with a .gz suffix.
IdxDataset loadFashionMnist(const std::string &dir, bool train);

} // namespace nncc

#endif // NNCC_DATASET_H
