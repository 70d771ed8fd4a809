//===- nncc/Augment.h - seeded image augmentation ---------------*- C++ -*-===//
//
// torchvision's RandomCrop(size, padding=p) followed by
// RandomHorizontalFlip(0.5), fused with the uint8 -> float conversion: the
// crop reads a window of the image padded with zero pixels (so a padded
// pixel becomes (0 - mean) / std, as with torchvision's fill=0 before
// Normalize) and never materialises the padded image.
//
// The random choices are a hash of (seed, epoch, position of the sample in
// the epoch), so they do not depend on the number of loader workers or on
// which thread assembles a batch. The stream is NOT torchvision's: runs with
// augmentation reproduce themselves, not PyTorch's.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_AUGMENT_H
#define NNCC_AUGMENT_H

#include <array>
#include <cstdint>

namespace nncc {

struct AugmentOptions {
  /// Zero padding on each side for the random crop; 0 disables the crop.
  int64_t cropPadding = 0;
  /// Mirror left-right with probability 1/2.
  bool horizontalFlip = false;
  bool enabled() const { return cropPadding > 0 || horizontalFlip; }
};

/// One sample's draw: the crop's offset into the padded image, each in
/// [0, 2 * cropPadding], and whether to flip.
struct AugmentChoice {
  int64_t dy = 0, dx = 0;
  bool flip = false;
};

AugmentChoice chooseAugment(const AugmentOptions &options, uint64_t seed,
                            int64_t epoch, int64_t position);

/// Writes the [C, H, W] floats of one sample: `lut` holds 256 floats per
/// channel (the normalised value of each uint8), `choice` applies with
/// `options.cropPadding` (pass a default AugmentChoice for no augmentation).
void convertSample(const uint8_t *src, const std::array<int64_t, 3> &shape,
                   const float *lut, const AugmentOptions &options,
                   const AugmentChoice &choice, float *dst);

} // namespace nncc

#endif // NNCC_AUGMENT_H
