//===- Augment.cpp - fused crop/flip and uint8 -> float conversion --------===//
//
// The draw is a splitmix64 hash of (seed, epoch, position) rather than a
// shared generator, so any worker can assemble any batch and get the same
// pixels. The conversion is a table lookup per pixel; the augmented path
// computes each row's source range once so the inner loop stays a plain
// gather without bounds tests.
//
//===----------------------------------------------------------------------===//
#include "nncc/Augment.h"

namespace nncc {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

} // namespace

AugmentChoice chooseAugment(const AugmentOptions &options, uint64_t seed,
                            int64_t epoch, int64_t position) {
  AugmentChoice c;
  uint64_t h = splitmix64(splitmix64(splitmix64(seed) ^ uint64_t(epoch)) ^
                          uint64_t(position));
  if (options.cropPadding > 0) {
    uint64_t span = uint64_t(2 * options.cropPadding + 1);
    c.dy = int64_t((h >> 32) % span);
    c.dx = int64_t((h & 0xffffffffu) % span);
    h = splitmix64(h);
  }
  if (options.horizontalFlip)
    c.flip = (h >> 63) != 0;
  return c;
}

void convertSample(const uint8_t *src, const std::array<int64_t, 3> &shape,
                   const float *lut, const AugmentOptions &options,
                   const AugmentChoice &choice, float *dst) {
  const int64_t channels = shape[0], h = shape[1], w = shape[2];
  const int64_t pad = options.cropPadding;
  if (!options.enabled()) {
    for (int64_t c = 0; c < channels; ++c, lut += 256)
      for (int64_t k = 0; k < h * w; ++k)
        *dst++ = lut[*src++];
    return;
  }
  // Output (y, x) reads source (y + dy - pad, x' + dx - pad), where x' is x
  // or w - 1 - x when flipped (the crop comes first, then the flip).
  for (int64_t c = 0; c < channels; ++c, lut += 256, src += h * w) {
    const float zero = lut[0];
    for (int64_t y = 0; y < h; ++y, dst += w) {
      int64_t sy = y + choice.dy - pad;
      if (sy < 0 || sy >= h) {
        for (int64_t x = 0; x < w; ++x)
          dst[x] = zero;
        continue;
      }
      const uint8_t *row = src + sy * w;
      int64_t shift = choice.dx - pad;
      for (int64_t x = 0; x < w; ++x) {
        int64_t sx = (choice.flip ? w - 1 - x : x) + shift;
        dst[x] = sx >= 0 && sx < w ? lut[row[sx]] : zero;
      }
    }
  }
}

} // namespace nncc
