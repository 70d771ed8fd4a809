//===- nncc/Datasets.h - dataset readers and the by-name factory -*- C++
//-*-===//
//
// Every reader checks the sizes a header claims against the bytes present
// before allocating, and throws nncc::Error naming the file and, where one
// applies, the byte offset. Each has a from-bytes form so the fuzzers
// (tests/fuzz/) need no files.
//
// openDataset(kind, path, train) is what `nncc train --data KIND=PATH` calls:
//   fashion-mnist, mnist  PATH is a directory with train-images-idx3-ubyte,
//                         train-labels-idx1-ubyte (test: t10k-…), each
//                         optionally .gz (IDX, 1×28×28)
//   cifar10               PATH holds data_batch_1..5.bin (train) and
//                         test_batch.bin (test); PATH/cifar-10-batches-bin is
//                         tried too (3×32×32, 1 label byte per record)
//   cifar100              PATH holds train.bin / test.bin (or under
//                         PATH/cifar-100-binary); records have a coarse and a
//                         fine label byte: labels are the 100 fine ones
//   npz                   PATH is a .npz file: train reads x_train/y_train,
//                         test x_test/y_test (Keras' mnist.npz layout); a file
//                         with only images/labels or x/y serves train only. Or
//                         PATH is a directory with train.npz and test.npz,
//                         each with images/labels or x/y. See Npy.h for the
//                         accepted dtypes and layouts.
//   imagefolder           torchvision's ImageFolder: PATH/train/<class>/…png
//                         and PATH/test/<class>/…png (val/ if there is no
//                         test/); without a train/ folder PATH itself is the
//                         training set and asking for test is an error.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DATASETS_H
#define NNCC_DATASETS_H

#include "nncc/Dataset.h"

#include <memory>

namespace nncc {

/// A dataset that owns its images and labels; what the CIFAR, NPZ and
/// ImageFolder readers return.
class InMemoryDataset : public Dataset {
public:
  /// `images` holds labels.size() samples of shape [C, H, W]; throws when the
  /// sizes disagree.
  InMemoryDataset(std::array<int64_t, 3> shape, std::vector<uint8_t> images,
                  std::vector<int64_t> labels,
                  std::vector<std::string> classNames = {});

  int64_t size() const override { return int64_t(labels_.size()); }
  std::array<int64_t, 3> sampleShape() const override { return shape_; }
  const uint8_t *image(int64_t i) const override {
    return images_.data() + i * sampleNumel();
  }
  int64_t label(int64_t i) const override { return labels_[size_t(i)]; }
  std::vector<std::string> classNames() const override { return classes_; }

private:
  std::array<int64_t, 3> shape_;
  std::vector<uint8_t> images_;
  std::vector<int64_t> labels_;
  std::vector<std::string> classes_;
};

/// CIFAR-10 (label byte + 3072 pixel bytes per record) or CIFAR-100 (coarse
/// label byte, fine label byte, 3072 pixel bytes) binary batches.
enum class CifarKind { Cifar10, Cifar100Fine, Cifar100Coarse };

/// Appends one batch file's records; `name` is what errors call it.
void parseCifarBatch(const std::vector<uint8_t> &bytes, const std::string &name,
                     CifarKind kind, std::vector<uint8_t> &images,
                     std::vector<int64_t> &labels);
/// Reads the split's batch files from `dir` (names as for openDataset).
std::unique_ptr<InMemoryDataset> loadCifar(const std::string &dir,
                                           CifarKind kind, bool train);

/// An NPZ archive's image and label members (see openDataset for the
/// names); `train` picks x_train/y_train or x_test/y_test when present.
std::unique_ptr<InMemoryDataset>
parseNpzDataset(const std::vector<uint8_t> &bytes, const std::string &name,
                bool train);
std::unique_ptr<InMemoryDataset> loadNpz(const std::string &path, bool train);

/// torchvision's ImageFolder over PNG files: classes are the sub-folders of
/// `root` sorted by name (byte order, as Python sorts), samples are the PNG
/// files under each class folder, recursively, in sorted order. Other image
/// extensions (.jpg, .bmp, …) are an error, since only PNG is decoded; other
/// files are skipped. Images must share one height and width. Channels: 1
/// when every image is gray (with or without alpha), else 3 — gray is
/// replicated and alpha dropped, as PIL's convert("RGB") does.
std::unique_ptr<InMemoryDataset> loadImageFolder(const std::string &root);

/// The kinds openDataset accepts, for flag help and error messages.
const std::vector<std::string> &datasetKinds();

/// Opens `kind` at `path` for the train or test split; layouts above.
std::unique_ptr<Dataset> openDataset(const std::string &kind,
                                     const std::string &path, bool train);

} // namespace nncc

#endif // NNCC_DATASETS_H
