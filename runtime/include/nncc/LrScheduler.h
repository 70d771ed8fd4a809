//===- nncc/LrScheduler.h - torch.optim.lr_scheduler ------------*- C++ -*-===//
//
// torch 1.13's schedulers, with its arithmetic: step() uses the recursive
// ("chainable") get_lr, which reads each group's current lr and differs from
// the closed form in the last bits, so we compute exactly what torch
// computes, in double, in the same order. As in torch, constructing a
// scheduler already applies epoch 0's lr (and a SequentialLR built from
// others undoes their first steps).
//
// A scheduler counts calls to step(), which torch calls "epochs": call it
// once per epoch for an epoch schedule, or once after each optimizer step
// for an iteration schedule (OneCycleLR, warm-up by iteration).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_LRSCHEDULER_H
#define NNCC_LRSCHEDULER_H

#include "nncc/Optimizer.h"

#include <memory>
#include <string>
#include <vector>

namespace nncc {

class LrScheduler {
public:
  virtual ~LrScheduler() = default;
  /// torch's scheduler.step(): the next epoch's lr into every group.
  virtual void step();
  /// torch's scheduler.step(epoch): the closed form where the schedule has
  /// one (SequentialLR restarts a schedule with step(0)).
  void stepTo(int64_t epoch);
  /// torch's last_epoch: step() calls so far, 0 after construction.
  int64_t lastEpoch() const { return lastEpoch_; }
  /// torch's get_last_lr(): one lr per parameter group.
  const std::vector<double> &lastLr() const { return lastLr_; }

  /// The counters (the lrs themselves are the optimizer's state) as
  /// metadata "<prefix>last_epoch", "<prefix>step_count", for nested
  /// schedulers "<prefix><i>.…".
  virtual void saveState(TensorFile &out,
                         const std::string &prefix = "scheduler.") const;
  /// The inverse, into a scheduler built from the same configuration;
  /// throws nncc::Error naming `path` and the missing or bad entry.
  virtual void loadState(const TensorFile &in, const std::string &path,
                         const std::string &prefix = "scheduler.");

protected:
  /// torch's _LRScheduler.__init__ up to the initial step: group
  /// initial_lr defaults to the current lr, base_lrs are the initial lrs.
  explicit LrScheduler(Optimizer &optimizer);
  /// torch's _initial_step(); every concrete constructor ends with it.
  void initialStep();
  /// torch's get_lr() (the chainable form), for lastEpoch_.
  virtual std::vector<double> chainedLr() = 0;
  /// torch's _get_closed_form_lr(); schedules without one use chainedLr().
  virtual std::vector<double> closedFormLr() { return chainedLr(); }
  void apply(const std::vector<double> &lrs);
  std::vector<double> currentLrs() const;

  Optimizer &optimizer_;
  std::vector<double> baseLrs_;
  int64_t lastEpoch_ = -1;
  int64_t stepCount_ = 0;
  std::vector<double> lastLr_;

  friend class SequentialLr;
};

/// torch.optim.lr_scheduler.StepLR: lr * gamma every `stepSize` epochs.
class StepLr : public LrScheduler {
public:
  StepLr(Optimizer &optimizer, int64_t stepSize, double gamma = 0.1);

protected:
  std::vector<double> chainedLr() override;
  std::vector<double> closedFormLr() override;

private:
  int64_t stepSize_;
  double gamma_;
};

/// MultiStepLR: lr * gamma at each milestone (repeated ones count twice).
class MultiStepLr : public LrScheduler {
public:
  MultiStepLr(Optimizer &optimizer, std::vector<int64_t> milestones,
              double gamma = 0.1);

protected:
  std::vector<double> chainedLr() override;
  std::vector<double> closedFormLr() override;

private:
  std::vector<int64_t> milestones_; // sorted
  double gamma_;
};

/// LinearLR: the lr factor goes linearly from startFactor to endFactor over
/// totalIters epochs (warm-up with startFactor < 1).
class LinearLr : public LrScheduler {
public:
  LinearLr(Optimizer &optimizer, double startFactor = 1.0 / 3,
           double endFactor = 1.0, int64_t totalIters = 5);

protected:
  std::vector<double> chainedLr() override;
  std::vector<double> closedFormLr() override;

private:
  double start_, end_;
  int64_t totalIters_;
};

/// CosineAnnealingLR: half a cosine from the base lr to etaMin over tMax
/// epochs (and back up after, as torch does).
class CosineAnnealingLr : public LrScheduler {
public:
  CosineAnnealingLr(Optimizer &optimizer, int64_t tMax, double etaMin = 0.0);

protected:
  std::vector<double> chainedLr() override;
  std::vector<double> closedFormLr() override;

private:
  int64_t tMax_;
  double etaMin_;
};

} // namespace nncc

#endif // NNCC_LRSCHEDULER_H
