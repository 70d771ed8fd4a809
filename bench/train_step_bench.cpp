//===- train_step_bench.cpp - training throughput of a compiled model -----===//
//
// Times the training step as a user runs it: the generated train step
// (forward, loss, backward) followed by nncc::Sgd::step (lr 0.05, momentum
// 0.9), on one fixed synthetic batch: inputs uniform in [0,1] normalised with
// the Fashion-MNIST mean/std, labels uniform in [0, num_classes).
//
// Links against an object compiled with `nncc --prefix=model`:
//   c++ -std=c++17 -O2 -I DIR -I runtime/include bench/train_step_bench.cpp
//       DIR/model.o build/lib/libnncc_runtime.a -lz -lpthread
//
// Every round starts from the same freshly initialised parameters and a new
// optimizer (outside the timed region), so rounds do identical work and the
// weights never drift into a regime (overfitted batch, denormals) that the
// first round did not see.
//
// Two modes:
//  - standalone (default): warm-up, then --rounds rounds of --steps steps;
//    prints one JSON document with per-round images/s.
//  - --serve: warm-up, prints one JSON line, then runs one round per
//    "round" line read from stdin and answers with one JSON line each;
//    "loader" measures the data loader, "quit" exits. bench.py uses this to
//    interleave nncc rounds with PyTorch rounds in one process each. While
//    it waits on stdin the process sleeps and costs the other side nothing.
//
// Linked with an object built with `nncc --profile`, the serve command
// "profile STEPS" runs STEPS steps with nncc::Profiler as the execution
// context's profile hook (after one untimed step) and answers with its
// per-region JSON: the per-layer table bench.py prints.
//
// With --data DIR it also times nncc::DataLoader over Fashion-MNIST's
// training split (the batches a real `nncc train` run would feed the step).
//
// With --init FILE (safetensors, as bench/torch_worker.py --write-init writes
// it) the parameters, buffers (`model.<state_dict name>`) and the batch
// (`batch.input`, `batch.target`) come from the file instead, so nncc trains
// on exactly what the PyTorch contenders train on, and the serve command
// "check OUT" writes the first step's loss (`loss`) and gradients (by
// state_dict name) for bench.py to compare with PyTorch 1.13.
//
//===----------------------------------------------------------------------===//
#include "model.h"

#include <nncc/Aligned.h>
#include <nncc/Checkpoint.h>
#include <nncc/DataLoader.h>
#include <nncc/Dataset.h>
#include <nncc/Init.h>
#include <nncc/Profiler.h>
#include <nncc/Sgd.h>
#include <nncc/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace nncc;
using Clock = std::chrono::steady_clock;

namespace {

constexpr float kMean = 0.2860f, kStd = 0.3530f;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Options {
  int64_t batch = 64;
  int rounds = 7;
  int64_t steps = 0;         // per round; 0: calibrate to roundSeconds
  double roundSeconds = 1.0; // target length of a round when calibrating
  double warmupSeconds = 0.5;
  uint64_t seed = 0;
  std::string data; // Fashion-MNIST directory for the loader timing
  std::string init; // weights and batch from bench/torch_worker.py
  int threads = 1;  // of the compiled step's thread pool
  bool serve = false;
};

[[noreturn]] void usage(const char *argv0) {
  std::fprintf(
      stderr,
      "usage: %s [--batch N] [--rounds R] [--steps S]\n"
      "          [--round-seconds T] [--warmup-seconds T] [--seed N]\n"
      "          [--data FASHION_MNIST_DIR] [--init FILE] [--threads N]\n"
      "          [--serve]\n",
      argv0);
  std::exit(2);
}

Options parseOptions(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char * {
      if (i + 1 >= argc)
        usage(argv[0]);
      return argv[++i];
    };
    if (a == "--batch")
      o.batch = std::atoll(value());
    else if (a == "--rounds")
      o.rounds = std::atoi(value());
    else if (a == "--steps")
      o.steps = std::atoll(value());
    else if (a == "--round-seconds")
      o.roundSeconds = std::atof(value());
    else if (a == "--warmup-seconds")
      o.warmupSeconds = std::atof(value());
    else if (a == "--seed")
      o.seed = std::strtoull(value(), nullptr, 10);
    else if (a == "--data")
      o.data = value();
    else if (a == "--init")
      o.init = value();
    else if (a == "--threads")
      o.threads = std::atoi(value());
    else if (a == "--serve")
      o.serve = true;
    else
      usage(argv[0]);
  }
  if (o.batch <= 0 || o.rounds <= 0 || o.steps < 0 || o.threads < 1)
    usage(argv[0]);
  return o;
}

class Bench {
public:
  explicit Bench(const Options &o)
      : model_(model_model), batch_(o.batch), seed_(o.seed), pool_(o.threads),
        params_(model_.param_count), grads_(model_.param_count),
        buffers_(model_.buffer_count + 1),
        workspace_(model_.workspace_size(o.batch, o.threads)),
        profiler_(model_), profiledExec_(profiler_.attach(*pool_.exec())),
        logits_(o.batch * model_.num_classes), target_(o.batch) {
    int64_t sample = 1;
    for (int32_t d = 0; d < model_.input_rank; ++d)
      sample *= model_.input_shape[d];
    input_ = AlignedArray<float>(o.batch * sample);
    std::mt19937_64 rng(o.seed + 1);
    std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
    for (size_t i = 0; i < input_.size(); ++i)
      input_[i] = (pixel(rng) - kMean) / kStd;
    std::uniform_int_distribution<int64_t> label(0, model_.num_classes - 1);
    for (int64_t i = 0; i < o.batch; ++i)
      target_[i] = label(rng);
    if (!o.init.empty())
      loadInit(o.init);
  }

  /// Fresh parameters and optimizer state: the start of every round.
  void reset() {
    if (initParams_.empty()) {
      initParameters(model_, params_.data(), buffers_.data(), seed_);
    } else {
      std::copy(initParams_.begin(), initParams_.end(), params_.data());
      std::copy(initBuffers_.begin(), initBuffers_.end(), buffers_.data());
    }
    sgd_ = std::make_unique<Sgd>(model_, SgdOptions{0.05, 0.9});
  }

  /// One step from the initial state; writes the loss and the gradients.
  void check(const std::string &out) {
    reset();
    step();
    TensorFile file;
    appendModelTensors(file, model_, grads_.data(), buffers_.data());
    file.tensors.push_back(NamedTensor::fromF32("loss", {1}, &loss_));
    writeSafetensors(out, file);
  }

  void step(const nncc_exec *exec = nullptr) {
    model_.train_step(params_.data(), grads_.data(), buffers_.data(),
                      input_.data(), target_.data(), batch_, ++step_,
                      workspace_.data(), exec ? exec : pool_.exec(), &loss_,
                      logits_.data());
    sgd_->step(params_.data(), grads_.data());
  }

  /// `steps` steps from fresh state with the profiler timing every region
  /// (a profiled build only); returns its JSON on one line.
  std::string profile(int64_t steps) {
    if (!profiler_.enabled())
      throw std::runtime_error("the model was not compiled with --profile");
    reset();
    profiler_.setBatch(batch_);
    step(&profiledExec_);
    profiler_.reset();
    for (int64_t i = 0; i < steps; ++i)
      step(&profiledExec_);
    std::string json = profiler_.json();
    std::replace(json.begin(), json.end(), '\n', ' ');
    return json;
  }

  /// Runs `steps` steps from fresh state; returns seconds.
  double round(int64_t steps) {
    reset();
    auto start = Clock::now();
    for (int64_t i = 0; i < steps; ++i)
      step();
    return secondsSince(start);
  }

  /// Seconds per step of the generated train step alone and of SGD alone
  /// (each over `steps` calls), to show how the step splits.
  std::pair<double, double> split(int64_t steps) {
    reset();
    step();
    auto start = Clock::now();
    for (int64_t i = 0; i < steps; ++i)
      model_.train_step(params_.data(), grads_.data(), buffers_.data(),
                        input_.data(), target_.data(), batch_, ++step_,
                        workspace_.data(), pool_.exec(), &loss_,
                        logits_.data());
    double trainStep = secondsSince(start) / steps;
    start = Clock::now();
    for (int64_t i = 0; i < steps; ++i)
      sgd_->step(params_.data(), grads_.data());
    double sgd = secondsSince(start) / steps;
    return {trainStep, sgd};
  }

  float loss() const { return loss_; }
  /// Loop iterations each worker has run: shows the threads working.
  std::vector<int64_t> iterationsPerWorker() const {
    return pool_.iterationsPerWorker();
  }
  size_t workspaceBytes() const { return workspace_.size(); }

private:
  void loadInit(const std::string &path) {
    TensorFile file = readSafetensors(path);
    loadModelTensors(file, path, model_, params_.data(), buffers_.data(),
                     "model.");
    initParams_.assign(params_.data(), params_.data() + params_.size());
    initBuffers_.assign(buffers_.data(), buffers_.data() + buffers_.size());
    const NamedTensor *x = file.find("batch.input");
    const NamedTensor *y = file.find("batch.target");
    if (!x || !y || x->dtype != DType::F32 || y->dtype != DType::I64 ||
        x->numel() != static_cast<int64_t>(input_.size()) ||
        y->numel() != batch_)
      throw std::runtime_error(path + ": batch.input/batch.target do not "
                                      "fit this model at this batch size");
    std::memcpy(input_.data(), x->data.data(), x->data.size());
    std::memcpy(target_.data(), y->data.data(), y->data.size());
  }

  const nncc_model &model_;
  int64_t batch_;
  uint64_t seed_;
  ThreadPool pool_;
  AlignedArray<float> params_, grads_, buffers_;
  AlignedArray<uint8_t> workspace_;
  Profiler profiler_;
  nncc_exec profiledExec_;
  AlignedArray<float> logits_, input_;
  AlignedArray<int64_t> target_;
  std::vector<float> initParams_, initBuffers_;
  std::unique_ptr<Sgd> sgd_;
  float loss_ = 0;
  uint64_t step_ = 0; // the dropout seed of each step
};

std::string fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *format, ...) {
  char buf[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

std::string roundJson(int index, int64_t steps, int64_t batch, double seconds,
                      float loss) {
  return fmt("{\"round\": %d, \"steps\": %lld, \"seconds\": %.6f, "
             "\"images_per_s\": %.2f, \"loss\": %.6g}",
             index, (long long)steps, seconds, steps * batch / seconds,
             (double)loss);
}

// DataLoader::startEpoch takes the epoch number in some versions of the
// runtime and draws the next epoch's order from its generator in others.
template <typename Loader>
auto startEpoch(Loader &loader, int64_t epoch, int)
    -> decltype(loader.startEpoch(epoch), void()) {
  loader.startEpoch(epoch);
}
template <typename Loader> void startEpoch(Loader &loader, int64_t, long) {
  loader.startEpoch();
}

/// Times DataLoader over one epoch of the real training split (shuffled,
/// normalised, batch B as `nncc train` uses it).
std::string loaderJson(const std::string &dir, int64_t batch) {
  auto start = Clock::now();
  IdxDataset train = loadFashionMnist(dir, /*train=*/true);
  double loadSeconds = secondsSince(start);
  DataLoaderOptions lo;
  lo.batchSize = batch;
  lo.mean = kMean;
  lo.std = kStd;
  DataLoader loader(train, lo);
  // One untimed epoch start to fault in the pages, then one timed epoch.
  startEpoch(loader, 0, 0);
  loader.next();
  start = Clock::now();
  startEpoch(loader, 1, 0);
  double shuffleSeconds = secondsSince(start);
  int64_t batches = 0, samples = 0;
  double checksum = 0;
  start = Clock::now();
  while (int64_t n = loader.next()) {
    ++batches;
    samples += n;
    checksum += loader.images()[0];
  }
  double epochSeconds = secondsSince(start);
  return fmt("{\"dataset_load_seconds\": %.4f, \"epoch_shuffle_seconds\": "
             "%.6f, \"batches\": %lld, \"samples\": %lld, "
             "\"seconds_per_batch\": %.9f, \"checksum\": %.3f}",
             loadSeconds, shuffleSeconds, (long long)batches,
             (long long)samples, epochSeconds / std::max<int64_t>(batches, 1),
             checksum);
}

} // namespace

int main(int argc, char **argv) {
  Options o = parseOptions(argc, argv);
  try {
    Bench bench(o);

    // Warm-up: page in the workspace and code, let the clock settle.
    bench.reset();
    std::vector<double> stepTimes;
    auto start = Clock::now();
    do {
      auto t = Clock::now();
      bench.step();
      stepTimes.push_back(secondsSince(t));
    } while (secondsSince(start) < o.warmupSeconds || stepTimes.size() < 5);
    double warmupSeconds = secondsSince(start);
    int64_t warmupSteps = static_cast<int64_t>(stepTimes.size());
    if (!std::isfinite(bench.loss()))
      throw std::runtime_error("non-finite loss during warm-up");

    int64_t steps = o.steps;
    if (steps == 0) {
      // The median step (not the mean): a few steps that lost the CPU to
      // other work must not shorten every round.
      std::sort(stepTimes.begin() + 1, stepTimes.end());
      double perStep = stepTimes[1 + (stepTimes.size() - 1) / 2];
      steps = std::max<int64_t>(
          10, static_cast<int64_t>(std::llround(o.roundSeconds / perStep)));
    }

    std::string header = fmt(
        "\"model\": \"%s\", \"batch\": %lld, \"steps_per_round\": %lld, "
        "\"warmup_steps\": %lld, \"warmup_seconds\": %.4f, "
        "\"param_count\": %lld, \"workspace_bytes\": %zu, \"threads\": %d, "
        "\"optimizer\": \"SGD lr=0.05 momentum=0.9\"",
        model_model.name, (long long)o.batch, (long long)steps,
        (long long)warmupSteps, warmupSeconds,
        (long long)model_model.param_count, bench.workspaceBytes(), o.threads);

    if (o.serve) {
      std::printf("{%s}\n", header.c_str());
      std::fflush(stdout);
      std::string line;
      int index = 0;
      while (std::getline(std::cin, line)) {
        if (line == "quit")
          break;
        if (line == "round") {
          double s = bench.round(steps);
          std::printf(
              "%s\n",
              roundJson(index++, steps, o.batch, s, bench.loss()).c_str());
        } else if (line.compare(0, 6, "check ") == 0) {
          try {
            bench.check(line.substr(6));
            std::printf("{\"loss\": %.9g}\n", (double)bench.loss());
          } catch (const std::exception &e) {
            std::printf("{\"error\": \"%s\"}\n", e.what());
          }
        } else if (line == "workers") {
          // Loop iterations per worker so far: proof the threads ran.
          std::string list;
          for (int64_t n : bench.iterationsPerWorker())
            list += (list.empty() ? "" : ", ") + std::to_string(n);
          std::printf("{\"iterations_per_worker\": [%s]}\n", list.c_str());
        } else if (line.compare(0, 8, "profile ") == 0) {
          try {
            std::string json =
                bench.profile(std::max(1LL, std::atoll(line.c_str() + 8)));
            std::printf("{\"profile\": %s}\n", json.c_str());
          } catch (const std::exception &e) {
            std::printf("{\"error\": \"%s\"}\n", e.what());
          }
        } else if (line == "split") {
          auto [trainStep, sgd] = bench.split(steps);
          std::printf("{\"train_step_seconds\": %.9f, \"sgd_seconds\": %.9f}\n",
                      trainStep, sgd);
        } else if (line == "loader") {
          if (o.data.empty())
            std::printf("{\"error\": \"no --data directory\"}\n");
          else
            std::printf("%s\n", loaderJson(o.data, o.batch).c_str());
        } else {
          std::printf("{\"error\": \"unknown command\"}\n");
        }
        std::fflush(stdout);
      }
      return 0;
    }

    std::vector<std::string> rounds;
    std::vector<double> rates;
    for (int r = 0; r < o.rounds; ++r) {
      double s = bench.round(steps);
      rates.push_back(steps * o.batch / s);
      rounds.push_back(roundJson(r, steps, o.batch, s, bench.loss()));
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    double median =
        sorted.size() % 2
            ? sorted[sorted.size() / 2]
            : 0.5 * (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]);
    auto [trainStep, sgd] = bench.split(steps);
    std::printf("{%s,\n \"median_images_per_s\": %.2f, \"min_images_per_s\": "
                "%.2f, \"max_images_per_s\": %.2f,\n"
                " \"train_step_seconds\": %.9f, \"sgd_seconds\": %.9f,\n"
                " \"rounds\": [\n",
                header.c_str(), median, sorted.front(), sorted.back(),
                trainStep, sgd);
    for (size_t i = 0; i < rounds.size(); ++i)
      std::printf("  %s%s\n", rounds[i].c_str(),
                  i + 1 < rounds.size() ? "," : "");
    std::printf(" ]");
    if (!o.data.empty())
      std::printf(",\n \"loader\": %s", loaderJson(o.data, o.batch).c_str());
    std::printf("}\n");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
