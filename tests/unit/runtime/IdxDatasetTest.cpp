//===- IdxDatasetTest.cpp - IDX parsing, gzip detection, error messages ---===//
#include "TestUtil.h"
#include "nncc/Dataset.h"
#include "nncc/Error.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

std::vector<uint8_t> somePixels(size_t n) {
  std::vector<uint8_t> p(n);
  for (size_t i = 0; i < n; ++i)
    p[i] = uint8_t(i * 7 + 3);
  return p;
}

TEST(IdxDataset, LoadsRawFiles) {
  TempDir dir;
  writeBytes(dir.file("img"), idxImages(3, 2, 4, somePixels(24)));
  writeBytes(dir.file("lbl"), idxLabels({4, 0, 9}));
  IdxDataset ds = IdxDataset::load(dir.file("img"), dir.file("lbl"));
  EXPECT_EQ(ds.size(), 3);
  EXPECT_EQ(ds.sampleShape(), (std::array<int64_t, 3>{1, 2, 4}));
  EXPECT_EQ(ds.sampleNumel(), 8);
  EXPECT_EQ(ds.label(0), 4);
  EXPECT_EQ(ds.label(2), 9);
  EXPECT_EQ(ds.image(1)[0], somePixels(24)[8]);
  EXPECT_EQ(ds.image(2)[7], somePixels(24)[23]);
}

TEST(IdxDataset, DetectsGzipByMagicNotName) {
  TempDir dir;
  writeGzip(dir.file("img"), idxImages(2, 3, 3, somePixels(18)));
  writeGzip(dir.file("lbl.gz"), idxLabels({1, 2}));
  IdxDataset ds = IdxDataset::load(dir.file("img"), dir.file("lbl.gz"));
  EXPECT_EQ(ds.size(), 2);
  EXPECT_EQ(ds.image(1)[8], somePixels(18)[17]);
  EXPECT_EQ(ds.label(1), 2);
}

TEST(IdxDataset, RejectsWrongMagic) {
  TempDir dir;
  writeBytes(dir.file("img"), idxLabels({1, 2})); // labels where images go
  writeBytes(dir.file("lbl"), idxLabels({1, 2}));
  std::string msg =
      errorOf([&] { IdxDataset::load(dir.file("img"), dir.file("lbl")); });
  EXPECT_NE(msg.find(dir.file("img")), std::string::npos) << msg;
  EXPECT_NE(msg.find("bad IDX magic 0x00000801"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected 0x00000803"), std::string::npos) << msg;
}

TEST(IdxDataset, TruncatedDataNamesFileAndOffset) {
  TempDir dir;
  std::vector<uint8_t> img = idxImages(3, 2, 4, somePixels(24));
  img.resize(img.size() - 5); // 16 + 24 - 5 = 35 bytes
  writeBytes(dir.file("img"), img);
  writeBytes(dir.file("lbl"), idxLabels({1, 2, 3}));
  std::string msg =
      errorOf([&] { IdxDataset::load(dir.file("img"), dir.file("lbl")); });
  EXPECT_NE(msg.find(dir.file("img")), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 35"), std::string::npos) << msg;
  EXPECT_NE(msg.find("40 bytes"), std::string::npos) << msg;
}

TEST(IdxDataset, TruncatedHeaderAndGzipStream) {
  TempDir dir;
  writeBytes(dir.file("img"), {0, 0, 8, 3, 0, 0});
  writeBytes(dir.file("lbl"), idxLabels({1}));
  std::string msg =
      errorOf([&] { IdxDataset::load(dir.file("img"), dir.file("lbl")); });
  EXPECT_NE(msg.find("truncated IDX header"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 6"), std::string::npos) << msg;

  writeGzip(dir.file("gz"), idxImages(50, 8, 8, somePixels(3200)));
  std::vector<uint8_t> gz = readBytes(dir.file("gz"));
  gz.resize(gz.size() / 2);
  writeBytes(dir.file("gz"), gz);
  msg = errorOf([&] { IdxDataset::load(dir.file("gz"), dir.file("lbl")); });
  EXPECT_NE(msg.find("truncated gzip stream"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset " + std::to_string(gz.size())),
            std::string::npos)
      << msg;
}

TEST(IdxDataset, RejectsTrailingBytesAndCountMismatch) {
  TempDir dir;
  std::vector<uint8_t> img = idxImages(2, 2, 2, somePixels(8));
  img.push_back(0);
  writeBytes(dir.file("img"), img);
  writeBytes(dir.file("lbl"), idxLabels({1, 2}));
  std::string msg =
      errorOf([&] { IdxDataset::load(dir.file("img"), dir.file("lbl")); });
  EXPECT_NE(msg.find("trailing bytes after byte offset 24"), std::string::npos)
      << msg;

  writeBytes(dir.file("img"), idxImages(2, 2, 2, somePixels(8)));
  writeBytes(dir.file("lbl"), idxLabels({1, 2, 3}));
  msg = errorOf([&] { IdxDataset::load(dir.file("img"), dir.file("lbl")); });
  EXPECT_NE(msg.find("has 2 images"), std::string::npos) << msg;
  EXPECT_NE(msg.find("has 3 labels"), std::string::npos) << msg;
}

TEST(IdxDataset, FashionMnistFindsFilesAndReportsMissingOnes) {
  TempDir dir;
  std::string msg = errorOf([&] { loadFashionMnist(dir.file("nope"), true); });
  EXPECT_NE(msg.find("directory"), std::string::npos) << msg;
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;

  writeGzip(dir.file("train-images-idx3-ubyte.gz"),
            idxImages(2, 2, 2, somePixels(8)));
  writeBytes(dir.file("train-labels-idx1-ubyte"), idxLabels({3, 4}));
  EXPECT_EQ(loadFashionMnist(dir.path(), true).size(), 2);
  msg = errorOf([&] { loadFashionMnist(dir.path(), false); });
  EXPECT_NE(msg.find("t10k-images-idx3-ubyte.gz"), std::string::npos) << msg;
}

} // namespace
