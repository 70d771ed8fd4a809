//===- nncc/TorchRandom.h - PyTorch's CPU random stream ---------*- C++ -*-===//
//
// nncc's seed means what torch.manual_seed means: the same initial weights
// (layers initialised in state_dict order, as PyTorch constructs them) and
// the same shuffles as `DataLoader(shuffle=True)`. PyTorch 1.13's CPU
// generator is a 32-bit MT19937 seeded with the low 32 bits of the seed;
//  - uniform_(a, b) on float: u = (draw & (2^24-1)) * 2^-24, a + u*(b-a);
//  - normal_(mean, std) on float: see normal() below;
//  - each DataLoader epoch draws `random_()` on int64 (a 64-bit value made of
//    two draws, first = high word, modulo 2^63) for its iterator's base seed,
//    and with shuffle=True a second one that seeds a fresh generator for
//    randperm(n): for i < n-1, swap(r[i], r[i + draw % (n-i)]).
// Dropout is where the streams part: nn.Dropout draws its masks from the
// global generator in a way nncc does not reproduce, so for models with
// dropout the trainer takes one random64() per step as train_step's seed
// and neither masks nor later shuffles are PyTorch's. Models without dropout
// draw nothing per step and keep PyTorch's shuffles.
// Unit tests pin values printed by torch itself.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TORCHRANDOM_H
#define NNCC_TORCHRANDOM_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace nncc {

class TorchGenerator {
public:
  explicit TorchGenerator(uint64_t seed)
      : engine_(static_cast<uint32_t>(seed & 0xffffffffu)) {}

  uint32_t random() { return static_cast<uint32_t>(engine_()); }
  uint64_t random64() {
    uint64_t hi = random();
    return (hi << 32) | random();
  }
  /// One float of `tensor.uniform_(from, to)` (torch computes in double).
  float uniform(float from, float to) {
    double u = static_cast<double>(random() & ((1u << 24) - 1)) * 0x1.0p-24;
    return static_cast<float>(u * (to - from) + from);
  }
  /// What `torch.empty((), dtype=torch.int64).random_()` returns.
  uint64_t int64Seed() { return random64() % (uint64_t(1) << 63); }

  /// `torch.empty(n).normal_(mean, std)` into data[0..n), bit for bit as
  /// torch 1.13 on an x86 CPU with AVX2 computes it (TorchNormal.cpp):
  ///  - n >= 16: n uniforms (one draw each), Box-Muller on each block of 16
  ///    with avx_mathfun's float log/sincos, and for n % 16 != 0 the last 16
  ///    values drawn and transformed again;
  ///  - n < 16: one double normal per element from two 53-bit uniforms
  ///    (random64 each); Box-Muller gives two, the second is kept for the
  ///    next n < 16 call, as torch's generator does.
  void normal(float *data, int64_t n, double mean, double std);

  /// Everything that decides the values still to come: the 624 MT19937
  /// words, the position in them, and torch's cached normal (flag, then the
  /// double's bits). A training state file stores it so that a resumed run
  /// draws exactly what the uninterrupted one would have.
  std::vector<int64_t> state() const;
  /// Restores what state() returned; throws nncc::Error (naming `what`) for
  /// a vector of the wrong length or out-of-range words.
  void setState(const std::vector<int64_t> &state, const std::string &what);
  static constexpr size_t kStateSize = 624 + 1 + 2;

private:
  /// at::normal_distribution<double>(0, 1), with torch's one-value cache.
  double standardNormal();

  std::mt19937 engine_;
  bool hasCachedNormal_ = false;
  double cachedNormal_ = 0.0;
};

/// torch.randperm(n, generator=Generator().manual_seed(seed)) on the CPU.
std::vector<int64_t> torchRandperm(int64_t n, uint64_t seed);

} // namespace nncc

#endif // NNCC_TORCHRANDOM_H
