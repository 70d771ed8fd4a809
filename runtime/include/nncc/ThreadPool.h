//===- nncc/ThreadPool.h - the threads generated code runs on ---*- C++ -*-===//
//
// Generated entry points run their parallel loops through the execution
// context they are given (nncc_exec in abi.h), as Halide's generated code
// calls halide_do_par_for: the object never starts a thread itself, and the
// thread count is the caller's setting, next to loader workers and ranks.
// ThreadPool is the runtime's implementation of that context.
//
// Results never depend on the thread count: generated code only hands a
// pool iterations that write disjoint memory (or per-shard partial sums that
// it combines in a fixed order afterwards), so which worker runs which
// iteration changes nothing.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_THREADPOOL_H
#define NNCC_THREADPOOL_H

#include "nncc/abi.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace nncc {

class ThreadPool {
public:
  /// A pool of `threads` workers in all, the thread that calls parallelFor
  /// being worker 0 (so `threads - 1` are started); 0 means defaultThreads().
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int threads() const { return threads_; }

  /// Runs task(closure, i, worker) once for every i in [0, n) and returns
  /// when all have run; `worker` is in [0, threads()). Iterations are handed
  /// out one at a time as workers become free. Calls from several threads
  /// take turns; a call from inside a task runs its loop on that worker.
  void parallelFor(int64_t n, nncc_task_fn task, void *closure);

  /// The execution context for generated entry points; valid while the pool
  /// lives.
  const nncc_exec *exec() const { return &exec_; }

  /// Iterations each worker has run since the pool started: what shows that
  /// the threads did work (nncc train --threads reports it).
  std::vector<int64_t> iterationsPerWorker() const;

  /// The cores this process may run on (at least 1).
  static int defaultThreads();

private:
  struct Job {
    nncc_task_fn task = nullptr;
    void *closure = nullptr;
    int64_t n = 0;
    std::atomic<int64_t> next{0};
  };
  void workerLoop(int worker);
  void runIterations(int worker);

  int threads_;
  nncc_exec exec_{}; // every field zero: no profile hook
  std::vector<std::thread> workers_;
  std::mutex callMutex_; // one parallelFor at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;            // guarded by mutex_
  std::atomic<uint64_t> published_{0}; // generation_, for spinning workers
  int busy_ = 0;                       // workers inside the current job
  std::atomic<int> busyAtomic_{0};     // busy_, for the spinning caller
  bool stop_ = false;
  Job job_;
  std::unique_ptr<std::atomic<int64_t>[]> iterations_;
};

} // namespace nncc

#endif // NNCC_THREADPOOL_H
