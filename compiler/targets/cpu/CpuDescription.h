//===- CpuDescription.h - the CPU code is generated for ---------*- C++ -*-===//
//
// What the CPU back end needs to know about the machine it generates code
// for: LLVM's CPU name and features (for the TargetMachine), the vector
// width and register count its schedules are sized from, the cache sizes,
// and the instruction-set features the object may use, which the generated
// header names so that the runtime can refuse a CPU that lacks one instead
// of dying of SIGILL. The host by default; `--cpu=` names another.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_TARGETS_CPU_CPUDESCRIPTION_H
#define NNCC_COMPILER_TARGETS_CPU_CPUDESCRIPTION_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

struct CpuDescription {
  std::string triple;
  std::string cpu;                   ///< LLVM's name: znver4, x86-64-v3, ...
  std::vector<std::string> features; ///< LLVM's, signed: "+avx2", "-avx512f"
  int vectorBits = 128;              ///< the widest FP vector: 128, 256, 512
  int vectorRegisters = 16;          ///< of that width: 16, or 32 with AVX-512
  int64_t l1DataBytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;

  int f32Lanes() const { return vectorBits / 32; }
  bool has(const std::string &feature) const;
  /// The instruction-set extensions code for this target may use, among
  /// those the runtime can check on the running CPU (nncc_check_cpu),
  /// comma-separated: "sse4.2,avx,avx2,fma,...".
  std::string isaFeatures() const;

  /// The machine nncc runs on.
  static CpuDescription host();
  /// `native`, `x86-64`, `x86-64-v2`, `x86-64-v3`, `x86-64-v4` or any CPU
  /// name LLVM's X86 back end knows (`skylake-avx512`, `znver3`, ...);
  /// nullopt with `error` set otherwise.
  static std::optional<CpuDescription> named(const std::string &name,
                                             std::string &error);
};

} // namespace nncc

#endif // NNCC_COMPILER_TARGETS_CPU_CPUDESCRIPTION_H
