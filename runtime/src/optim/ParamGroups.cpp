//===- ParamGroups.cpp - parameter groups by name and rank ----------------===//
//
// Rules that turn a tensor table into torch.optim-style parameter groups
// (see nncc/ParamGroups.h for the PyTorch code each one stands for).
//
//===----------------------------------------------------------------------===//
#include "nncc/ParamGroups.h"

namespace nncc {

bool matchesPattern(const std::string &pattern, const std::string &name) {
  // Greedy glob with backtracking to the last '*': linear in practice and
  // never recursive, whatever the pattern.
  size_t p = 0, n = 0, star = std::string::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool isNormOrBias(const nncc_tensor_info &t) {
  return t.rank <= 1 || matchesPattern("*.bias", t.name);
}

namespace {

template <typename Predicate>
std::vector<ParamGroup> split(const nncc_tensor_info *params, int32_t count,
                              Predicate second, const GroupOptions &options,
                              const GroupOptions &secondOptions) {
  std::vector<ParamGroup> groups(2);
  groups[0].options = options;
  groups[1].options = secondOptions;
  for (int32_t i = 0; i < count; ++i)
    if (!params[i].frozen)
      groups[second(params[i]) ? 1 : 0].tensors.push_back(i);
  return groups;
}

} // namespace

std::vector<ParamGroup> noDecayOnNormAndBias(const nncc_tensor_info *params,
                                             int32_t count,
                                             const GroupOptions &options) {
  GroupOptions noDecay = options;
  noDecay.weightDecay = 0.0;
  return split(params, count, isNormOrBias, options, noDecay);
}

std::vector<ParamGroup> splitByName(const nncc_tensor_info *params,
                                    int32_t count,
                                    const std::vector<std::string> &patterns,
                                    const GroupOptions &options,
                                    const GroupOptions &matchedOptions) {
  auto matched = [&](const nncc_tensor_info &t) {
    for (const std::string &p : patterns)
      if (matchesPattern(p, t.name))
        return true;
    return false;
  };
  return split(params, count, matched, options, matchedOptions);
}

} // namespace nncc
