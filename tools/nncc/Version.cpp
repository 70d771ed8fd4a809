//===- Version.cpp - `nncc --version` -------------------------------------===//
//
// What a bug report needs: nncc's version and commit, the LLVM/MLIR it was
// built with, and the CPU that objects are generated for when no target is
// given (the host, with its vector features).
//
//===----------------------------------------------------------------------===//
#include "tools/nncc/Driver.h"

#include "Version.inc"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/TargetParser/Host.h"

using namespace nncc;

std::string nncc::versionText() {
  std::string text = "nncc " NNCC_VERSION_STRING;
  if (*NNCC_GIT_COMMIT)
    text += " (git " NNCC_GIT_COMMIT ")";
  text += "\nbuilt with LLVM and MLIR " LLVM_VERSION_STRING "\n";
  // The vector and matrix features that decide how fast generated code is,
  // in order of width.
  static const char *kVectorFeatures[] = {
      "sse4.2",     "avx",        "avx2",     "fma",      "f16c",
      "avx512f",    "avx512dq",   "avx512bw", "avx512vl", "avx512vnni",
      "avx512bf16", "avx512fp16", "amx-tile", "amx-bf16", "amx-int8"};
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  std::string enabled;
  for (const char *f : kVectorFeatures)
    if (features.lookup(f))
      enabled += std::string(enabled.empty() ? "" : " ") + f;
  text += "host CPU: " + llvm::sys::getHostCPUName().str() +
          " (code is generated for it by default)\nvector features: " +
          (enabled.empty() ? std::string("none beyond SSE2") : enabled) + "\n";
  return text;
}
