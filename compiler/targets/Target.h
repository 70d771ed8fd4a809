//===- Target.h - what the pipeline asks of a code generator ----*- C++ -*-===//
//
// The seam between nncc's target-neutral front half (model, nn dialect,
// autodiff, fusion, linalg on tensors: compiler/pipeline) and a back end
// (schedules, threads, ABI exposure, memory plan, C interface, code:
// compiler/targets/<name>). The pipeline calls these methods and nothing
// else of a target, so a second target (CUDA) sits beside the CPU one
// without branches on its kind in the pipeline or the driver.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_TARGETS_TARGET_H
#define NNCC_COMPILER_TARGETS_TARGET_H

#include "compiler/pipeline/Phase.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include <memory>
#include <string>

namespace nncc {

/// What the driver asks of the back half, whatever the target.
struct CodegenOptions {
  std::string prefix = "model"; ///< C symbol prefix, e.g. "mlp"
  /// A profiled build (nn-profile): the target turns the region marks into
  /// calls of the execution context's profile hook.
  bool profile = false;
  /// Debug info whose lines are model.nn's.
  bool debugInfo = false;
  /// Where emit's steps report their wall time (--time-report); none if null.
  mlir::TimingScope *timing = nullptr;
};

class Target {
public:
  virtual ~Target();

  /// The target's kind, as `--target` will name it: "cpu".
  virtual std::string kind() const = 0;
  /// The device the code is generated for, as the header and the runtime's
  /// check name it ("znver4"), and the extensions the code may use
  /// ("avx2,fma,avx512f,..."): the runtime refuses a device that lacks one.
  virtual std::string deviceName() const = 0;
  virtual std::string deviceFeatures() const = 0;
  /// Everything about the target that can change the code (for the compile
  /// cache's key): kind, device, every feature, the schedules' parameters.
  virtual std::string fingerprint() const = 0;

  /// Adds the passes that take a module in the form of Phase::Linalg (linalg
  /// on tensors, entry points with tensor signatures) to `stopAfter`
  /// (Phase::Bufferized or Phase::LLVMDialect: the target's own IR forms).
  virtual void buildCodegenPipeline(mlir::OpPassManager &pm, Phase stopAfter,
                                    const CodegenOptions &options) const = 0;

  /// Writes the module buildCodegenPipeline(Phase::LLVMDialect) produced as
  /// `phase` (Phase::LLVMIR, Phase::Asm or Phase::Object) to `path` ("-" is
  /// stdout), through a temporary file so a failure leaves nothing behind.
  /// False with `error` set on failure; `internal` tells a bug in nncc (a
  /// translation that fails) from a problem with the output path.
  virtual bool emit(mlir::ModuleOp module, Phase phase, const std::string &path,
                    const CodegenOptions &options, std::string &error,
                    bool &internal) const = 0;
};

/// Canonicalize and CSE: what the front half runs between its phases, and a
/// target between its own.
void addCleanups(mlir::OpPassManager &pm);

/// The target `--cpu=NAME` selects (a CPU: the only kind there is today);
/// null with `error` set for a name no target knows.
std::unique_ptr<Target> createTarget(const std::string &cpu,
                                     std::string &error);
/// The machine nncc runs on.
std::unique_ptr<Target> createHostTarget();

} // namespace nncc

#endif // NNCC_COMPILER_TARGETS_TARGET_H
