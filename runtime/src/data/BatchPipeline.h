//===- BatchPipeline.h - worker threads that assemble batches ahead -------===//
//
// Batches are numbered 0, 1, … and handed out strictly in that order,
// whichever worker finishes first: batch j goes to slot j % slots and may be
// assembled once the caller has released batch j - slots. The caller holds
// one batch (the one its pointers show) until its next call.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_RUNTIME_BATCHPIPELINE_H
#define NNCC_RUNTIME_BATCHPIPELINE_H

#include "nncc/Aligned.h"

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nncc {

class BatchPipeline {
public:
  /// Assembles batch `batch` into the buffers; returns its rows, 0 when
  /// there are no more batches (a stream's end).
  using Fill =
      std::function<int64_t(int64_t batch, float *images, int64_t *labels)>;

  /// `totalBatches` < 0: until fill returns 0. With a stream, pass one
  /// worker so that batches are read in order.
  BatchPipeline(int workers, int slotsPerWorker, size_t imageFloats,
                size_t labelCount, int64_t totalBatches, Fill fill);
  ~BatchPipeline();

  /// Releases the batch last returned and waits for the next one; returns
  /// its rows (0 at the end) and points `images`/`labels` at it. Rethrows
  /// what fill threw for that batch.
  int64_t next(const float **images, const int64_t **labels);

private:
  struct Slot {
    AlignedArray<float> images;
    AlignedArray<int64_t> labels;
    int64_t batch = -1, rows = 0;
    bool ready = false;
    std::exception_ptr error;
  };
  void work();

  Fill fill_;
  std::vector<Slot> slots_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int64_t total_; // batches in all; < 0 while unknown
  int64_t nextClaim_ = 0;
  int64_t released_ = 0; // batches before this one the caller is done with
  int64_t current_ = -1; // the batch the caller holds
  bool stop_ = false;
};

} // namespace nncc

#endif // NNCC_RUNTIME_BATCHPIPELINE_H
