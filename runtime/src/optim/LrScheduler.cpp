//===- LrScheduler.cpp - torch 1.13's epoch schedulers, term for term -----===//
//
// Each formula is torch's Python expression with its evaluation order kept
// (left to right, ints promoted to double where Python promotes them); this
// file is compiled with -ffp-contract=off so that no multiply-add is fused
// where Python rounds twice. The lrs then equal torch's bit for bit.
//
//===----------------------------------------------------------------------===//
#include "nncc/LrScheduler.h"
#include "nncc/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace nncc {

namespace {

constexpr double kPi = 3.141592653589793; // math.pi
/// Counters beyond this come from a corrupt file, not a training run (and
/// would overflow on the next step).
constexpr int64_t kMaxCounter = int64_t(1) << 53;

int64_t parseCounter(const TensorFile &in, const std::string &key,
                     const std::string &path) {
  auto it = in.metadata.find(key);
  if (it == in.metadata.end())
    throw Error(path + ": scheduler state '" + key + "' is missing");
  char *end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < -1 || v > kMaxCounter)
    throw Error(path + ": scheduler state '" + key + "' is not a counter: '" +
                it->second + "'");
  return v;
}

} // namespace

LrScheduler::LrScheduler(Optimizer &optimizer) : optimizer_(optimizer) {
  for (size_t g = 0; g < optimizer.numGroups(); ++g) {
    if (!optimizer.initialLr(g))
      optimizer.setInitialLr(g, optimizer.lr(g));
    baseLrs_.push_back(*optimizer.initialLr(g));
  }
}

void LrScheduler::initialStep() {
  stepCount_ = 0;
  step();
}

std::vector<double> LrScheduler::currentLrs() const {
  std::vector<double> lrs;
  for (size_t g = 0; g < optimizer_.numGroups(); ++g)
    lrs.push_back(optimizer_.lr(g));
  return lrs;
}

void LrScheduler::apply(const std::vector<double> &lrs) {
  for (size_t g = 0; g < lrs.size(); ++g)
    optimizer_.setLr(g, lrs[g]);
  lastLr_ = currentLrs();
}

void LrScheduler::step() {
  ++stepCount_;
  ++lastEpoch_;
  apply(chainedLr());
}

void LrScheduler::stepTo(int64_t epoch) {
  ++stepCount_;
  lastEpoch_ = epoch;
  apply(closedFormLr());
}

void LrScheduler::saveState(TensorFile &out, const std::string &prefix) const {
  out.metadata[prefix + "last_epoch"] = std::to_string(lastEpoch_);
  out.metadata[prefix + "step_count"] = std::to_string(stepCount_);
}

void LrScheduler::loadState(const TensorFile &in, const std::string &path,
                            const std::string &prefix) {
  int64_t lastEpoch = parseCounter(in, prefix + "last_epoch", path);
  int64_t stepCount = parseCounter(in, prefix + "step_count", path);
  lastEpoch_ = lastEpoch;
  stepCount_ = stepCount;
  lastLr_ = currentLrs();
}

// --- StepLR -----------------------------------------------------------------

StepLr::StepLr(Optimizer &optimizer, int64_t stepSize, double gamma)
    : LrScheduler(optimizer), stepSize_(stepSize), gamma_(gamma) {
  if (stepSize < 1)
    throw Error("StepLR needs a step size of at least 1, got " +
                std::to_string(stepSize));
  initialStep();
}

std::vector<double> StepLr::chainedLr() {
  std::vector<double> lrs = currentLrs();
  if (lastEpoch_ == 0 || lastEpoch_ % stepSize_ != 0)
    return lrs;
  for (double &lr : lrs)
    lr = lr * gamma_;
  return lrs;
}

std::vector<double> StepLr::closedFormLr() {
  std::vector<double> lrs;
  // Python's // floors; epochs here are never negative.
  for (double base : baseLrs_)
    lrs.push_back(base * std::pow(gamma_, double(lastEpoch_ / stepSize_)));
  return lrs;
}

// --- MultiStepLR ------------------------------------------------------------

MultiStepLr::MultiStepLr(Optimizer &optimizer, std::vector<int64_t> milestones,
                         double gamma)
    : LrScheduler(optimizer), milestones_(std::move(milestones)),
      gamma_(gamma) {
  std::sort(milestones_.begin(), milestones_.end());
  initialStep();
}

std::vector<double> MultiStepLr::chainedLr() {
  std::vector<double> lrs = currentLrs();
  auto hits = std::count(milestones_.begin(), milestones_.end(), lastEpoch_);
  if (hits == 0)
    return lrs;
  for (double &lr : lrs)
    lr = lr * std::pow(gamma_, double(hits));
  return lrs;
}

std::vector<double> MultiStepLr::closedFormLr() {
  auto passed =
      std::upper_bound(milestones_.begin(), milestones_.end(), lastEpoch_) -
      milestones_.begin();
  std::vector<double> lrs;
  for (double base : baseLrs_)
    lrs.push_back(base * std::pow(gamma_, double(passed)));
  return lrs;
}

// --- LinearLR ---------------------------------------------------------------

LinearLr::LinearLr(Optimizer &optimizer, double startFactor, double endFactor,
                   int64_t totalIters)
    : LrScheduler(optimizer), start_(startFactor), end_(endFactor),
      totalIters_(totalIters) {
  // torch accepts a start factor of 0 and then divides by it.
  if (!(startFactor > 0.0 && startFactor <= 1.0))
    throw Error("LinearLR's start factor must be in (0, 1], got " +
                std::to_string(startFactor));
  if (!(endFactor >= 0.0 && endFactor <= 1.0))
    throw Error("LinearLR's end factor must be in [0, 1], got " +
                std::to_string(endFactor));
  if (totalIters < 1)
    throw Error("LinearLR needs at least 1 iteration, got " +
                std::to_string(totalIters));
  initialStep();
}

std::vector<double> LinearLr::chainedLr() {
  std::vector<double> lrs = currentLrs();
  if (lastEpoch_ == 0) {
    for (double &lr : lrs)
      lr = lr * start_;
    return lrs;
  }
  if (lastEpoch_ > totalIters_)
    return lrs;
  for (double &lr : lrs)
    lr = lr *
         (1. + (end_ - start_) / (double(totalIters_) * start_ +
                                  double(lastEpoch_ - 1) * (end_ - start_)));
  return lrs;
}

std::vector<double> LinearLr::closedFormLr() {
  std::vector<double> lrs;
  for (double base : baseLrs_)
    lrs.push_back(
        base *
        (start_ + (end_ - start_) * double(std::min(totalIters_, lastEpoch_)) /
                      double(totalIters_)));
  return lrs;
}

// --- CosineAnnealingLR ------------------------------------------------------

CosineAnnealingLr::CosineAnnealingLr(Optimizer &optimizer, int64_t tMax,
                                     double etaMin)
    : LrScheduler(optimizer), tMax_(tMax), etaMin_(etaMin) {
  if (tMax < 1 || tMax > kMaxCounter)
    throw Error("CosineAnnealingLR needs T_max of at least 1, got " +
                std::to_string(tMax));
  initialStep();
}

std::vector<double> CosineAnnealingLr::chainedLr() {
  std::vector<double> lrs = currentLrs();
  double e = double(lastEpoch_), t = double(tMax_);
  if (lastEpoch_ == 0)
    return lrs;
  for (size_t g = 0; g < lrs.size(); ++g) {
    double base = baseLrs_[g];
    if (stepCount_ == 1 && lastEpoch_ > 0)
      lrs[g] = etaMin_ + (base - etaMin_) * (1 + std::cos(e * kPi / t)) / 2;
    else if ((lastEpoch_ - 1 - tMax_) % (2 * tMax_) == 0)
      lrs[g] = lrs[g] + (base - etaMin_) * (1 - std::cos(kPi / t)) / 2;
    else
      lrs[g] = (1 + std::cos(kPi * e / t)) / (1 + std::cos(kPi * (e - 1) / t)) *
                   (lrs[g] - etaMin_) +
               etaMin_;
  }
  return lrs;
}

std::vector<double> CosineAnnealingLr::closedFormLr() {
  std::vector<double> lrs;
  for (double base : baseLrs_)
    lrs.push_back(etaMin_ +
                  (base - etaMin_) *
                      (1 + std::cos(kPi * double(lastEpoch_) / double(tMax_))) /
                      2);
  return lrs;
}

} // namespace nncc
