//===- OpenDataset.cpp - datasets by name, and the in-memory dataset ------===//
//
// The one place that maps `--data KIND=PATH` to a reader, so the trainer and
// user programs agree on layouts (documented in Datasets.h).
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "nncc/File.h"

#include <sys/stat.h>

namespace nncc {

InMemoryDataset::InMemoryDataset(std::array<int64_t, 3> shape,
                                 std::vector<uint8_t> images,
                                 std::vector<int64_t> labels,
                                 std::vector<std::string> classNames)
    : shape_(shape), images_(std::move(images)), labels_(std::move(labels)),
      classes_(std::move(classNames)) {
  for (int64_t d : shape_)
    if (d <= 0)
      throw Error("a dataset's sample shape must be positive");
  if (uint64_t(images_.size()) != uint64_t(labels_.size()) * sampleNumel())
    throw Error("a dataset of " + std::to_string(labels_.size()) +
                " labels needs " +
                std::to_string(uint64_t(labels_.size()) * sampleNumel()) +
                " image bytes, got " + std::to_string(images_.size()));
}

const std::vector<std::string> &datasetKinds() {
  static const std::vector<std::string> kinds = {
      "fashion-mnist", "mnist", "cifar10", "cifar100", "npz", "imagefolder"};
  return kinds;
}

static std::unique_ptr<Dataset> openImageFolder(const std::string &path,
                                                bool train) {
  if (!isDirectory(path))
    throw Error("imagefolder directory '" + path + "' does not exist");
  if (!isDirectory(path + "/train")) {
    if (!train)
      throw Error("imagefolder '" + path +
                  "' has no train/ and test/ folders, so it has no test "
                  "split");
    return loadImageFolder(path);
  }
  if (train)
    return loadImageFolder(path + "/train");
  for (const char *split : {"/test", "/val"})
    if (isDirectory(path + split))
      return loadImageFolder(path + split);
  throw Error("imagefolder '" + path +
              "' has train/ but neither test/ nor "
              "val/");
}

std::unique_ptr<Dataset> openDataset(const std::string &kind,
                                     const std::string &path, bool train) {
  if (kind == "fashion-mnist")
    return std::make_unique<IdxDataset>(loadFashionMnist(path, train));
  if (kind == "mnist") {
    auto ds = std::make_unique<IdxDataset>(loadFashionMnist(path, train));
    ds->setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    return ds;
  }
  if (kind == "cifar10")
    return loadCifar(path, CifarKind::Cifar10, train);
  if (kind == "cifar100")
    return loadCifar(path, CifarKind::Cifar100Fine, train);
  if (kind == "npz")
    return loadNpz(path, train);
  if (kind == "imagefolder")
    return openImageFolder(path, train);
  std::string known;
  for (const std::string &k : datasetKinds())
    known += (known.empty() ? "" : ", ") + k;
  throw Error("unknown dataset kind '" + kind + "' (known: " + known + ")");
}

} // namespace nncc
