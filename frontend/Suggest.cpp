//===- Suggest.cpp - "did you mean" for misspelled names ------------------===//
//
// Names can be long (the lexer allows 256 characters) and a fuzzer will try
// that, so the distance gives up as soon as it exceeds the useful limit.
//
//===----------------------------------------------------------------------===//
#include "frontend/Suggest.h"

#include <algorithm>
#include <cctype>

namespace nncc {

size_t editDistance(const std::string &a, const std::string &b, size_t limit) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit)
    return limit + 1;
  // Three rows suffice for the optimal-string-alignment recurrence.
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j)
    prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    size_t rowMin = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      rowMin = std::min(rowMin, cur[j]);
    }
    if (rowMin > limit)
      return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

static std::string lower(const std::string &s) {
  std::string result = s;
  for (char &c : result)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::string closestName(const std::string &name,
                        const std::vector<std::string> &candidates) {
  if (name.empty() || name.size() > 64)
    return "";
  std::string lowered = lower(name);
  // A third of the length, as clang's typo correction allows.
  size_t limit = std::max<size_t>(1, (name.size() + 2) / 3);
  std::string best;
  size_t bestDistance = limit + 1;
  for (const std::string &candidate : candidates) {
    if (candidate == name)
      continue;
    // Case-only differences beat any real edit.
    size_t distance = lower(candidate) == lowered
                          ? 0
                          : editDistance(lowered, lower(candidate), limit);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string didYouMean(const std::string &name,
                       const std::vector<std::string> &candidates) {
  std::string best = closestName(name, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

} // namespace nncc
