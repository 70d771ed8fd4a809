//===- TorchRandomTest.cpp - TorchGenerator's normal_ against torch 1.13 --===//
//
// Expected values come from torch 1.13.1 (x86, AVX2) with this snippet;
// `fnv` is FNV-1a 64 over the tensor's float bytes, as test::fnv1a:
//   torch.manual_seed(seed); t = torch.empty(n).normal_(mean, std)
//   print(hex(fnv(t)), float(t[0]).hex(), float(t[-1]).hex())
//
//===----------------------------------------------------------------------===//
#include "nncc/TorchRandom.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {

struct NormalCase {
  uint64_t seed;
  int64_t n;
  double mean, std;
  uint64_t hash;
  float first, last;
};

TEST(TorchRandom, NormalEqualsPyTorchBitForBit) {
  const NormalCase cases[] = {
      // One block of 16, the AVX2 Box-Muller path.
      {0, 16, 0, 1, 0x28d49f8f92bf21d6u, -0x1.20370ap+0f, -0x1.fa6cf8p-3f},
      // 17: one block, then the last 16 drawn again and transformed.
      {0, 17, 0, 1, 0x9151e09be6bcf07au, -0x1.20370ap+0f, 0x1.dd1860p-1f},
      {1, 100, 0, 1, 0x2389d2a836970fd1u, -0x1.868d74p+0f, -0x1.bf9f6cp-1f},
      {2, 4608, 0, 1, 0x7c7adc43e1142d23u, -0x1.0a71f2p+0f, -0x1.32ea58p-4f},
      {5, 33, 0.5, 2.0, 0x00826b59ea0dfcbcu, 0x1.0bd178p+2f, -0x1.92abd0p+0f},
      // Fewer than 16: the scalar double path.
      {5, 3, 0.5, 2.0, 0xe870b6c2f74c75e2u, -0x1.e4ed4ep-2f, -0x1.3b7d94p-1f},
      {9, 1, -1.0, 0.3, 0x47d6ea5c8c45c097u, -0x1.f9213ep-1f, -0x1.f9213ep-1f},
  };
  for (const NormalCase &c : cases) {
    TorchGenerator g(c.seed);
    std::vector<float> t(size_t(c.n));
    g.normal(t.data(), c.n, c.mean, c.std);
    EXPECT_EQ(t.front(), c.first) << c.n;
    EXPECT_EQ(t.back(), c.last) << c.n;
    EXPECT_EQ(test::fnv1a(t.data(), c.n), c.hash) << c.n;
  }
}

TEST(TorchRandom, SmallNormalsKeepTheSecondBoxMullerValue) {
  // A scalar-path call leaves a value behind; calls of 16 or more neither
  // use nor clear it, and the next small call starts with it, as torch's
  // generator does: torch.manual_seed(11); x = torch.empty(3).normal_();
  // torch.empty(20).normal_(); y = torch.empty(2).normal_().
  TorchGenerator g(11);
  float x[3], big[20], y[2];
  g.normal(x, 3, 0, 1);
  g.normal(big, 20, 0, 1);
  g.normal(y, 2, 0, 1);
  EXPECT_EQ(x[0], 0x1.79aa92p-1f);
  EXPECT_EQ(x[2], -0x1.662a52p-1f);
  EXPECT_EQ(y[0], -0x1.4d635cp+0f); // x[2]'s pair: torch.empty(4)[3]
  EXPECT_EQ(y[1], 0x1.17ace4p-1f);
}

TEST(TorchRandom, Int64SeedIsPyTorchs) {
  // torch.manual_seed(3); torch.empty((), dtype=torch.int64).random_()
  TorchGenerator g(3);
  EXPECT_EQ(g.int64Seed(), 937055941807507096u);
}

} // namespace
