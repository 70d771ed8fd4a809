//===- NpyTest.cpp - .npy parsing, zip reading and .npz datasets ----------===//
#include "nncc/Npy.h"
#include "DataFixtures.h"
#include "DataTestUtil.h"
#include "TestUtil.h"
#include "nncc/Datasets.h"

#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;
namespace fx = nncc::test::fixtures;

namespace {

Bytes bytesOf(const uint8_t *p, size_t n) { return Bytes(p, p + n); }

TEST(Npy, ParsesHeaderAndData) {
  Bytes data = {1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
  NpyArray a = parseNpy(npyBytes("<i4", "(3,)", data), "a.npy");
  EXPECT_EQ(a.dtype, "<i4");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(npyInteger(a, 0, "a"), 1);
  EXPECT_EQ(npyInteger(a, 2, "a"), -1);
  NpyArray b = parseNpy(npyBytes("|u1", "(2, 1, 3)", Bytes(6, 9)), "b.npy");
  EXPECT_EQ(b.shape, (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(b.numel(), 6);
}

TEST(Npy, RejectsWhatItDoesNotRead) {
  auto err = [](const Bytes &b) {
    return errorOf([&] { parseNpy(b, "x.npy"); });
  };
  EXPECT_NE(err(npyBytes("<f4", "(1,)", Bytes(4), "True"))
                .find("Fortran-order arrays are not supported"),
            std::string::npos);
  EXPECT_NE(err(npyBytes(">i4", "(1,)", Bytes(4)))
                .find("big-endian dtype '>i4' is not supported"),
            std::string::npos);
  EXPECT_NE(err(npyBytes("<c8", "(1,)", Bytes(8))).find("dtype '<c8'"),
            std::string::npos);
  std::string msg = err(npyBytes("|u1", "(2, 3)", Bytes(5)));
  EXPECT_NE(msg.find("'x.npy': truncated .npy data: shape and dtype need 6 "
                     "bytes from offset 128"),
            std::string::npos)
      << msg;
  msg = err(npyBytes("|u1", "(2,)", Bytes(3)));
  EXPECT_EQ(msg, "'x.npy': 1 unexpected trailing bytes at byte offset 130");
  // A shape whose product overflows 64 bits is caught before multiplying.
  msg = err(npyBytes("<i8", "(4294967296, 4294967296, 4294967296)", Bytes(8)));
  EXPECT_NE(msg.find("declares more elements than the file holds"),
            std::string::npos)
      << msg;
  EXPECT_NE(
      err(Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0}).find("not a .npy file"),
      std::string::npos);
}

TEST(Zip, ReadsArchivesNumPyWrites) {
  auto members = readZip(bytesOf(fx::kKerasNpz, fx::kKerasNpzSize), "k.npz");
  EXPECT_EQ(members.size(), 4u);
  EXPECT_TRUE(members.count("x_train.npy"));
  // np.savez stores members with zip64 extra fields.
  members = readZip(bytesOf(fx::kStoredNpz, fx::kStoredNpzSize), "s.npz");
  EXPECT_EQ(members.size(), 2u);
  EXPECT_EQ(parseNpy(members["labels.npy"], "l").shape,
            (std::vector<int64_t>{2}));
}

TEST(Zip, RejectsCorruptArchives) {
  Bytes payload(100, 42);
  Bytes zip = zipBytes({{"a.npy", payload}}, /*deflated=*/true);
  EXPECT_EQ(readZip(zip, "z.zip")["a.npy"], payload);
  Bytes badCrc = zipBytes({{"a.npy", payload}}, false);
  badCrc[30 + 5 + 10] ^= 1; // a stored data byte
  std::string msg = errorOf([&] { readZip(badCrc, "z.zip"); });
  EXPECT_EQ(msg, "'z.zip': member 'a.npy' fails its CRC check at byte offset "
                 "35");
  Bytes cut(zip.begin() + 10, zip.end());
  msg = errorOf([&] { readZip(cut, "z.zip"); });
  EXPECT_NE(msg.find("'z.zip': "), std::string::npos) << msg;
  EXPECT_NE(errorOf([&] {
              readZip(Bytes(40, 0), "z.zip");
            }).find("no end-of-directory record"),
            std::string::npos);
  // A central directory that claims 4 GB for 100 deflated bytes.
  Bytes liar = zip;
  size_t dir = liar.size() - 22 - (46 + 5);
  liar[dir + 24] = liar[dir + 25] = liar[dir + 26] = liar[dir + 27] = 0xff;
  msg = errorOf([&] { readZip(liar, "z.zip"); });
  EXPECT_NE(msg.find("more than its"), std::string::npos) << msg;
}

TEST(NpzDataset, KerasSplitsAndNhwcTransposition) {
  Bytes npz = bytesOf(fx::kKerasNpz, fx::kKerasNpzSize);
  auto train = parseNpzDataset(npz, "k.npz", true);
  EXPECT_EQ(train->size(), 3);
  EXPECT_EQ(train->sampleShape(), (std::array<int64_t, 3>{3, 2, 2}));
  EXPECT_EQ(Bytes(train->image(0), train->image(0) + 36),
            bytesOf(fx::kKerasTrainChw, fx::kKerasTrainChwSize));
  EXPECT_EQ(train->label(0), 2);
  auto test = parseNpzDataset(npz, "k.npz", false);
  EXPECT_EQ(test->size(), 2);
  EXPECT_EQ(Bytes(test->image(0), test->image(0) + 24),
            bytesOf(fx::kKerasTestChw, fx::kKerasTestChwSize));
  EXPECT_EQ(test->label(1), 1);

  auto plain = parseNpzDataset(bytesOf(fx::kStoredNpz, fx::kStoredNpzSize),
                               "s.npz", true);
  EXPECT_EQ(plain->sampleShape(), (std::array<int64_t, 3>{1, 2, 3}));
  EXPECT_EQ(Bytes(plain->image(0), plain->image(0) + 12),
            bytesOf(fx::kStoredImages, fx::kStoredImagesSize));
  EXPECT_EQ(plain->label(1), 3);
  EXPECT_EQ(errorOf([&] {
              parseNpzDataset(bytesOf(fx::kStoredNpz, fx::kStoredNpzSize),
                              "s.npz", false);
            }),
            "'s.npz' has none of the image members x_test.npy");
}

TEST(NpzDataset, RejectsInconsistentArrays) {
  Bytes images = npyBytes("|u1", "(3, 2, 2)", Bytes(12, 1));
  auto npz = [&](const Bytes &x, const Bytes &y) {
    return zipBytes({{"x.npy", x}, {"y.npy", y}}, false);
  };
  std::string msg = errorOf([&] {
    parseNpzDataset(npz(images, npyBytes("<i8", "(2,)", Bytes(16))), "d.npz",
                    true);
  });
  EXPECT_EQ(msg, "'d.npz:x.npy' has 3 images but 'd.npz:y.npy' has 2 labels");
  msg = errorOf([&] {
    parseNpzDataset(npz(npyBytes("<f4", "(1, 2, 2)", Bytes(16)),
                        npyBytes("|u1", "(1,)", Bytes(1))),
                    "d.npz", true);
  });
  EXPECT_NE(msg.find("images must be uint8, the dtype is '<f4'"),
            std::string::npos)
      << msg;
  msg = errorOf([&] {
    parseNpzDataset(npz(npyBytes("|u1", "(1, 5, 2, 2)", Bytes(20)),
                        npyBytes("|u1", "(1,)", Bytes(1))),
                    "d.npz", true);
  });
  EXPECT_NE(msg.find("are neither [N, H, W]"), std::string::npos) << msg;
  msg = errorOf([&] {
    parseNpzDataset(zipBytes({{"x.npy", images}}, false), "d.npz", true);
  });
  EXPECT_EQ(msg, "'d.npz' has 'x.npy' but no 'y.npy'");
}

TEST(NpzDataset, DirectoryWithOneFilePerSplit) {
  TempDir dir;
  writeBytes(dir.file("train.npz"),
             zipBytes({{"images.npy", npyBytes("|u1", "(2, 1, 1)", {5, 6})},
                       {"labels.npy", npyBytes("|u1", "(2,)", {1, 0})}},
                      true));
  writeBytes(dir.file("test.npz"),
             zipBytes({{"x.npy", npyBytes("|u1", "(1, 1, 1)", {7})},
                       {"y.npy", npyBytes("<i8", "(1,)", Bytes(8, 0))}},
                      false));
  auto train = openDataset("npz", dir.path(), true);
  EXPECT_EQ(train->size(), 2);
  EXPECT_EQ(train->image(1)[0], 6);
  auto test = openDataset("npz", dir.path(), false);
  EXPECT_EQ(test->size(), 1);
  EXPECT_EQ(test->image(0)[0], 7);
  EXPECT_EQ(test->label(0), 0);
}

} // namespace
