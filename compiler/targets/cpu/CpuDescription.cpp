//===- CpuDescription.cpp - the host, or a named x86 CPU
//-----------------------===//
#include "compiler/targets/cpu/CpuDescription.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <memory>
#include <unistd.h>

using namespace nncc;

/// Extensions the runtime checks (by CPUID) before it runs
/// a model (runtime/src/device/host/CpuCheck.cpp keeps the same list).
static const char *const kCheckedFeatures[] = {
    "popcnt",     "sse4.2",       "avx",
    "avx2",       "fma",          "bmi",
    "bmi2",       "avx512f",      "avx512cd",
    "avx512dq",   "avx512bw",     "avx512vl",
    "avx512ifma", "avx512vbmi",   "avx512vbmi2",
    "avx512vnni", "avx512bitalg", "avx512vpopcntdq",
    "avx512bf16", "avx512fp16",   "avx512vp2intersect",
    "gfni",       "vpclmulqdq",   "amx-tile",
    "amx-int8",   "amx-bf16"};

bool CpuDescription::has(const std::string &feature) const {
  return std::find(features.begin(), features.end(), "+" + feature) !=
         features.end();
}

std::string CpuDescription::isaFeatures() const {
  std::string out;
  for (const char *f : kCheckedFeatures)
    if (has(f))
      out += (out.empty() ? "" : ",") + std::string(f);
  return out;
}

/// Vector width and registers from the features.
static void deriveVectorUnit(CpuDescription &t) {
  if (t.has("avx512f")) {
    t.vectorBits = 512;
    t.vectorRegisters = 32;
  } else if (t.has("avx")) {
    t.vectorBits = 256;
    t.vectorRegisters = 16;
  } else {
    t.vectorBits = 128;
    t.vectorRegisters = 16;
  }
}

CpuDescription CpuDescription::host() {
  CpuDescription t;
  t.triple = llvm::sys::getDefaultTargetTriple();
  t.cpu = llvm::sys::getHostCPUName().str();
  for (auto &feature : llvm::sys::getHostCPUFeatures())
    t.features.push_back((feature.second ? "+" : "-") + feature.first().str());
  std::sort(t.features.begin(), t.features.end());
  deriveVectorUnit(t);
  if (long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE); l1 > 0)
    t.l1DataBytes = l1;
  if (long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0)
    t.l2Bytes = l2;
  return t;
}

std::optional<CpuDescription> CpuDescription::named(const std::string &name,
                                                    std::string &error) {
  if (name == "native" || name == "host")
    return host();
  llvm::InitializeNativeTarget();
  CpuDescription t;
  t.triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(t.triple, error);
  if (!target)
    return std::nullopt;
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(t.triple, name, ""));
  if (!info || !info->isCPUStringValid(name)) {
    error = "unknown CPU '" + name +
            "' (native, x86-64, x86-64-v2, x86-64-v3, x86-64-v4, or a CPU "
            "name LLVM knows, such as skylake-avx512 or znver3)";
    return std::nullopt;
  }
  t.cpu = name;
  for (const llvm::SubtargetFeatureKV &kv : info->getAllProcessorFeatures())
    if (info->checkFeatures(std::string("+") + kv.Key))
      t.features.push_back(std::string("+") + kv.Key);
  std::sort(t.features.begin(), t.features.end());
  deriveVectorUnit(t);
  return t;
}
