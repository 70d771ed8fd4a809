//===- NpzDataset.cpp - image/label datasets from .npz archives -----------===//
//
// Images are kept as uint8 because that is what every other reader gives the
// loader (normalisation is fused into its uint8 -> float conversion); NHWC
// arrays, the NumPy/Keras habit, are transposed once here so the loader
// only ever sees [C, H, W].
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "nncc/File.h"
#include "nncc/Npy.h"

#include <sys/stat.h>

namespace nncc {

namespace {

/// Turns an image array into [C, H, W] samples; see Npy.h for the layouts.
std::vector<uint8_t> toChw(const NpyArray &a, const std::string &where,
                           std::array<int64_t, 3> &shape) {
  if (a.dtype != "|u1")
    throw Error(where + ": images must be uint8, the dtype is '" + a.dtype +
                "' (scale to 0..255 and save with .astype(np.uint8))");
  const std::vector<int64_t> &s = a.shape;
  auto chan = [](int64_t c) { return c == 1 || c == 3; };
  bool nhwc = false;
  if (s.size() == 3)
    shape = {1, s[1], s[2]};
  else if (s.size() == 4 && chan(s[1]))
    shape = {s[1], s[2], s[3]};
  else if (s.size() == 4 && chan(s[3])) {
    shape = {s[3], s[1], s[2]};
    nhwc = true;
  } else {
    std::string dims;
    for (int64_t d : s)
      dims += (dims.empty() ? "" : ", ") + std::to_string(d);
    throw Error(where + ": images of shape (" + dims +
                ") are neither [N, H, W], [N, C, H, W] nor [N, H, W, C] with "
                "C = 1 or 3");
  }
  for (int64_t d : shape)
    if (d == 0)
      throw Error(where + ": images have an empty dimension");
  if (!nhwc)
    return a.data;
  int64_t n = s[0], h = s[1], w = s[2], c = s[3];
  std::vector<uint8_t> out(a.data.size());
  for (int64_t i = 0; i < n; ++i)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int64_t k = 0; k < c; ++k)
          out[size_t(((i * c + k) * h + y) * w + x)] =
              a.data[size_t(((i * h + y) * w + x) * c + k)];
  return out;
}

using Members = std::map<std::string, std::vector<uint8_t>>;
using Pair = std::pair<std::string, std::string>;

/// The dataset of the first image/label pair of `candidates` in the archive.
std::unique_ptr<InMemoryDataset>
fromMembers(Members &members, const std::string &name,
            const std::vector<Pair> &candidates) {
  const Pair *found = nullptr;
  for (const Pair &p : candidates)
    if (!found && members.count(p.first + ".npy"))
      found = &p;
  if (!found) {
    std::string names;
    for (const Pair &p : candidates)
      names += (names.empty() ? "" : ", ") + p.first + ".npy";
    throw Error("'" + name + "' has none of the image members " + names);
  }
  std::string imageMember = found->first + ".npy",
              labelMember = found->second + ".npy";
  if (!members.count(labelMember))
    throw Error("'" + name + "' has '" + imageMember + "' but no '" +
                labelMember + "'");
  std::string imageWhere = name + ":" + imageMember,
              labelWhere = name + ":" + labelMember;
  NpyArray images = parseNpy(members[imageMember], imageWhere);
  members.erase(imageMember);
  NpyArray labels = parseNpy(members[labelMember], labelWhere);
  std::array<int64_t, 3> shape;
  std::vector<uint8_t> chw = toChw(images, "'" + imageWhere + "'", shape);
  if (labels.shape.size() != 1)
    throw Error("'" + labelWhere + "': labels must be 1-D, found " +
                std::to_string(labels.shape.size()) + " dimensions");
  if (labels.shape[0] != images.shape[0])
    throw Error("'" + imageWhere + "' has " + std::to_string(images.shape[0]) +
                " images but '" + labelWhere + "' has " +
                std::to_string(labels.shape[0]) + " labels");
  std::vector<int64_t> values(size_t(labels.shape[0]));
  for (int64_t i = 0; i < labels.shape[0]; ++i) {
    values[size_t(i)] = npyInteger(labels, i, labelWhere);
    if (values[size_t(i)] < 0)
      throw Error("'" + labelWhere + "': label " + std::to_string(i) +
                  " is negative (" + std::to_string(values[size_t(i)]) + ")");
  }
  return std::make_unique<InMemoryDataset>(shape, std::move(chw),
                                           std::move(values));
}

} // namespace

// A single .npz holds both splits only under Keras' names; the plain names
// are the training set.
std::unique_ptr<InMemoryDataset>
parseNpzDataset(const std::vector<uint8_t> &bytes, const std::string &name,
                bool train) {
  Members members = readZip(bytes, name);
  if (train)
    return fromMembers(
        members, name,
        {{"x_train", "y_train"}, {"images", "labels"}, {"x", "y"}});
  return fromMembers(members, name, {{"x_test", "y_test"}});
}

std::unique_ptr<InMemoryDataset> loadNpz(const std::string &path, bool train) {
  if (!isDirectory(path))
    return parseNpzDataset(readFile(path), path, train);
  // A directory has one file per split, each with any of the names.
  std::string file = path + (train ? "/train.npz" : "/test.npz");
  Members members = readZip(readFile(file), file);
  return fromMembers(
      members, file,
      {{train ? "x_train" : "x_test", train ? "y_train" : "y_test"},
       {"images", "labels"},
       {"x", "y"}});
}

} // namespace nncc
