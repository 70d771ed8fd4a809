//===- CifarTest.cpp - CIFAR-10/100 batches: records, labels, layout ------===//
#include "DataTestUtil.h"
#include "TestUtil.h"
#include "nncc/Datasets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace nncc;
using namespace nncc::test;

namespace {

Bytes concat(std::vector<Bytes> parts) {
  Bytes out;
  for (const Bytes &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Cifar, ParsesTenAndHundredRecords) {
  std::vector<uint8_t> images;
  std::vector<int64_t> labels;
  parseCifarBatch(concat({cifarRecord({3}, 7), cifarRecord({9}, 8)}), "b",
                  CifarKind::Cifar10, images, labels);
  EXPECT_EQ(labels, (std::vector<int64_t>{3, 9}));
  ASSERT_EQ(images.size(), 2u * 3072);
  EXPECT_EQ(images[0], 7);
  EXPECT_EQ(images[3072], 8);

  Bytes hundred = concat({cifarRecord({4, 71}, 1), cifarRecord({19, 99}, 2)});
  std::vector<uint8_t> im;
  std::vector<int64_t> fine, coarse;
  parseCifarBatch(hundred, "h", CifarKind::Cifar100Fine, im, fine);
  EXPECT_EQ(fine, (std::vector<int64_t>{71, 99}));
  EXPECT_EQ(im[3072], 2);
  im.clear();
  parseCifarBatch(hundred, "h", CifarKind::Cifar100Coarse, im, coarse);
  EXPECT_EQ(coarse, (std::vector<int64_t>{4, 19}));
}

TEST(Cifar, RejectsTruncatedAndForeignFiles) {
  std::vector<uint8_t> images;
  std::vector<int64_t> labels;
  Bytes two = concat({cifarRecord({1}, 0), cifarRecord({2}, 0)});
  Bytes cut(two.begin(), two.end() - 5);
  EXPECT_EQ(errorOf([&] {
              parseCifarBatch(cut, "d.bin", CifarKind::Cifar10, images, labels);
            }),
            "'d.bin': truncated CIFAR record at byte offset 3073: the file has "
            "6141 bytes, not a multiple of the 3073-byte record");
  Bytes bad = concat({cifarRecord({1}, 0), cifarRecord({12}, 0)});
  EXPECT_EQ(errorOf([&] {
              parseCifarBatch(bad, "d.bin", CifarKind::Cifar10, images, labels);
            }),
            "'d.bin': label 12 at byte offset 3073 is not below 10 (is this a "
            "CIFAR-10 file?)");
}

TEST(Cifar, LoadsSplitsFromTheArchiveLayout) {
  TempDir dir;
  // The archive's own folder name is accepted under the given directory.
  std::string sub = dir.file("cifar-10-batches-bin");
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  for (int i = 1; i <= 5; ++i)
    writeBytes(
        sub + "/data_batch_" + std::to_string(i) + ".bin",
        concat({cifarRecord({uint8_t(i)}, uint8_t(i)), cifarRecord({0}, 0)}));
  writeBytes(sub + "/test_batch.bin", cifarRecord({9}, 200));
  auto train = openDataset("cifar10", dir.path(), true);
  EXPECT_EQ(train->size(), 10);
  EXPECT_EQ(train->sampleShape(), (std::array<int64_t, 3>{3, 32, 32}));
  EXPECT_EQ(train->label(8), 5);
  EXPECT_EQ(train->image(8)[3071], 5);
  EXPECT_EQ(train->classNames().at(9), "truck");
  auto test = openDataset("cifar10", sub, false);
  EXPECT_EQ(test->size(), 1);
  EXPECT_EQ(test->get(0).label, 9);
  EXPECT_EQ(test->get(0).image[0], 200);
  std::remove((sub + "/data_batch_3.bin").c_str());
  EXPECT_EQ(errorOf([&] { openDataset("cifar10", sub, true); }),
            "cifar10: '" + sub + "/data_batch_3.bin' does not exist");
  for (const char *f :
       {"/data_batch_1.bin", "/data_batch_2.bin", "/data_batch_4.bin",
        "/data_batch_5.bin", "/test_batch.bin"})
    std::remove((sub + f).c_str());
  std::remove(sub.c_str());
}

TEST(Cifar, HundredUsesFineLabels) {
  TempDir dir;
  writeBytes(dir.file("train.bin"), cifarRecord({3, 42}, 1));
  writeBytes(dir.file("test.bin"), cifarRecord({3, 43}, 1));
  EXPECT_EQ(openDataset("cifar100", dir.path(), true)->label(0), 42);
  EXPECT_EQ(openDataset("cifar100", dir.path(), false)->label(0), 43);
}

} // namespace
