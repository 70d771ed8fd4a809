//===- BatchPipeline.cpp - worker threads that assemble batches ahead -----===//
//
// One mutex and one condition variable: a batch takes milliseconds to
// assemble, so the lock is taken a few thousand times per epoch and never
// contended enough to matter, and one notify_all covers every state change.
//
//===----------------------------------------------------------------------===//
#include "data/BatchPipeline.h"

namespace nncc {

BatchPipeline::BatchPipeline(int workers, int slotsPerWorker,
                             size_t imageFloats, size_t labelCount,
                             int64_t totalBatches, Fill fill)
    : fill_(std::move(fill)), total_(totalBatches) {
  size_t slots = size_t(std::max(1, workers) * std::max(1, slotsPerWorker));
  slots_.resize(slots);
  for (Slot &s : slots_) {
    s.images = AlignedArray<float>(imageFloats);
    s.labels = AlignedArray<int64_t>(labelCount);
  }
  for (int w = 0; w < workers; ++w)
    threads_.emplace_back([this] { work(); });
}

BatchPipeline::~BatchPipeline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread &t : threads_)
    t.join();
}

void BatchPipeline::work() {
  const int64_t slots = int64_t(slots_.size());
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // A slot is free once the caller released the batch that used it last.
    changed_.wait(lock, [&] {
      return stop_ || (total_ >= 0 && nextClaim_ >= total_) ||
             nextClaim_ < released_ + slots;
    });
    if (stop_ || (total_ >= 0 && nextClaim_ >= total_))
      return;
    int64_t batch = nextClaim_++;
    Slot &slot = slots_[size_t(batch % slots)];
    lock.unlock();
    int64_t rows = 0;
    std::exception_ptr error;
    try {
      rows = fill_(batch, slot.images.data(), slot.labels.data());
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    slot.batch = batch;
    slot.rows = rows;
    slot.error = error;
    slot.ready = true;
    // A stream's end (or an error) fixes the count: nothing after it.
    if ((rows == 0 || error) && (total_ < 0 || total_ > batch + 1))
      total_ = batch + 1;
    changed_.notify_all();
  }
}

int64_t BatchPipeline::next(const float **images, const int64_t **labels) {
  const int64_t slots = int64_t(slots_.size());
  std::unique_lock<std::mutex> lock(mutex_);
  if (current_ >= 0) {
    slots_[size_t(current_ % slots)].ready = false;
    released_ = current_ + 1;
    changed_.notify_all();
  }
  int64_t want = current_ + 1;
  if (total_ >= 0 && want >= total_)
    return 0;
  Slot &slot = slots_[size_t(want % slots)];
  changed_.wait(lock, [&] { return slot.ready && slot.batch == want; });
  current_ = want;
  if (slot.error) {
    std::exception_ptr error = slot.error;
    slot.error = nullptr;
    std::rethrow_exception(error);
  }
  *images = slot.images.data();
  *labels = slot.labels.data();
  return slot.rows;
}

} // namespace nncc
