//===- CpuCheck.cpp - refuse a CPU that lacks the model's ISA extensions --===//
//
// An object built for AVX-512 on one machine and run on an AVX2-only one
// would die of SIGILL in the middle of a step. The generated header names
// the extensions its code may use (compiler/targets/cpu/CpuDescription.cpp
// keeps the same list); this reads each one's CPUID bit, and whether the OS
// saves the vector registers it needs.
//
//===----------------------------------------------------------------------===//
#include "nncc/CpuCheck.h"
#include "nncc/Error.h"
#include "nncc/train.h"

#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace nncc {

namespace {

#if defined(__x86_64__) || defined(__i386__)
/// Where CPUID reports an extension: leaf, subleaf, register, bit.
struct CpuidBit {
  const char *name;
  unsigned leaf, subleaf;
  int reg; // 0 eax, 1 ebx, 2 ecx, 3 edx
  int bit;
  int state; // register state the OS must save: 0 none, 1 AVX, 2 AVX-512
};

constexpr CpuidBit kFeatures[] = {
    {"popcnt", 1, 0, 2, 23, 0},
    {"sse4.2", 1, 0, 2, 20, 0},
    {"avx", 1, 0, 2, 28, 1},
    {"fma", 1, 0, 2, 12, 1},
    {"avx2", 7, 0, 1, 5, 1},
    {"bmi", 7, 0, 1, 3, 0},
    {"bmi2", 7, 0, 1, 8, 0},
    {"avx512f", 7, 0, 1, 16, 2},
    {"avx512dq", 7, 0, 1, 17, 2},
    {"avx512ifma", 7, 0, 1, 21, 2},
    {"avx512cd", 7, 0, 1, 28, 2},
    {"avx512bw", 7, 0, 1, 30, 2},
    {"avx512vl", 7, 0, 1, 31, 2},
    {"avx512vbmi", 7, 0, 2, 1, 2},
    {"avx512vbmi2", 7, 0, 2, 6, 2},
    {"gfni", 7, 0, 2, 8, 0},
    {"vpclmulqdq", 7, 0, 2, 10, 1},
    {"avx512vnni", 7, 0, 2, 11, 2},
    {"avx512bitalg", 7, 0, 2, 12, 2},
    {"avx512vpopcntdq", 7, 0, 2, 14, 2},
    {"avx512vp2intersect", 7, 0, 3, 8, 2},
    {"avx512fp16", 7, 0, 3, 23, 2},
    {"amx-bf16", 7, 0, 3, 22, 0},
    {"amx-tile", 7, 0, 3, 24, 0},
    {"amx-int8", 7, 0, 3, 25, 0},
    {"avx512bf16", 7, 1, 0, 5, 2},
};

/// Which vector register state the OS saves on a context switch (XCR0):
/// without it, AVX or AVX-512 instructions fault even on a CPU that has them.
int savedVectorState() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) // OSXSAVE
    return 0;
  unsigned lo, hi;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0x6) != 0x6) // SSE and AVX state
    return 0;
  return (lo & 0xe0) == 0xe0 ? 2 : 1; // opmask, ZMM0-15 and ZMM16-31 halves
}
#endif

/// 1: the running CPU has it, 0: it lacks it, -1: not a name we check.
int cpuSupports(const std::string &f) {
#if defined(__x86_64__) || defined(__i386__)
  for (const CpuidBit &k : kFeatures) {
    if (f != k.name)
      continue;
    unsigned r[4] = {0, 0, 0, 0};
    if (!__get_cpuid_count(k.leaf, k.subleaf, &r[0], &r[1], &r[2], &r[3]))
      return 0;
    if (!(r[k.reg] & (1u << k.bit)))
      return 0;
    return savedVectorState() >= k.state ? 1 : 0;
  }
#endif
  return -1;
}

} // namespace

std::string missingCpuFeature(const char *features) {
  if (!features)
    return "";
  std::string list = features;
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos)
      end = list.size();
    std::string f = list.substr(start, end - start);
    if (!f.empty() && cpuSupports(f) == 0)
      return f;
    start = end + 1;
  }
  return "";
}

void checkCpu(const nncc_model &model) {
  std::string missing = missingCpuFeature(model.target_features);
  if (missing.empty())
    return;
  throw Error("this CPU lacks " + missing + ", which model '" +
              std::string(model.name ? model.name : "") +
              "' was compiled to use (for CPU '" +
              std::string(model.target_cpu ? model.target_cpu : "?") +
              "'); compile it on this machine (the default, --cpu=native) "
              "or for an older CPU, e.g. --cpu=x86-64-v3 (AVX2) or "
              "--cpu=x86-64-v2");
}

} // namespace nncc

extern "C" const char *nncc_missing_cpu_feature(const nncc_model *model) {
  static thread_local std::string missing;
  missing = model ? nncc::missingCpuFeature(model->target_features) : "";
  return missing.empty() ? nullptr : missing.c_str();
}
