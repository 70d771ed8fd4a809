//===- DatasetTest.cpp - the factory, get(i), in-memory datasets ----------===//
#include "TestUtil.h"
#include "nncc/Datasets.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

TEST(Dataset, OpensIdxByKindWithClassNames) {
  TempDir dir;
  writeGzip(dir.file("train-images-idx3-ubyte.gz"),
            idxImages(2, 2, 2, {1, 2, 3, 4, 5, 6, 7, 8}));
  writeBytes(dir.file("train-labels-idx1-ubyte"), idxLabels({3, 8}));
  auto fashion = openDataset("fashion-mnist", dir.path(), true);
  EXPECT_EQ(fashion->size(), 2);
  EXPECT_EQ(fashion->get(1).label, 8);
  EXPECT_EQ(fashion->get(1).image[3], 8);
  EXPECT_EQ(fashion->classNames().at(8), "Bag");
  EXPECT_EQ(openDataset("mnist", dir.path(), true)->classNames().at(8), "8");
  std::string msg = errorOf([&] { openDataset("mnist", dir.path(), false); });
  EXPECT_NE(msg.find("t10k-images-idx3-ubyte"), std::string::npos) << msg;
}

TEST(Dataset, UnknownKindListsTheKnownOnes) {
  EXPECT_EQ(errorOf([] { openDataset("svhn", "/tmp", true); }),
            "unknown dataset kind 'svhn' (known: fashion-mnist, mnist, "
            "cifar10, cifar100, npz, imagefolder)");
}

TEST(Dataset, IdxFromBytesChecksCounts) {
  IdxDataset ds = IdxDataset::fromBytes(idxImages(1, 1, 2, {9, 10}), "i",
                                        idxLabels({4}), "l");
  EXPECT_EQ(ds.get(0).image[1], 10);
  EXPECT_EQ(errorOf([] {
              IdxDataset::fromBytes(idxImages(2, 1, 1, {1, 2}), "i",
                                    idxLabels({4}), "l");
            }),
            "'i' has 2 images but 'l' has 1 labels");
}

TEST(Dataset, InMemoryChecksItsSizes) {
  InMemoryDataset ds({1, 1, 2}, {1, 2, 3, 4}, {0, 1}, {"a", "b"});
  EXPECT_EQ(ds.size(), 2);
  EXPECT_EQ(ds.image(1)[0], 3);
  EXPECT_EQ(errorOf([] {
              InMemoryDataset({1, 1, 2}, {1, 2, 3}, {0, 1});
            }),
            "a dataset of 2 labels needs 4 image bytes, got 3");
}

} // namespace
