//===- Argmax.h - the predicted class of one row of logits ------*- C++ -*-===//
//
// Private to the runtime: accuracy and the confusion matrix must agree on
// which class a row predicts. The first maximum wins, as torch.argmax;
// NaNs never compare greater, so a row of NaNs predicts class 0 (callers
// that count correct predictions reject NaN rows themselves).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_ARGMAX_H
#define NNCC_RUNTIME_ARGMAX_H

#include <cstdint>

namespace nncc {

inline int64_t argmaxRow(const float *row, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (row[c] > row[best])
      best = c;
  return best;
}

} // namespace nncc

#endif // NNCC_RUNTIME_ARGMAX_H
