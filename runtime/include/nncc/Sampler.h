//===- nncc/Sampler.h - which samples an epoch visits, in what order -*- C++
//-*-===//
//
// DataLoaderOptions::sampler picks one. Sequential and Random are PyTorch's
// SequentialSampler and RandomSampler, bit for bit (Random draws from the
// loader's TorchGenerator exactly as torch does). WeightedRandom draws
// numSamples indices with replacement, index i with probability
// weights[i] / sum(weights), from a seed it takes from the same generator;
// its values are reproducible but not torch.multinomial's.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SAMPLER_H
#define NNCC_SAMPLER_H

#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

enum class SamplerKind {
  Default,       // Random when DataLoaderOptions::shuffle, else Sequential
  Sequential,    // 0, 1, …, n-1
  Random,        // torch.randperm, as DataLoader(shuffle=True)
  WeightedRandom // with replacement, by DataLoaderOptions::weights
};

/// Parses "sequential", "random" or "weighted" (for command-line flags).
SamplerKind parseSamplerKind(const std::string &name);

/// Throws nncc::Error unless there is one finite, non-negative weight per
/// sample and their sum is positive.
void checkSamplerWeights(const std::vector<double> &weights,
                         int64_t datasetSize);

/// `count` indices drawn with replacement by `weights` from `seed`.
std::vector<int64_t> weightedRandomOrder(const std::vector<double> &weights,
                                         int64_t count, uint64_t seed);

} // namespace nncc

#endif // NNCC_SAMPLER_H
