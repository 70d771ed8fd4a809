//===- ThreadPoolTest.cpp - the pool generated parallel loops run on ------===//
//
// Runs under ThreadSanitizer too (tests/sanitize): every test here is one
// that a data race would make TSan report.
//
//===----------------------------------------------------------------------===//
#include "nncc/ThreadPool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <numeric>
#include <thread>
#include <vector>

using namespace nncc;

namespace {

/// Each iteration writes its own slot: what generated loops do.
struct Fill {
  std::vector<int64_t> value;
  std::vector<int32_t> worker;
};

void fillTask(void *closure, int64_t i, int32_t worker) {
  auto *f = static_cast<Fill *>(closure);
  f->value[i] = i * i;
  f->worker[i] = worker;
}

// The context's other fields are zero however the pool's memory was used
// before: a profiled build calls exec->profile when it is not NULL, so a
// stale pointer there crashed (seen once in 40 runs of a profiled cnn).
TEST(ThreadPool, ContextHasNoProfileHook) {
  alignas(ThreadPool) unsigned char storage[sizeof(ThreadPool)];
  std::memset(storage, 0xab, sizeof storage);
  auto *pool = new (storage) ThreadPool(2);
  EXPECT_EQ(pool->exec()->profile, nullptr);
  EXPECT_EQ(pool->exec()->profile_data, nullptr);
  EXPECT_EQ(pool->exec()->threads, 2);
  pool->~ThreadPool();
}

TEST(ThreadPool, RunsEveryIterationOnceOnSomeWorker) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    EXPECT_EQ(pool.exec()->threads, threads);
    for (int64_t n : {0, 1, 2, 7, 1000}) {
      Fill f{std::vector<int64_t>(n, -1), std::vector<int32_t>(n, -1)};
      pool.parallelFor(n, fillTask, &f);
      for (int64_t i = 0; i < n; ++i) {
        EXPECT_EQ(f.value[i], i * i) << threads << " threads, n " << n;
        EXPECT_GE(f.worker[i], 0);
        EXPECT_LT(f.worker[i], threads);
      }
    }
  }
}

TEST(ThreadPool, TheCContextRunsTheSameLoop) {
  ThreadPool pool(3);
  const nncc_exec *exec = pool.exec();
  Fill f{std::vector<int64_t>(100, -1), std::vector<int32_t>(100, -1)};
  exec->parallel_for(exec, fillTask, &f, 100);
  for (int64_t i = 0; i < 100; ++i)
    EXPECT_EQ(f.value[i], i * i);
}

/// Slow iterations, so that every worker gets some: the threads do work.
void slowTask(void *closure, int64_t, int32_t worker) {
  auto *counts = static_cast<std::vector<std::atomic<int>> *>(closure);
  (*counts)[worker].fetch_add(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

TEST(ThreadPool, EveryWorkerRuns) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> counts(4);
  pool.parallelFor(64, slowTask, &counts);
  int total = 0;
  for (auto &c : counts) {
    EXPECT_GT(c.load(), 0);
    total += c.load();
  }
  EXPECT_EQ(total, 64);
  std::vector<int64_t> perWorker = pool.iterationsPerWorker();
  EXPECT_EQ(std::accumulate(perWorker.begin(), perWorker.end(), int64_t(0)),
            64);
  for (int64_t n : perWorker)
    EXPECT_GT(n, 0);
}

/// Many short loops back to back: the hand-over between loops (spin, then
/// sleep) must neither lose a worker nor let one run into the next loop.
void addTask(void *closure, int64_t i, int32_t) {
  static_cast<std::vector<int64_t> *>(closure)->at(i) += 1;
}

TEST(ThreadPool, ManyShortLoopsInARow) {
  ThreadPool pool(3);
  std::vector<int64_t> counts(5, 0);
  for (int round = 0; round < 2000; ++round)
    pool.parallelFor(5, addTask, &counts);
  for (int64_t c : counts)
    EXPECT_EQ(c, 2000);
}

/// A loop started inside a task runs inline on that task's worker.
struct Nested {
  ThreadPool *pool;
  std::vector<std::vector<int32_t>> innerWorker;
};

void innerTask(void *closure, int64_t i, int32_t worker) {
  static_cast<std::vector<int32_t> *>(closure)->at(i) = worker;
}

void outerTask(void *closure, int64_t i, int32_t worker) {
  auto *n = static_cast<Nested *>(closure);
  n->pool->parallelFor(3, innerTask, &n->innerWorker[i]);
  for (int32_t w : n->innerWorker[i])
    EXPECT_EQ(w, worker);
}

TEST(ThreadPool, NestedLoopsRunOnTheirWorker) {
  ThreadPool pool(2);
  Nested n{&pool,
           std::vector<std::vector<int32_t>>(8, std::vector<int32_t>(3, -1))};
  pool.parallelFor(8, outerTask, &n);
  for (auto &inner : n.innerWorker)
    for (int32_t w : inner)
      EXPECT_GE(w, 0);
}

/// Two application threads sharing one pool take turns.
TEST(ThreadPool, CallersFromSeveralThreadsTakeTurns) {
  ThreadPool pool(2);
  std::vector<int64_t> a(50, 0), b(50, 0);
  std::thread other([&] {
    for (int r = 0; r < 200; ++r)
      pool.parallelFor(50, addTask, &b);
  });
  for (int r = 0; r < 200; ++r)
    pool.parallelFor(50, addTask, &a);
  other.join();
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(a[i], 200);
    EXPECT_EQ(b[i], 200);
  }
}

TEST(ThreadPool, DefaultIsTheCoresThisProcessMayUse) {
  ThreadPool pool;
  EXPECT_EQ(pool.threads(), ThreadPool::defaultThreads());
  EXPECT_GE(pool.threads(), 1);
}

} // namespace
