//===- CpuTarget.h - nncc's CPU back end ------------------------*- C++ -*-===//
//
// The CPU target: schedules sized from the CpuDescription (register tiles,
// chunks over the batch), threads through the runtime's parallel_for hook,
// ABI exposure, the memory plan, the C interface, and LLVM for the object.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_TARGETS_CPU_CPUTARGET_H
#define NNCC_COMPILER_TARGETS_CPU_CPUTARGET_H

#include "compiler/targets/Target.h"
#include "compiler/targets/cpu/CpuDescription.h"

namespace nncc {

class CpuTarget final : public Target {
public:
  explicit CpuTarget(CpuDescription cpu) : cpu_(std::move(cpu)) {}

  const CpuDescription &description() const { return cpu_; }

  std::string kind() const override { return "cpu"; }
  std::string deviceName() const override { return cpu_.cpu; }
  std::string deviceFeatures() const override { return cpu_.isaFeatures(); }
  std::string fingerprint() const override;
  void buildCodegenPipeline(mlir::OpPassManager &pm, Phase stopAfter,
                            const CodegenOptions &options) const override;
  bool emit(mlir::ModuleOp module, Phase phase, const std::string &path,
            const CodegenOptions &options, std::string &error,
            bool &internal) const override;

private:
  CpuDescription cpu_;
};

} // namespace nncc

#endif // NNCC_COMPILER_TARGETS_CPU_CPUTARGET_H
