//===- CifarDataset.cpp - CIFAR-10/100 binary batches ---------------------===//
//
// A batch file is headerless fixed-size records, so the only checks are that
// the length is a whole number of records and that every label is in range;
// a partial record at the end means a truncated download and is reported
// with its byte offset rather than dropped.
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "nncc/File.h"

#include <sys/stat.h>

namespace nncc {

namespace {

constexpr int64_t kPixels = 3 * 32 * 32;

int64_t labelBytes(CifarKind kind) {
  return kind == CifarKind::Cifar10 ? 1 : 2;
}

int64_t classCount(CifarKind kind) {
  switch (kind) {
  case CifarKind::Cifar10:
    return 10;
  case CifarKind::Cifar100Fine:
    return 100;
  case CifarKind::Cifar100Coarse:
    return 20;
  }
  return 0;
}

} // namespace

void parseCifarBatch(const std::vector<uint8_t> &bytes, const std::string &name,
                     CifarKind kind, std::vector<uint8_t> &images,
                     std::vector<int64_t> &labels) {
  const int64_t record = labelBytes(kind) + kPixels;
  const int64_t size = int64_t(bytes.size());
  if (size == 0)
    throw Error("'" + name + "': empty CIFAR batch file");
  if (size % record != 0)
    throw Error("'" + name + "': truncated CIFAR record at byte offset " +
                std::to_string(size / record * record) + ": the file has " +
                std::to_string(size) + " bytes, not a multiple of the " +
                std::to_string(record) + "-byte record");
  const int64_t count = size / record;
  // The fine label is the second byte of a CIFAR-100 record.
  const int64_t labelAt = kind == CifarKind::Cifar100Fine ? 1 : 0;
  images.reserve(images.size() + size_t(count * kPixels));
  for (int64_t r = 0; r < count; ++r) {
    const uint8_t *rec = bytes.data() + r * record;
    int64_t label = rec[labelAt];
    if (label >= classCount(kind))
      throw Error("'" + name + "': label " + std::to_string(label) +
                  " at byte offset " + std::to_string(r * record + labelAt) +
                  " is not below " + std::to_string(classCount(kind)) +
                  " (is this a CIFAR-" +
                  (kind == CifarKind::Cifar10 ? "10" : "100") + " file?)");
    labels.push_back(label);
    images.insert(images.end(), rec + labelBytes(kind), rec + record);
  }
}

std::unique_ptr<InMemoryDataset> loadCifar(const std::string &dir,
                                           CifarKind kind, bool train) {
  bool ten = kind == CifarKind::Cifar10;
  const char *what = ten ? "cifar10" : "cifar100";
  if (!isDirectory(dir))
    throw Error(std::string(what) + " directory '" + dir + "' does not exist");
  std::vector<std::string> names;
  if (ten && train)
    for (int i = 1; i <= 5; ++i)
      names.push_back("data_batch_" + std::to_string(i) + ".bin");
  else if (ten)
    names.push_back("test_batch.bin");
  else
    names.push_back(train ? "train.bin" : "test.bin");
  // The archives unpack into a sub-folder; accept either level.
  std::string base = dir;
  const char *sub = ten ? "/cifar-10-batches-bin" : "/cifar-100-binary";
  if (!isRegularFile(base + "/" + names[0]) && isDirectory(dir + sub))
    base = dir + sub;
  std::vector<uint8_t> images;
  std::vector<int64_t> labels;
  for (const std::string &n : names) {
    std::string path = base + "/" + n;
    if (!isRegularFile(path))
      throw Error(std::string(what) + ": '" + path + "' does not exist");
    parseCifarBatch(readFile(path), path, kind, images, labels);
  }
  std::vector<std::string> classes;
  if (ten)
    classes = {"airplane", "automobile", "bird",  "cat",  "deer",
               "dog",      "frog",       "horse", "ship", "truck"};
  return std::make_unique<InMemoryDataset>(std::array<int64_t, 3>{3, 32, 32},
                                           std::move(images), std::move(labels),
                                           std::move(classes));
}

} // namespace nncc
