//===- nncc/Profiler.h - where a profiled build's time goes -----*- C++ -*-===//
//
// A model compiled with `nncc --profile` calls its execution context's
// profile hook (nncc_exec in abi.h) where each region begins: one nn op of
// one layer, forward or backward, in one entry point. The Profiler is that
// hook: it adds the time from one mark to the next to the region the first
// one opened, and reports each region's time, share of its entry point,
// and rate (GFLOP/s for convolutions and linear layers, GB/s of tensor
// traffic for the rest), as torch.profiler's table does for PyTorch.
//
// Marks come from the thread that called the entry point, never from the
// pool's workers, so the Profiler needs no locking; one entry point at a
// time may run on an execution context it is attached to.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_PROFILER_H
#define NNCC_PROFILER_H

#include "nncc/abi.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

class Profiler {
public:
  /// The regions of `model`'s profiled build; none when it was compiled
  /// without --profile (enabled() is then false).
  explicit Profiler(const nncc_model &model);
  /// For tests: a region table given directly.
  Profiler(const nncc_profile_region *regions, int32_t count);
  // attach() hands out `this`; rows point into regions_.
  Profiler(const Profiler &) = delete;
  Profiler &operator=(const Profiler &) = delete;

  bool enabled() const { return !regions_.empty(); }
  /// `base` with this profiler as its profile hook: pass it to the entry
  /// points. Valid while the profiler lives.
  nncc_exec attach(const nncc_exec &base);
  /// The batch size of the entry-point calls that follow (for the rates).
  void setBatch(int64_t batch) { batch_ = batch; }
  /// What the hook does: region `region` begins (-1: the last one ended).
  void mark(int32_t region);
  /// Forgets everything timed so far (after warm-up steps).
  void reset();

  struct Row {
    const nncc_profile_region *region;
    int64_t calls = 0;
    int64_t samples = 0; // sum of the batch sizes of those calls
    double seconds = 0;
  };
  /// Every region in table order (program order within each entry point).
  const std::vector<Row> &rows() const { return rows_; }
  /// Completed calls of an entry point, and the time its regions took.
  int64_t entryCalls(const std::string &entry) const;
  double entrySeconds(const std::string &entry) const;

  /// The human-readable report: per entry point that ran, one line per
  /// region. `peakFlops` (FLOP/s; 0: unknown) adds a percent-of-peak column.
  std::string table(double peakFlops = 0) const;
  /// The same as a JSON array of regions (the trainer's metrics "profile").
  std::string json() const;

private:
  void load(const nncc_profile_region *regions, int32_t count);

  using Clock = std::chrono::steady_clock;
  std::vector<nncc_profile_region> regions_;
  std::vector<Row> rows_;
  std::vector<std::pair<std::string, int64_t>> entryCalls_;
  int64_t batch_ = 0;
  int32_t current_ = -1;
  Clock::time_point start_;
};

} // namespace nncc

#endif // NNCC_PROFILER_H
