//===- SchedulerSpec.cpp - a learning-rate schedule from one flag value ---===//
//
// "name:key=value,key=value" (see nncc/OptimizerConfig.h). Unknown names
// and keys are errors that list what is accepted, so a typo in a flag is
// never silently a different schedule.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/OptimizerConfig.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

namespace nncc {

namespace {

double number(const std::string &key, const std::string &text) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw Error("schedule setting '" + key + "' needs a number, got '" + text +
                "'");
  return v;
}

int64_t integer(const std::string &key, const std::string &text) {
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw Error("schedule setting '" + key + "' needs an integer, got '" +
                text + "'");
  return v;
}

bool boolean(const std::string &key, const std::string &text) {
  if (text == "true" || text == "1")
    return true;
  if (text == "false" || text == "0")
    return false;
  throw Error("schedule setting '" + key + "' needs true or false, got '" +
              text + "'");
}

} // namespace

SchedulerConfig parseSchedulerSpec(const std::string &spec) {
  SchedulerConfig c;
  size_t colon = spec.find(':');
  std::string name = spec.substr(0, colon);
  static const std::map<std::string, SchedulerKind> kinds = {
      {"none", SchedulerKind::None},
      {"step", SchedulerKind::Step},
      {"multistep", SchedulerKind::MultiStep},
      {"cosine", SchedulerKind::Cosine},
      {"linear", SchedulerKind::Linear},
      {"onecycle", SchedulerKind::OneCycle}};
  auto kind = kinds.find(name);
  if (kind == kinds.end())
    throw Error("unknown schedule '" + name +
                "' (expected none, step, multistep, cosine, linear or "
                "onecycle)");
  c.kind = kind->second;
  if (c.kind == SchedulerKind::OneCycle)
    c.unit = ScheduleUnit::Iteration;
  OneCycleOptions &o = c.oneCycle;
  using Setter = std::function<void(const std::string &, const std::string &)>;
  std::map<std::string, Setter> keys = {
      {"unit",
       [&](const std::string &k, const std::string &v) {
         if (v != "epoch" && v != "iteration")
           throw Error("schedule setting '" + k +
                       "' is epoch or iteration, got '" + v + "'");
         c.unit = v == "epoch" ? ScheduleUnit::Epoch : ScheduleUnit::Iteration;
       }},
      {"warmup", [&](auto &k, auto &v) { c.warmup = integer(k, v); }},
      {"warmup_start",
       [&](auto &k, auto &v) { c.warmupStartFactor = number(k, v); }},
      {"step_size", [&](auto &k, auto &v) { c.stepSize = integer(k, v); }},
      {"gamma", [&](auto &k, auto &v) { c.gamma = number(k, v); }},
      {"milestones",
       [&](const std::string &k, const std::string &v) {
         size_t start = 0;
         while (start <= v.size()) {
           size_t plus = v.find('+', start);
           c.milestones.push_back(integer(k, v.substr(start, plus - start)));
           if (plus == std::string::npos)
             break;
           start = plus + 1;
         }
       }},
      {"t_max", [&](auto &k, auto &v) { c.tMax = integer(k, v); }},
      {"eta_min", [&](auto &k, auto &v) { c.etaMin = number(k, v); }},
      {"start", [&](auto &k, auto &v) { c.startFactor = number(k, v); }},
      {"end", [&](auto &k, auto &v) { c.endFactor = number(k, v); }},
      {"iters", [&](auto &k, auto &v) { c.totalIters = integer(k, v); }},
      {"max_lr", [&](auto &k, auto &v) { o.maxLr = number(k, v); }},
      {"total_steps", [&](auto &k, auto &v) { o.totalSteps = integer(k, v); }},
      {"pct_start", [&](auto &k, auto &v) { o.pctStart = number(k, v); }},
      {"anneal",
       [&](const std::string &k, const std::string &v) {
         if (v != "cos" && v != "linear")
           throw Error("schedule setting '" + k + "' is cos or linear, got '" +
                       v + "'");
         o.cosineAnnealing = v == "cos";
       }},
      {"cycle_momentum",
       [&](auto &k, auto &v) { o.cycleMomentum = boolean(k, v); }},
      {"base_momentum",
       [&](auto &k, auto &v) { o.baseMomentum = number(k, v); }},
      {"max_momentum", [&](auto &k, auto &v) { o.maxMomentum = number(k, v); }},
      {"div_factor", [&](auto &k, auto &v) { o.divFactor = number(k, v); }},
      {"final_div_factor",
       [&](auto &k, auto &v) { o.finalDivFactor = number(k, v); }},
      {"three_phase", [&](auto &k, auto &v) { o.threePhase = boolean(k, v); }}};
  if (colon == std::string::npos)
    return c;
  std::string rest = spec.substr(colon + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    std::string item = rest.substr(start, comma - start);
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    auto setter = keys.find(key);
    if (eq == std::string::npos || setter == keys.end()) {
      std::string known;
      for (const auto &k : keys)
        known += (known.empty() ? "" : ", ") + k.first;
      throw Error("bad schedule setting '" + item + "' (expected key=value, " +
                  "keys: " + known + ")");
    }
    setter->second(key, item.substr(eq + 1));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return c;
}

} // namespace nncc
