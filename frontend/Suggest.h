//===- Suggest.h - "did you mean" for misspelled names ----------*- C++ -*-===//
//
// Suggestions use the optimal-string-alignment distance (a transposition
// costs one edit, so "Lienar" finds "Linear"), ignore case first (so "relu"
// finds "ReLU"), and only offer a name close enough to be a plausible typo.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_SUGGEST_H
#define NNCC_FRONTEND_SUGGEST_H

#include <string>
#include <vector>

namespace nncc {

/// Edit distance between `a` and `b`, or `limit + 1` if it exceeds `limit`.
size_t editDistance(const std::string &a, const std::string &b, size_t limit);

/// The candidate closest to `name`, or "" if none is plausibly meant.
std::string closestName(const std::string &name,
                        const std::vector<std::string> &candidates);

/// "; did you mean 'X'?" or "", ready to append to a message.
std::string didYouMean(const std::string &name,
                       const std::vector<std::string> &candidates);

} // namespace nncc

#endif // NNCC_FRONTEND_SUGGEST_H
