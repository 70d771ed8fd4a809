//===- ImageFolderTest.cpp - torchvision's layout, order and channels -----===//
#include "DataTestUtil.h"
#include "TestUtil.h"
#include "nncc/Datasets.h"

#include <filesystem>
#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;
namespace fs = std::filesystem;

namespace {

/// A tree under a fresh temp dir, removed recursively at scope exit.
struct Tree {
  TempDir tmp;
  std::string root = tmp.path() + "/data";
  ~Tree() { fs::remove_all(root); }
  void png(const std::string &rel, const Bytes &bytes) {
    fs::create_directories(fs::path(root + "/" + rel).parent_path());
    writeBytes(root + "/" + rel, bytes);
  }
};

/// A 2x1 gray PNG with pixels {v, v + 1}.
Bytes gray(uint8_t v) { return pngBytes(2, 1, 8, 0, {0, v, uint8_t(v + 1)}); }
/// A 2x1 RGB PNG.
Bytes rgb(uint8_t r, uint8_t g, uint8_t b) {
  return pngBytes(2, 1, 8, 2, {0, r, g, b, r, g, b});
}

TEST(ImageFolder, ClassesAndFilesInTorchvisionOrder) {
  Tree t;
  t.png("b/z.png", gray(50));
  t.png("b/a.png", gray(40));
  t.png("a/x.png", gray(10));
  t.png("a/sub/y.png", gray(30));    // nested folders are walked
  t.png("a/readme.txt", {'h', 'i'}); // not an image: skipped
  t.png("a/w.PNG", gray(20));        // extensions are case-insensitive
  auto ds = loadImageFolder(t.root);
  EXPECT_EQ(ds->classNames(), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(ds->size(), 5);
  EXPECT_EQ(ds->sampleShape(), (std::array<int64_t, 3>{1, 1, 2}));
  std::vector<int> firstPixels, labels;
  for (int64_t i = 0; i < ds->size(); ++i) {
    firstPixels.push_back(ds->image(i)[0]);
    labels.push_back(int(ds->label(i)));
  }
  // sorted(os.walk("a")): a/ first (w.PNG, x.png: 'P' < 'p' by byte), then
  // a/sub/.
  EXPECT_EQ(firstPixels, (std::vector<int>{20, 10, 30, 40, 50}));
  EXPECT_EQ(labels, (std::vector<int>{0, 0, 0, 1, 1}));
}

TEST(ImageFolder, GrayBecomesRgbWhenAnyImageHasColour) {
  Tree t;
  t.png("cat/1.png", rgb(1, 2, 3));
  t.png("dog/1.png", gray(9));
  auto ds = loadImageFolder(t.root);
  EXPECT_EQ(ds->sampleShape(), (std::array<int64_t, 3>{3, 1, 2}));
  EXPECT_EQ(Bytes(ds->image(0), ds->image(0) + 6), (Bytes{1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(Bytes(ds->image(1), ds->image(1) + 6),
            (Bytes{9, 10, 9, 10, 9, 10}));
}

TEST(ImageFolder, ErrorsNameTheFile) {
  Tree t;
  t.png("a/1.png", gray(1));
  t.png("b/1.png", pngBytes(1, 1, 8, 0, {0, 5}));
  std::string msg = errorOf([&] { loadImageFolder(t.root); });
  EXPECT_EQ(msg, "'" + t.root + "/b/1.png' is 1x1 but '" + t.root +
                     "/a/1.png' is 2x1: all images of a dataset must have "
                     "one size");
  t.png("b/1.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
  msg = errorOf([&] { loadImageFolder(t.root); });
  EXPECT_NE(msg.find("'" + t.root + "/b/1.png': truncated PNG"),
            std::string::npos)
      << msg;
  t.png("b/1.png", gray(1));
  t.png("b/2.jpg", {0xff, 0xd8});
  msg = errorOf([&] { loadImageFolder(t.root); });
  EXPECT_EQ(msg, "'" + t.root +
                     "/b/2.jpg': only PNG images are supported in an "
                     "imagefolder dataset");
  fs::remove(t.root + "/b/2.jpg");
  fs::create_directories(t.root + "/c");
  msg = errorOf([&] { loadImageFolder(t.root); });
  EXPECT_EQ(msg,
            "imagefolder '" + t.root + "': class folder 'c' has no PNG files");
}

TEST(ImageFolder, SplitsByFolder) {
  Tree t;
  t.png("train/a/1.png", gray(1));
  t.png("train/b/1.png", gray(2));
  t.png("val/a/1.png", gray(3));
  t.png("val/b/1.png", gray(4));
  EXPECT_EQ(openDataset("imagefolder", t.root, true)->image(1)[0], 2);
  EXPECT_EQ(openDataset("imagefolder", t.root, false)->image(1)[0], 4);
  EXPECT_EQ(
      errorOf([&] { openDataset("imagefolder", t.root + "/val", false); }),
      "imagefolder '" + t.root +
          "/val' has no train/ and test/ folders, so it has no test "
          "split");
}

} // namespace
