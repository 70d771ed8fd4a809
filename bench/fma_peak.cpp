//===- fma_peak.cpp - the FP32 FMA peak of this machine's widest vector unit
//===//
//
// The physical limit every speed figure of bench.py is set against. Built for
// the host (-O2 -march=native) it picks the widest FMA the compiler may use:
// AVX-512 (16 lanes), AVX2+FMA (8), or SSE+FMA (4). Each thread runs
// kChains independent FMA chains, enough to cover the FMA latency (4 cycles)
// times the FMA units (up to 2) on every x86 core seen so far, and keeps them
// in registers (12 accumulators + 2 operands fit AVX2's 16 registers).
//
// Cross-check: a chain of dependent integer adds runs at one add per cycle on
// every x86 core, so it measures the clock; one dependent FMA chain then
// gives the FMA latency in cycles, and the peak divided by clock x lanes x 2
// gives the FMA instructions retired per cycle, which should be close to a
// whole number (1 or 2). A peak that disagrees with the clock (say 1.4 FMAs
// per cycle) means the measurement was disturbed, and the JSON says so.
//
//   c++ -std=c++17 -O2 -march=native bench/fma_peak.cpp -lpthread -o fma_peak
//   ./fma_peak [--threads 1,2] [--seconds 0.2] [--repeats 5]
//
// Prints one JSON document. Each figure is the best of --repeats runs: a
// peak is what the machine can do, and a disturbed run only ever lowers it.
//
//===----------------------------------------------------------------------===//
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

#if defined(__AVX512F__)
using Vec = __m512;
constexpr int kLanes = 16;
constexpr const char *kIsa = "avx512f";
inline Vec splat(float x) { return _mm512_set1_ps(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline float lane0(Vec v) { return _mm512_cvtss_f32(v); }
#elif defined(__AVX2__) && defined(__FMA__)
using Vec = __m256;
constexpr int kLanes = 8;
constexpr const char *kIsa = "avx2+fma";
inline Vec splat(float x) { return _mm256_set1_ps(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline float lane0(Vec v) { return _mm256_cvtss_f32(v); }
#elif defined(__FMA__)
using Vec = __m128;
constexpr int kLanes = 4;
constexpr const char *kIsa = "sse+fma";
inline Vec splat(float x) { return _mm_set1_ps(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm_fmadd_ps(a, b, c); }
inline float lane0(Vec v) { return _mm_cvtss_f32(v); }
#else
#error "fma_peak needs an x86-64 CPU with FMA; build with -march=native"
#endif

constexpr int kChains = 12;
constexpr int64_t kInner = 1000; // FMAs per chain per timed block

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Runs `blocks` x kInner x kChains independent vector FMAs. The multiplier
/// is just below one and the addend tiny, so values stay normal forever.
float throughputKernel(int64_t blocks, float seed) {
  Vec acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = splat(seed + c);
  const Vec mul = splat(0.999999f), add = splat(1e-7f);
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t i = 0; i < kInner; ++i) {
#pragma GCC unroll 12
      for (int c = 0; c < kChains; ++c)
        acc[c] = fma(acc[c], mul, add);
    }
    // Keep the compiler from reasoning across blocks.
    asm volatile("" : "+m"(acc));
  }
  float sum = 0;
  for (int c = 0; c < kChains; ++c)
    sum += lane0(acc[c]);
  return sum;
}

/// One dependent FMA chain: latency-bound.
float latencyKernel(int64_t n, float seed) {
  Vec a = splat(seed);
  const Vec mul = splat(0.999999f), add = splat(1e-7f);
  for (int64_t i = 0; i < n; ++i) {
    a = fma(a, mul, add);
    a = fma(a, mul, add);
    a = fma(a, mul, add);
    a = fma(a, mul, add);
  }
  return lane0(a);
}

/// A chain of dependent integer adds: one per cycle on every x86 core.
uint64_t clockKernel(int64_t n) {
  uint64_t x = 0;
  for (int64_t i = 0; i < n; ++i)
    asm volatile(".rept 100\n\taddq $1, %0\n\t.endr" : "+r"(x));
  return x;
}

/// Best rate (units per second) of `run(n)` over `repeats` runs of about
/// `seconds` each; `n` is calibrated once.
template <typename Run>
double bestRate(Run run, double unitsPerN, double seconds, int repeats) {
  int64_t n = 1;
  for (;;) {
    auto start = Clock::now();
    run(n);
    double s = secondsSince(start);
    if (s > seconds / 4 || n > (int64_t(1) << 40))
      break;
    n *= 2;
  }
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    run(n);
    best = std::max(best, n * unitsPerN / secondsSince(start));
  }
  return best;
}

std::atomic<float> sink{0};

/// FLOP/s of `threads` threads running the throughput kernel at once.
double peakFlops(int threads, double seconds, int repeats) {
  auto runAll = [&](int64_t blocks) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([blocks, t] {
        float s = throughputKernel(blocks, 1.0f + t);
        sink.store(s, std::memory_order_relaxed);
      });
    for (auto &th : pool)
      th.join();
  };
  double flopsPerBlock = 2.0 * kLanes * kChains * kInner * threads;
  return bestRate(runAll, flopsPerBlock, seconds, repeats);
}

[[noreturn]] void usage(const char *argv0) {
  std::fprintf(
      stderr, "usage: %s [--threads 1,2] [--seconds S] [--repeats R]\n", argv0);
  std::exit(2);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<int> threadCounts;
  double seconds = 0.2;
  int repeats = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc)
      usage(argv[0]);
    const char *v = argv[++i];
    if (a == "--threads") {
      for (const char *p = v; *p;) {
        char *end = nullptr;
        long t = std::strtol(p, &end, 10);
        if (end == p || t < 1 || t > 1024)
          usage(argv[0]);
        threadCounts.push_back(static_cast<int>(t));
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
          usage(argv[0]);
      }
    } else if (a == "--seconds") {
      seconds = std::atof(v);
    } else if (a == "--repeats") {
      repeats = std::atoi(v);
    } else {
      usage(argv[0]);
    }
  }
  if (threadCounts.empty())
    threadCounts = {1, static_cast<int>(std::thread::hardware_concurrency())};
  if (seconds <= 0 || repeats < 1)
    usage(argv[0]);

  double clockHz =
      bestRate([](int64_t n) { clockKernel(n); }, 100.0, seconds, repeats);
  double latencyFmas =
      bestRate([](int64_t n) { sink.store(latencyKernel(n, 1.0f)); }, 4.0,
               seconds, repeats);
  double perCore = peakFlops(1, seconds, repeats);
  double fmaPerCycle = perCore / (clockHz * kLanes * 2.0);
  // Whole FMA instructions per cycle are what hardware does; far from one,
  // the timing or the clock estimate was disturbed.
  double offWhole =
      std::abs(fmaPerCycle - std::max(1.0, std::round(fmaPerCycle)));

  std::printf("{\"isa\": \"%s\", \"lanes\": %d, \"chains\": %d,\n", kIsa,
              kLanes, kChains);
  std::printf(" \"clock_ghz\": %.3f, \"fma_latency_cycles\": %.2f,\n",
              clockHz / 1e9, clockHz / latencyFmas);
  std::printf(" \"gflops_per_core\": %.2f, \"fma_instructions_per_cycle\": "
              "%.2f, \"consistent_with_clock\": %s,\n",
              perCore / 1e9, fmaPerCycle, offWhole < 0.15 ? "true" : "false");
  std::printf(" \"threads\": [");
  for (size_t i = 0; i < threadCounts.size(); ++i) {
    int t = threadCounts[i];
    double flops = t == 1 ? perCore : peakFlops(t, seconds, repeats);
    std::printf("%s{\"threads\": %d, \"gflops\": %.2f}", i ? ", " : "", t,
                flops / 1e9);
  }
  std::printf("]}\n");
  return 0;
}
