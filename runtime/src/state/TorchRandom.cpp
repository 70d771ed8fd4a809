//===- TorchRandom.cpp - PyTorch's CPU randperm, generator state ----------===//
//
// The MT19937 state goes through the engine's stream operators, the only
// portable way to reach its words: the standard fixes their text form (the
// 624 words, then the position as libstdc++ writes it).
//
//===----------------------------------------------------------------------===//
#include "nncc/TorchRandom.h"
#include "nncc/Error.h"

#include <cstring>
#include <sstream>

namespace nncc {

std::vector<int64_t> torchRandperm(int64_t n, uint64_t seed) {
  std::vector<int64_t> r(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    r[i] = i;
  TorchGenerator generator(seed);
  for (int64_t i = 0; i + 1 < n; ++i) {
    int64_t z = static_cast<int64_t>(generator.random() % uint64_t(n - i));
    std::swap(r[i], r[z + i]);
  }
  return r;
}

std::vector<int64_t> TorchGenerator::state() const {
  std::ostringstream text;
  text << engine_;
  std::istringstream words(text.str());
  std::vector<int64_t> out;
  long long v;
  while (words >> v)
    out.push_back(v);
  out.push_back(hasCachedNormal_ ? 1 : 0);
  int64_t bits;
  std::memcpy(&bits, &cachedNormal_, sizeof bits);
  out.push_back(bits);
  return out;
}

void TorchGenerator::setState(const std::vector<int64_t> &state,
                              const std::string &what) {
  if (state.size() != kStateSize)
    throw Error(what + ": a generator state has " + std::to_string(kStateSize) +
                " values, found " + std::to_string(state.size()));
  std::string text;
  for (size_t i = 0; i + 2 < state.size(); ++i) {
    int64_t limit = i + 3 == state.size() ? 624 : int64_t(0xffffffff);
    if (state[i] < 0 || state[i] > limit)
      throw Error(what + ": generator state value " + std::to_string(i) +
                  " is " + std::to_string(state[i]) + ", out of range");
    text += std::to_string(state[i]) + " ";
  }
  if (state[624 + 1] != 0 && state[624 + 1] != 1)
    throw Error(what + ": the cached-normal flag of a generator state must "
                       "be 0 or 1");
  std::istringstream in(text);
  std::mt19937 engine;
  if (!(in >> engine))
    throw Error(what + ": malformed generator state");
  engine_ = engine;
  hasCachedNormal_ = state[624 + 1] == 1;
  std::memcpy(&cachedNormal_, &state[624 + 2], sizeof cachedNormal_);
}

} // namespace nncc
