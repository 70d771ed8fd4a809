//===- OneCycleLr.cpp - OneCycleLR and SequentialLR as torch 1.13 ---------===//
//
// OneCycleLR is a closed form of the step number (torch has no recursive
// form for it); SequentialLR replays torch's constructor, which resets the
// groups to their initial lr and undoes the first step of every schedule it
// is given, then restarts each later schedule with step(0) at its
// milestone. Compiled with -ffp-contract=off, like LrScheduler.cpp.
//
//===----------------------------------------------------------------------===//
#include "nncc/OneCycleLr.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace nncc {

namespace {
constexpr double kPi = 3.141592653589793; // math.pi
} // namespace

OneCycleLr::OneCycleLr(Optimizer &optimizer, const OneCycleOptions &o)
    : LrScheduler(optimizer),
      options_(o), momenta_{o.maxMomentum, o.baseMomentum} {
  if (o.totalSteps < 1)
    throw Error("OneCycleLR needs a positive number of total steps, got " +
                std::to_string(o.totalSteps));
  if (!(o.pctStart >= 0.0 && o.pctStart <= 1.0))
    throw Error("OneCycleLR's pct_start must be in [0, 1], got " +
                std::to_string(o.pctStart));
  if (!(o.maxLr > 0.0) || !(o.divFactor > 0.0) || !(o.finalDivFactor > 0.0))
    throw Error("OneCycleLR needs a positive max lr, div factor and final "
                "div factor");
  double total = double(o.totalSteps);
  if (o.threePhase)
    phases_ = {{o.pctStart * total - 1, 0, 1, 0, 1},
               {2 * o.pctStart * total - 2, 1, 0, 1, 0},
               {total - 1, 0, 2, 0, 0}};
  else
    phases_ = {{o.pctStart * total - 1, 0, 1, 0, 1}, {total - 1, 1, 2, 1, 0}};
  double start = 0;
  for (const Phase &p : phases_) {
    // Python would raise ZeroDivisionError in get_lr.
    if (p.endStep == start)
      throw Error("OneCycleLR has an empty phase: pct_start " +
                  std::to_string(o.pctStart) + " over " +
                  std::to_string(o.totalSteps) + " steps");
    start = p.endStep;
  }
  // OneCycleLR sets the groups' initial lr itself (over any earlier one)
  // before the base class reads it.
  for (size_t g = 0; g < optimizer.numGroups(); ++g) {
    double initial = o.maxLr / o.divFactor;
    lrs_.push_back({initial, o.maxLr, initial / o.finalDivFactor});
    optimizer.setInitialLr(g, initial);
    baseLrs_[g] = initial;
    if (o.cycleMomentum)
      optimizer.setMomentum(g, o.maxMomentum);
  }
  initialStep();
}

double OneCycleLr::anneal(double start, double end, double pct) const {
  if (options_.cosineAnnealing) {
    double cosOut = std::cos(kPi * pct) + 1;
    return end + (start - end) / 2.0 * cosOut;
  }
  return (end - start) * pct + start;
}

std::vector<double> OneCycleLr::chainedLr() {
  if (lastEpoch_ > options_.totalSteps)
    throw Error("tried to step " + std::to_string(lastEpoch_ + 1) +
                " times; OneCycleLR's total number of steps is " +
                std::to_string(options_.totalSteps));
  double stepNum = double(lastEpoch_);
  std::vector<double> lrs;
  for (size_t g = 0; g < optimizer_.numGroups(); ++g) {
    double start = 0;
    for (size_t i = 0; i < phases_.size(); ++i) {
      const Phase &p = phases_[i];
      if (stepNum <= p.endStep || i + 1 == phases_.size()) {
        double pct = (stepNum - start) / (p.endStep - start);
        lrs.push_back(anneal(lrs_[g][p.startLr], lrs_[g][p.endLr], pct));
        if (options_.cycleMomentum)
          optimizer_.setMomentum(g, anneal(momenta_[p.startMomentum],
                                           momenta_[p.endMomentum], pct));
        break;
      }
      start = p.endStep;
    }
  }
  return lrs;
}

SequentialLr::SequentialLr(Optimizer &optimizer,
                           std::vector<std::unique_ptr<LrScheduler>> schedulers,
                           std::vector<int64_t> milestones)
    : LrScheduler(optimizer), schedulers_(std::move(schedulers)),
      milestones_(std::move(milestones)) {
  if (schedulers_.empty())
    throw Error("SequentialLR needs at least one schedule");
  if (milestones_.size() + 1 != schedulers_.size())
    throw Error("SequentialLR needs one milestone fewer than schedules (" +
                std::to_string(schedulers_.size()) + " schedules, " +
                std::to_string(milestones_.size()) + " milestones)");
  for (size_t i = 0; i < milestones_.size(); ++i)
    if (milestones_[i] < 1 || (i > 0 && milestones_[i] <= milestones_[i - 1]))
      throw Error("SequentialLR's milestones must be positive and increasing");
  for (const auto &s : schedulers_)
    if (&s->optimizer_ != &optimizer)
      throw Error("SequentialLR's schedules must all drive its optimizer");
  lastEpoch_ = 0;
  for (size_t g = 0; g < optimizer.numGroups(); ++g)
    optimizer.setLr(g, *optimizer.initialLr(g));
  for (auto &s : schedulers_)
    --s->lastEpoch_;
  schedulers_[0]->initialStep();
  lastLr_ = schedulers_[0]->lastLr();
}

void SequentialLr::step() {
  ++lastEpoch_;
  size_t idx = size_t(
      std::upper_bound(milestones_.begin(), milestones_.end(), lastEpoch_) -
      milestones_.begin());
  LrScheduler &s = *schedulers_[idx];
  if (idx > 0 && milestones_[idx - 1] == lastEpoch_)
    s.stepTo(0);
  else
    s.step();
  lastLr_ = s.lastLr();
}

std::vector<double> SequentialLr::chainedLr() {
  // Only reached through stepTo, which torch's SequentialLR lacks too.
  throw Error("SequentialLR cannot jump to an epoch");
}

void SequentialLr::saveState(TensorFile &out, const std::string &prefix) const {
  out.metadata[prefix + "last_epoch"] = std::to_string(lastEpoch_);
  for (size_t i = 0; i < schedulers_.size(); ++i)
    schedulers_[i]->saveState(out, prefix + std::to_string(i) + ".");
}

void SequentialLr::loadState(const TensorFile &in, const std::string &path,
                             const std::string &prefix) {
  auto it = in.metadata.find(prefix + "last_epoch");
  if (it == in.metadata.end())
    throw Error(path + ": scheduler state '" + prefix +
                "last_epoch' is missing");
  char *end = nullptr;
  long long lastEpoch = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || lastEpoch < 0 ||
      lastEpoch > (1LL << 53))
    throw Error(path + ": scheduler state '" + prefix +
                "last_epoch' is not a counter: '" + it->second + "'");
  for (size_t i = 0; i < schedulers_.size(); ++i)
    schedulers_[i]->loadState(in, path, prefix + std::to_string(i) + ".");
  lastEpoch_ = lastEpoch;
  lastLr_ = currentLrs();
}

} // namespace nncc
