//===- nncc/OptimizerConfig.h - optimizers by configuration -----*- C++ -*-===//
//
// One struct per choice a training run makes (which optimizer, which
// schedule), with torch's defaults, and factories that build them for a
// model, so a trainer maps its command-line flags onto fields and calls
// makeOptimizer / makeScheduler.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_OPTIMIZERCONFIG_H
#define NNCC_OPTIMIZERCONFIG_H

#include "nncc/LrScheduler.h"
#include "nncc/OneCycleLr.h"
#include "nncc/Optimizer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

enum class OptimizerKind { Sgd, Adam, AdamW };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Sgd;
  /// Unset: 0.05 for SGD (nncc train's default), 1e-3 for Adam and AdamW.
  std::optional<double> lr;
  /// Unset: 0 for SGD and Adam, 1e-2 for AdamW (torch's defaults).
  std::optional<double> weightDecay;
  double momentum = 0.0, dampening = 0.0; // SGD
  bool nesterov = false;                  // SGD
  double beta1 = 0.9, beta2 = 0.999;      // Adam, AdamW
  double eps = 1e-8;                      // Adam, AdamW
  bool amsgrad = false;                   // Adam, AdamW
  /// Two groups: [everything else, {rank <= 1 or *.bias} with weight decay
  /// 0] (see ParamGroups.h).
  bool noDecayNormBias = false;
  /// More tensors for the no-decay group, by pattern ("*.pos_embed").
  std::vector<std::string> noDecayPatterns;
};

/// "sgd", "adam", "adamw"; throws nncc::Error naming the choices.
OptimizerKind parseOptimizerKind(const std::string &name);
const char *optimizerKindName(OptimizerKind kind);

std::unique_ptr<Optimizer> makeOptimizer(const nncc_tensor_info *params,
                                         int32_t count, int64_t paramCount,
                                         const OptimizerConfig &config);
inline std::unique_ptr<Optimizer> makeOptimizer(const nncc_model &model,
                                                const OptimizerConfig &config) {
  return makeOptimizer(model.params, model.num_params, model.param_count,
                       config);
}

enum class SchedulerKind { None, Step, MultiStep, Cosine, Linear, OneCycle };
/// When the trainer calls LrScheduler::step().
enum class ScheduleUnit { Epoch, Iteration };

struct SchedulerConfig {
  SchedulerKind kind = SchedulerKind::None;
  /// What step() counts. OneCycle needs Iteration (parseSchedulerSpec sets
  /// it; makeScheduler rejects Epoch and a warm-up for it).
  ScheduleUnit unit = ScheduleUnit::Epoch;
  int64_t stepSize = 1;            // Step
  std::vector<int64_t> milestones; // MultiStep
  double gamma = 0.1;              // Step, MultiStep
  int64_t tMax = 0;                // Cosine; 0: the rest of the run
  double etaMin = 0.0;             // Cosine
  double startFactor = 1.0 / 3, endFactor = 1.0; // Linear
  int64_t totalIters = 5;                        // Linear
  OneCycleOptions oneCycle;                      // totalSteps 0: the whole run
  /// A linear warm-up from warmupStartFactor * lr over `warmup` units before
  /// the schedule (SequentialLR([LinearLR, schedule], [warmup])).
  int64_t warmup = 0;
  double warmupStartFactor = 0.1;
};

/// Builds the schedule on `optimizer` (which it steps to epoch 0, as torch's
/// constructors do); nullptr for SchedulerKind::None. A run is `epochs`
/// epochs of `stepsPerEpoch` iterations: that sizes the schedules that
/// default to the whole run. Throws nncc::Error for bad settings.
std::unique_ptr<LrScheduler> makeScheduler(Optimizer &optimizer,
                                           const SchedulerConfig &config,
                                           int64_t epochs,
                                           int64_t stepsPerEpoch);

/// A schedule from one flag value: a name, then comma-separated key=value
/// settings, e.g. "cosine", "cosine:eta_min=1e-4,warmup=2",
/// "step:step_size=10,gamma=0.5", "multistep:milestones=30+60",
/// "linear:start=0.1,iters=5", "onecycle:max_lr=0.1,pct_start=0.25",
/// with "unit=epoch|iteration" for all but onecycle. Throws nncc::Error
/// naming the bad part.
SchedulerConfig parseSchedulerSpec(const std::string &spec);

} // namespace nncc

#endif // NNCC_OPTIMIZERCONFIG_H
