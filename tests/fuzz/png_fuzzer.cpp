//===- png_fuzzer.cpp - libFuzzer target for the PNG decoder --------------===//
//
// Any bytes as a PNG: pixels of exactly width x height x channels, or an
// nncc::Error; never an allocation larger than the IDAT data can inflate to.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Png.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  try {
    nncc::PngImage img = nncc::decodePng(data, size, "fuzz.png");
    if (uint64_t(img.width) * uint64_t(img.height) * uint64_t(img.channels) !=
        img.pixels.size())
      __builtin_trap();
  } catch (const nncc::Error &) {
  }
  return 0;
}
