//===- FusedMultiplyAdd.h - torch's fused multiply-adds, dispatched -------===//
//
// torch's CPU kernels (AVX2 build, GCC) fuse a*b+c into one rounding in the
// places the optimizers depend on: add-with-alpha (vec::fmadd), addcmul and
// the norm reduction. Matching those bits needs a real fma, which is one
// instruction on CPUs that have it and a slow but exact libm call otherwise.
// Kernels are templates on the choice, instantiated once in a function with
// NNCC_FMA_TARGET and once without; cpuHasFma() picks one at run time.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_FUSEDMULTIPLYADD_H
#define NNCC_RUNTIME_FUSEDMULTIPLYADD_H

#include <cmath>

namespace nncc {

template <bool HardwareFma>
inline __attribute__((always_inline)) float fusedMultiplyAdd(float a, float b,
                                                             float c) {
  // The builtin becomes one vfmadd in an FMA-enabled function; std::fma is
  // the exact (slower, libm) fallback for CPUs without FMA.
  return HardwareFma ? __builtin_fmaf(a, b, c) : std::fma(a, b, c);
}

#if defined(__x86_64__)
inline bool cpuHasFma() {
  static const bool has = __builtin_cpu_supports("fma");
  return has;
}
#define NNCC_FMA_TARGET __attribute__((target("fma")))
/// Whether a NNCC_FMA_TARGET function may use the builtin.
constexpr bool kTargetHasFma = true;
#else
inline bool cpuHasFma() { return false; }
#define NNCC_FMA_TARGET
constexpr bool kTargetHasFma = false;
#endif

} // namespace nncc

#endif // NNCC_RUNTIME_FUSEDMULTIPLYADD_H
