//===- IdxDataset.cpp - IDX (MNIST-style) image and label files -----------===//
//
// IDX is a big-endian header (magic, then one uint32 per dimension) followed
// by raw data. The header is never trusted: every declared size is checked
// against the bytes actually present, and errors name the file and the byte
// offset (of the decompressed stream for .gz files) where data ran out.
//
//===----------------------------------------------------------------------===//
#include "nncc/Dataset.h"
#include "nncc/Error.h"
#include "nncc/File.h"

#include <cstdio>
#include <sys/stat.h>

namespace nncc {

namespace {

constexpr uint32_t kImagesMagic = 0x00000803; // uint8, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801; // uint8, 1 dimension

uint32_t readBigEndian32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

/// Parses an IDX header of `rank` dimensions from `bytes` and checks that the
/// data that follows has exactly the declared length. Returns the dimensions.
std::vector<int64_t> parseIdx(const std::vector<uint8_t> &bytes,
                              const std::string &where, uint32_t magic,
                              int rank, const char *what) {
  size_t headerBytes = 4 + 4 * size_t(rank);
  if (bytes.size() < 4)
    throw Error(where + ": truncated IDX header: file ends at byte offset " +
                std::to_string(bytes.size()) + ", magic needs 4 bytes");
  uint32_t found = readBigEndian32(bytes.data());
  if (found != magic)
    throw Error(where + ": bad IDX magic " + hex32(found) +
                " at byte offset 0, expected " + hex32(magic) + " (" + what +
                ")");
  if (bytes.size() < headerBytes)
    throw Error(where + ": truncated IDX header: file ends at byte offset " +
                std::to_string(bytes.size()) + ", header needs " +
                std::to_string(headerBytes) + " bytes");
  std::vector<int64_t> dims;
  uint64_t dataBytes = 1;
  for (int d = 0; d < rank; ++d) {
    uint32_t dim = readBigEndian32(bytes.data() + 4 + 4 * d);
    // Three 32-bit dimensions can overflow 64 bits; no real file is 1 TiB.
    constexpr uint64_t kMaxBytes = uint64_t(1) << 40;
    if (dim != 0 && dataBytes > kMaxBytes / dim)
      throw Error(where + ": IDX header declares an implausible size (over " +
                  std::to_string(kMaxBytes) + " bytes)");
    dataBytes *= dim;
    if (d > 0 && dim == 0)
      throw Error(where + ": IDX header declares an empty dimension " +
                  std::to_string(d) + " at byte offset " +
                  std::to_string(4 + 4 * d));
    dims.push_back(dim);
  }
  uint64_t expected = headerBytes + dataBytes;
  if (bytes.size() < expected)
    throw Error(where + ": truncated " + what + ": data ends at byte offset " +
                std::to_string(bytes.size()) + ", header declares " +
                std::to_string(expected) + " bytes");
  if (bytes.size() > expected)
    throw Error(where + ": " + std::to_string(bytes.size() - expected) +
                " unexpected trailing bytes after byte offset " +
                std::to_string(expected));
  return dims;
}

/// What errors call an input: its path, and that offsets count decompressed
/// bytes when it was gzipped.
std::string describe(const std::string &path, bool gz) {
  return "'" + path + "'" + (gz ? " (decompressed)" : "");
}

} // namespace

IdxDataset IdxDataset::parse(std::vector<uint8_t> images,
                             const std::string &imagesWhere,
                             std::vector<uint8_t> labels,
                             const std::string &labelsWhere) {
  std::vector<int64_t> imageDims = parseIdx(
      images, imagesWhere, kImagesMagic, 3, "IDX uint8 images [n, rows, cols]");
  std::vector<int64_t> labelDims =
      parseIdx(labels, labelsWhere, kLabelsMagic, 1, "IDX uint8 labels [n]");
  if (imageDims[0] != labelDims[0])
    throw Error(imagesWhere + " has " + std::to_string(imageDims[0]) +
                " images but " + labelsWhere + " has " +
                std::to_string(labelDims[0]) + " labels");
  IdxDataset ds;
  ds.count_ = imageDims[0];
  ds.rows_ = imageDims[1];
  ds.cols_ = imageDims[2];
  // The headers dropped in place: Fashion-MNIST's 47 MB of images are not
  // held twice while loading (peak RSS is part of what nncc promises).
  ds.images_ = std::move(images);
  ds.images_.erase(ds.images_.begin(), ds.images_.begin() + 16);
  ds.labels_ = std::move(labels);
  ds.labels_.erase(ds.labels_.begin(), ds.labels_.begin() + 8);
  return ds;
}

IdxDataset IdxDataset::fromBytes(const std::vector<uint8_t> &images,
                                 const std::string &imagesName,
                                 const std::vector<uint8_t> &labels,
                                 const std::string &labelsName) {
  return parse(images, describe(imagesName, false), labels,
               describe(labelsName, false));
}

IdxDataset IdxDataset::load(const std::string &imagesPath,
                            const std::string &labelsPath) {
  bool imagesGz = false, labelsGz = false;
  std::vector<uint8_t> images = readMaybeGzipFile(imagesPath, &imagesGz);
  std::vector<uint8_t> labels = readMaybeGzipFile(labelsPath, &labelsGz);
  std::string imagesWhere = describe(imagesPath, imagesGz);
  std::string labelsWhere = describe(labelsPath, labelsGz);
  return parse(std::move(images), imagesWhere, std::move(labels), labelsWhere);
}

IdxDataset loadFashionMnist(const std::string &dir, bool train) {
  if (!isDirectory(dir))
    throw Error("fashion-mnist directory '" + dir + "' does not exist");
  std::string prefix = dir + "/" + (train ? "train" : "t10k");
  auto find = [&](const std::string &stem) {
    std::string raw = prefix + stem;
    if (isRegularFile(raw))
      return raw;
    if (isRegularFile(raw + ".gz"))
      return raw + ".gz";
    throw Error("fashion-mnist: neither '" + raw + "' nor '" + raw +
                ".gz' exists");
  };
  std::string images = find("-images-idx3-ubyte");
  std::string labels = find("-labels-idx1-ubyte");
  IdxDataset ds = IdxDataset::load(images, labels);
  ds.setClassNames({"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
  return ds;
}

} // namespace nncc
