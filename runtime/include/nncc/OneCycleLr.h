//===- nncc/OneCycleLr.h - OneCycleLR and SequentialLR ----------*- C++ -*-===//
//
// The two schedulers that are built from others or own more of the
// optimizer than its lr: OneCycleLR (which also cycles SGD's momentum or
// Adam's beta1, and sets the groups' initial lr itself) and SequentialLR
// (one schedule after another at milestones: warm-up, then cosine).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ONECYCLELR_H
#define NNCC_ONECYCLELR_H

#include "nncc/LrScheduler.h"

#include <array>

namespace nncc {

/// torch's OneCycleLR arguments, with its defaults.
struct OneCycleOptions {
  double maxLr = 0.1;
  int64_t totalSteps = 0; // step() calls in the whole run; must be > 0
  double pctStart = 0.3;
  bool cosineAnnealing = true; // anneal_strategy 'cos' (else 'linear')
  bool cycleMomentum = true;
  double baseMomentum = 0.85;
  double maxMomentum = 0.95;
  double divFactor = 25.0;
  double finalDivFactor = 1e4;
  bool threePhase = false;
};

class OneCycleLr : public LrScheduler {
public:
  OneCycleLr(Optimizer &optimizer, const OneCycleOptions &options);

protected:
  std::vector<double> chainedLr() override;

private:
  struct Phase {
    double endStep;
    int startLr, endLr;             // 0 initial, 1 max, 2 min lr
    int startMomentum, endMomentum; // 0 max, 1 base momentum
  };
  double anneal(double start, double end, double pct) const;
  OneCycleOptions options_;
  std::vector<Phase> phases_;
  /// Per group {initial, max, min} lr, as torch keeps them in the groups.
  std::vector<std::array<double, 3>> lrs_;
  std::array<double, 2> momenta_; // {max, base}
};

class SequentialLr : public LrScheduler {
public:
  /// `schedulers` were built on `optimizer` in this order (each constructor
  /// stepped it, as in torch); schedule i+1 takes over at milestones[i].
  SequentialLr(Optimizer &optimizer,
               std::vector<std::unique_ptr<LrScheduler>> schedulers,
               std::vector<int64_t> milestones);
  void step() override;
  void saveState(TensorFile &out,
                 const std::string &prefix = "scheduler.") const override;
  void loadState(const TensorFile &in, const std::string &path,
                 const std::string &prefix = "scheduler.") override;

protected:
  std::vector<double> chainedLr() override;

private:
  std::vector<std::unique_ptr<LrScheduler>> schedulers_;
  std::vector<int64_t> milestones_;
};

} // namespace nncc

#endif // NNCC_ONECYCLELR_H
