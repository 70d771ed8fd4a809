//===- OptimizerConfig.cpp - building optimizers and schedules ------------===//
//
// The factories behind the trainer's optimizer and schedule flags. The
// defaults that differ between torch's optimizers (lr, AdamW's weight
// decay) are resolved here, in one place.
//
//===----------------------------------------------------------------------===//
#include "nncc/OptimizerConfig.h"
#include "nncc/Adam.h"
#include "nncc/Error.h"
#include "nncc/ParamGroups.h"
#include "nncc/Sgd.h"

#include <algorithm>

namespace nncc {

OptimizerKind parseOptimizerKind(const std::string &name) {
  if (name == "sgd")
    return OptimizerKind::Sgd;
  if (name == "adam")
    return OptimizerKind::Adam;
  if (name == "adamw")
    return OptimizerKind::AdamW;
  throw Error("unknown optimizer '" + name + "' (expected sgd, adam or adamw)");
}

const char *optimizerKindName(OptimizerKind kind) {
  switch (kind) {
  case OptimizerKind::Sgd:
    return "sgd";
  case OptimizerKind::Adam:
    return "adam";
  case OptimizerKind::AdamW:
    return "adamw";
  }
  return "?";
}

std::unique_ptr<Optimizer> makeOptimizer(const nncc_tensor_info *params,
                                         int32_t count, int64_t paramCount,
                                         const OptimizerConfig &c) {
  bool sgd = c.kind == OptimizerKind::Sgd;
  GroupOptions o;
  o.lr = c.lr.value_or(sgd ? 0.05 : 1e-3);
  o.weightDecay =
      c.weightDecay.value_or(c.kind == OptimizerKind::AdamW ? 1e-2 : 0.0);
  o.momentum = c.momentum;
  o.dampening = c.dampening;
  o.nesterov = c.nesterov;
  o.beta1 = c.beta1;
  o.beta2 = c.beta2;
  o.eps = c.eps;
  o.amsgrad = c.amsgrad;
  std::vector<ParamGroup> groups;
  if (c.noDecayNormBias || !c.noDecayPatterns.empty()) {
    GroupOptions noDecay = o;
    noDecay.weightDecay = 0.0;
    groups = splitByName(params, count, c.noDecayPatterns, o, noDecay);
    if (c.noDecayNormBias) {
      // Move the norm/bias tensors of group 0 to group 1, in table order.
      std::vector<int32_t> keep, moved;
      for (int32_t i : groups[0].tensors)
        (isNormOrBias(params[i]) ? moved : keep).push_back(i);
      groups[0].tensors = keep;
      groups[1].tensors.insert(groups[1].tensors.end(), moved.begin(),
                               moved.end());
      std::sort(groups[1].tensors.begin(), groups[1].tensors.end());
    }
  } else {
    groups = singleGroup(params, count, o);
  }
  switch (c.kind) {
  case OptimizerKind::Sgd:
    return std::make_unique<Sgd>(params, count, paramCount, std::move(groups));
  case OptimizerKind::Adam:
    return std::make_unique<Adam>(params, count, paramCount, std::move(groups));
  case OptimizerKind::AdamW:
    return std::make_unique<AdamW>(params, count, paramCount,
                                   std::move(groups));
  }
  throw Error("unknown optimizer kind");
}

namespace {

std::unique_ptr<LrScheduler>
makeMain(Optimizer &optimizer, const SchedulerConfig &c, int64_t remaining) {
  switch (c.kind) {
  case SchedulerKind::Step:
    return std::make_unique<StepLr>(optimizer, c.stepSize, c.gamma);
  case SchedulerKind::MultiStep:
    return std::make_unique<MultiStepLr>(optimizer, c.milestones, c.gamma);
  case SchedulerKind::Cosine:
    return std::make_unique<CosineAnnealingLr>(
        optimizer, c.tMax > 0 ? c.tMax : remaining, c.etaMin);
  case SchedulerKind::Linear:
    return std::make_unique<LinearLr>(optimizer, c.startFactor, c.endFactor,
                                      c.totalIters);
  default:
    throw Error("unknown learning-rate schedule");
  }
}

} // namespace

std::unique_ptr<LrScheduler> makeScheduler(Optimizer &optimizer,
                                           const SchedulerConfig &c,
                                           int64_t epochs,
                                           int64_t stepsPerEpoch) {
  if (c.kind == SchedulerKind::None)
    return nullptr;
  if (epochs < 1 || stepsPerEpoch < 1)
    throw Error("a schedule needs at least one epoch of one step");
  if (epochs > (int64_t(1) << 31) || stepsPerEpoch > (int64_t(1) << 31))
    throw Error("a schedule of " + std::to_string(epochs) + " epochs of " +
                std::to_string(stepsPerEpoch) + " steps is too long");
  if (c.kind == SchedulerKind::OneCycle) {
    // Its first phase is the warm-up, and it counts iterations by design.
    if (c.warmup != 0 || c.unit != ScheduleUnit::Iteration)
      throw Error("OneCycleLR has its own warm-up and steps per iteration; "
                  "warmup and unit do not apply to it");
    OneCycleOptions o = c.oneCycle;
    if (o.totalSteps == 0)
      o.totalSteps = epochs * stepsPerEpoch;
    return std::make_unique<OneCycleLr>(optimizer, o);
  }
  int64_t run = c.unit == ScheduleUnit::Epoch ? epochs : epochs * stepsPerEpoch;
  if (c.warmup < 0)
    throw Error("warm-up length must not be negative");
  if (c.warmup == 0)
    return makeMain(optimizer, c, run);
  if (c.kind == SchedulerKind::Cosine && c.tMax == 0 && run <= c.warmup)
    throw Error("the warm-up (" + std::to_string(c.warmup) +
                ") leaves no room for the cosine schedule in a run of " +
                std::to_string(run));
  std::vector<std::unique_ptr<LrScheduler>> parts;
  parts.push_back(std::make_unique<LinearLr>(optimizer, c.warmupStartFactor,
                                             1.0, c.warmup));
  parts.push_back(makeMain(optimizer, c, run - c.warmup));
  return std::make_unique<SequentialLr>(optimizer, std::move(parts),
                                        std::vector<int64_t>{c.warmup});
}

} // namespace nncc
