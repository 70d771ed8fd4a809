//===- ThreadPool.cpp - persistent workers for generated parallel loops ---===//
//
// A training step runs a few dozen parallel loops of 0.1-5 ms each, so the
// cost that matters is waking the workers: after a loop, a worker spins for
// a short while on an atomic generation counter before it sleeps on the
// condition variable, and the caller spins the same way for the last worker
// to finish. Every worker checks in for every loop, even one with fewer
// iterations than workers, so no worker can still be reading a loop's job
// when the next one is published.
//
//===----------------------------------------------------------------------===//
#include "nncc/ThreadPool.h"

#include <chrono>
#include <sched.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace nncc {

namespace {

/// How long an idle worker (or the waiting caller) spins before it sleeps:
/// about the gap between two parallel loops of one step.
constexpr auto kSpin = std::chrono::microseconds(200);

/// The worker a thread is while it runs a task (-1 elsewhere): a parallel
/// loop started from inside a task runs on that worker, inline.
thread_local int currentWorker = -1;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

/// Spins until `done()` or kSpin has passed; returns done().
template <typename Done> bool spinUntil(Done done) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done())
        return true;
      relax();
    }
    if (std::chrono::steady_clock::now() - start > kSpin)
      return done();
  }
}

extern "C" void nnccThreadPoolParallelFor(const nncc_exec *exec,
                                          nncc_task_fn task, void *closure,
                                          int64_t n) {
  static_cast<ThreadPool *>(exec->pool)->parallelFor(n, task, closure);
}

} // namespace

int ThreadPool::defaultThreads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

ThreadPool::ThreadPool(int threads)
    : threads_(threads > 0 ? threads : defaultThreads()),
      iterations_(new std::atomic<int64_t>[threads_]) {
  exec_.parallel_for = &nnccThreadPoolParallelFor;
  exec_.pool = this;
  exec_.threads = threads_;
  for (int w = 0; w < threads_; ++w)
    iterations_[w].store(0, std::memory_order_relaxed);
  for (int w = 1; w < threads_; ++w)
    workers_.emplace_back([this, w] { workerLoop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    ++generation_;
    published_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

std::vector<int64_t> ThreadPool::iterationsPerWorker() const {
  std::vector<int64_t> out(threads_);
  for (int w = 0; w < threads_; ++w)
    out[w] = iterations_[w].load(std::memory_order_relaxed);
  return out;
}

void ThreadPool::runIterations(int worker) {
  int previous = currentWorker;
  currentWorker = worker;
  int64_t ran = 0;
  for (int64_t i;
       (i = job_.next.fetch_add(1, std::memory_order_relaxed)) < job_.n; ++ran)
    job_.task(job_.closure, i, worker);
  currentWorker = previous;
  iterations_[worker].fetch_add(ran, std::memory_order_relaxed);
}

void ThreadPool::parallelFor(int64_t n, nncc_task_fn task, void *closure) {
  if (n <= 0)
    return;
  if (threads_ == 1 || n == 1 || currentWorker >= 0) {
    // One worker, one iteration, or a loop inside a task: run it here.
    int worker = currentWorker >= 0 ? currentWorker : 0;
    for (int64_t i = 0; i < n; ++i)
      task(closure, i, worker);
    if (currentWorker < 0)
      iterations_[0].fetch_add(n, std::memory_order_relaxed);
    return;
  }
  std::lock_guard<std::mutex> call(callMutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_.task = task;
    job_.closure = closure;
    job_.n = n;
    job_.next.store(0, std::memory_order_relaxed);
    busy_ = threads_ - 1;
    busyAtomic_.store(busy_, std::memory_order_relaxed);
    ++generation_;
    published_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  runIterations(0);
  if (!spinUntil(
          [&] { return busyAtomic_.load(std::memory_order_acquire) == 0; })) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0; });
  }
  // Pair with the workers' last writes (their decrement under mutex_).
  std::lock_guard<std::mutex> lock(mutex_);
}

void ThreadPool::workerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    spinUntil(
        [&] { return published_.load(std::memory_order_acquire) != seen; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (stop_)
        return;
    }
    runIterations(worker);
    bool last;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      last = --busy_ == 0;
      busyAtomic_.store(busy_, std::memory_order_release);
    }
    if (last)
      done_.notify_one();
  }
}

} // namespace nncc
