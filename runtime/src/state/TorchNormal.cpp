//===- TorchNormal.cpp - tensor.normal_ as torch 1.13 computes it on a CPU ===//
//
// torch 1.13's CPU normal_ on a contiguous float tensor of 16 or more values
// first fills it with uniforms in [0, 1), then turns each block of 16 into
// normals by Box-Muller over the pairs (j, j+8). On x86 with AVX2 (torch's
// default CPU capability) that is normal_fill_AVX2, whose log and sincos are
// the Cephes float polynomials of avx_mathfun.h, built by GCC with every
// multiply whose only use is an add fused into an fma. This file repeats
// that arithmetic lane by lane, fma for fma, so any CPU gets torch's values
// bit for bit (checked on 10^7 values against torch 1.13.1). It is compiled
// with -ffp-contract=off: the only fused operations are the ones written out.
// Smaller tensors take torch's scalar path: Box-Muller in double with
// glibc's log/sin/cos, the sine kept for the next draw.
//
//===----------------------------------------------------------------------===//
#include "nncc/TorchRandom.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nncc {

namespace {

constexpr double kPi = 3.14159265358979323846;

uint32_t bitsOf(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
}

float floatOf(uint32_t u) {
  float x;
  std::memcpy(&x, &u, 4);
  return x;
}

/// One rounding, as vfmadd does. The builtin becomes that instruction in
/// functions built for FMA; elsewhere std::fma is the exact libm fallback.
template <bool HardwareFma>
inline __attribute__((always_inline)) float fusedMultiplyAdd(float a, float b,
                                                             float c) {
  return HardwareFma ? __builtin_fmaf(a, b, c) : std::fma(a, b, c);
}

/// log256_ps for one lane, for x in (0, 1] (u1 = 1 - u never leaves it).
template <bool HardwareFma>
inline __attribute__((always_inline)) float cephesLog(float x) {
  x = std::max(x, floatOf(0x00800000)); // smallest normal float
  int32_t exponent = static_cast<int32_t>(bitsOf(x) >> 23) - 0x7f;
  x = floatOf((bitsOf(x) & ~0x7f800000u) | bitsOf(0.5f)); // x in [0.5, 1)
  float e = static_cast<float>(exponent) + 1.0f;
  // x < sqrt(1/2): e -= 1, x = 2x - 1; else x = x - 1.
  bool small = x < 0.707106781186547524f;
  float twice = small ? x : 0.0f;
  x = x - 1.0f;
  e = e - (small ? 1.0f : 0.0f);
  x = x + twice;
  float z = x * x;
  static const float kP[] = {
      7.0376836292E-2f,  -1.1514610310E-1f, 1.1676998740E-1f,
      -1.2420140846E-1f, 1.4249322787E-1f,  -1.6668057665E-1f,
      2.0000714765E-1f,  -2.4999993993E-1f, 3.3333331174E-1f};
  float y = kP[0];
  for (int i = 1; i < 9; ++i)
    y = fusedMultiplyAdd<HardwareFma>(y, x, kP[i]);
  y = y * x;
  y = fusedMultiplyAdd<HardwareFma>(y, z, e * -2.12194440e-4f);
  y = fusedMultiplyAdd<HardwareFma>(-z, 0.5f, y);
  return fusedMultiplyAdd<HardwareFma>(e, 0.693359375f, x + y);
}

/// sincos256_ps for one lane.
template <bool HardwareFma>
inline __attribute__((always_inline)) void cephesSinCos(float x, float &sine,
                                                        float &cosine) {
  uint32_t signSin = bitsOf(x) & 0x80000000u;
  x = std::fabs(x);
  // j = the octant rounded up to even, y = j as a float.
  int32_t j = static_cast<int32_t>(x * 1.27323954473516f); // 4/pi
  j = (j + 1) & ~1;
  float y = static_cast<float>(j);
  signSin ^= static_cast<uint32_t>(j & 4) << 29;
  uint32_t signCos = static_cast<uint32_t>(~(j - 2) & 4) << 29;
  bool sinPolynomial = (j & 2) == 0;
  // x - j*pi/4 in three parts ("extended precision modular arithmetic").
  x = fusedMultiplyAdd<HardwareFma>(y, -0.78515625f, x);
  x = fusedMultiplyAdd<HardwareFma>(y, -2.4187564849853515625e-4f, x);
  x = fusedMultiplyAdd<HardwareFma>(y, -3.77489497744594108e-8f, x);
  float z = x * x;
  float c = fusedMultiplyAdd<HardwareFma>(2.443315711809948E-005f, z,
                                          -1.388731625493765E-003f);
  c = fusedMultiplyAdd<HardwareFma>(c, z, 4.166664568298827E-002f);
  c = c * z;
  c = fusedMultiplyAdd<HardwareFma>(c, z, -(z * 0.5f));
  c = c + 1.0f;
  float s =
      fusedMultiplyAdd<HardwareFma>(-1.9515295891E-4f, z, 8.3321608736E-3f);
  s = fusedMultiplyAdd<HardwareFma>(s, z, -1.6666654611E-1f);
  s = s * z;
  s = fusedMultiplyAdd<HardwareFma>(s, x, x);
  // Each result takes one polynomial; the subtractions (of the value or of
  // +0) are torch's way of selecting, kept for their signed zeros.
  float sinOfS = sinPolynomial ? s : 0.0f;
  float sinOfC = sinPolynomial ? 0.0f : c;
  s = s - sinOfS;
  c = c - sinOfC;
  sine = floatOf(bitsOf(sinOfC + sinOfS) ^ signSin);
  cosine = floatOf(bitsOf(c + s) ^ signCos);
}

/// normal_fill_16_AVX2 on each block of 16 uniforms in [0, 1) in
/// data[0..16*blocks): each becomes 16 normals.
template <bool HardwareFma>
inline __attribute__((always_inline)) void
boxMuller(float *data, int64_t blocks, float mean, float std) {
  // torch: _mm256_set1_ps(2.0f * c10::pi<double>), rounded once to float.
  const float twoPi = static_cast<float>(2.0 * kPi);
  for (float *block = data; block < data + 16 * blocks; block += 16) {
    for (int j = 0; j < 8; ++j) {
      float u1 = 1.0f - block[j]; // (0, 1] for the log
      float u2 = block[j + 8];
      float radius = std::sqrt(-2.0f * cephesLog<HardwareFma>(u1));
      float sine, cosine;
      cephesSinCos<HardwareFma>(twoPi * u2, sine, cosine);
      block[j] = fusedMultiplyAdd<HardwareFma>(radius * cosine, std, mean);
      block[j + 8] = fusedMultiplyAdd<HardwareFma>(radius * sine, std, mean);
    }
  }
}

#if defined(__x86_64__)
__attribute__((target("fma"))) void
boxMullerWithFma(float *data, int64_t blocks, float mean, float std) {
  boxMuller<true>(data, blocks, mean, std);
}
const bool kCpuHasFma = __builtin_cpu_supports("fma");
#else
void boxMullerWithFma(float *data, int64_t blocks, float mean, float std) {
  boxMuller<false>(data, blocks, mean, std);
}
const bool kCpuHasFma = false;
#endif

void boxMullerPortable(float *data, int64_t blocks, float mean, float std) {
  boxMuller<false>(data, blocks, mean, std);
}

} // namespace

// at::normal_distribution<double>: the first uniform is the angle, the
// second the radius; the sine waits in the generator for the next call.
double TorchGenerator::standardNormal() {
  if (hasCachedNormal_) {
    hasCachedNormal_ = false;
    return cachedNormal_;
  }
  const uint64_t mask = (uint64_t(1) << 53) - 1;
  double u1 = static_cast<double>(random64() & mask) * 0x1.0p-53;
  double u2 = static_cast<double>(random64() & mask) * 0x1.0p-53;
  double radius = std::sqrt(-2.0 * std::log(1.0 - u2));
  double theta = 2.0 * kPi * u1;
  cachedNormal_ = radius * std::sin(theta);
  hasCachedNormal_ = true;
  return radius * std::cos(theta);
}

// normal_kernel: the fill path needs 16 values; smaller tensors go element
// by element through the double distribution, mean and std in double.
void TorchGenerator::normal(float *data, int64_t n, double mean, double std) {
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i)
      data[i] = static_cast<float>(standardNormal() * std + mean);
    return;
  }
  const float meanF = static_cast<float>(mean), stdF = static_cast<float>(std);
  for (int64_t i = 0; i < n; ++i)
    data[i] = uniform(0.0f, 1.0f);
  auto *boxMuller = kCpuHasFma ? boxMullerWithFma : boxMullerPortable;
  boxMuller(data, n / 16, meanF, stdF);
  if (n % 16 != 0) {
    float *last = data + n - 16;
    for (int i = 0; i < 16; ++i)
      last[i] = uniform(0.0f, 1.0f);
    boxMuller(last, 1, meanF, stdF);
  }
}

} // namespace nncc
