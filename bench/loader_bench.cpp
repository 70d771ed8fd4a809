//===- loader_bench.cpp - data loader throughput on its own ---------------===//
//
// How many images/s nncc::DataLoader delivers with nothing else running:
// Fashion-MNIST's training split (1x28x28) and a synthetic CIFAR-sized set
// (3x32x32, per-channel normalisation), batch 64, shuffled, for 0, 1 and 2
// workers, without and with augmentation (random crop with padding 4 and
// horizontal flip). Each configuration runs --epochs epochs after one
// untimed epoch; the median epoch is reported. Compare with the training
// step's images/s (bench.py, train_step_bench.cpp): the loader is not the
// bottleneck when it is several times faster.
//
//   c++ -std=c++17 -O2 -I runtime/include bench/loader_bench.cpp \
//       BUILD/lib/libnncc_runtime.a -lz -lpthread -o loader_bench
//   ./loader_bench [--data /usr/share/datasets/fashion-mnist] [--epochs 3]
//                  [--batch 64] [--workers 0,1,2] [--step-us US]
//
// --step-us US: after each batch the caller spins for US microseconds, a
// stand-in for the training step (mlp: 64 images at 60,000 img/s = 1067 us),
// and the report is the images/s of loader + step together: with workers the
// loader runs during the step, so this approaches 1e6 * batch / US.
//
//===----------------------------------------------------------------------===//
#include "nncc/DataLoader.h"
#include "nncc/Datasets.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace nncc;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Median images/s over `epochs` timed epochs, and a checksum so the work
/// cannot be optimised away.
double imagesPerSecond(const Dataset &ds, DataLoaderOptions o, int epochs,
                       double stepSeconds, double &checksum) {
  DataLoader loader(ds, o);
  std::vector<double> rates;
  for (int e = 0; e <= epochs; ++e) {
    loader.startEpoch();
    int64_t samples = 0;
    auto start = Clock::now();
    while (int64_t n = loader.next()) {
      samples += n;
      checksum += loader.images()[0] + loader.images()[n * 8 - 1];
      for (auto t = Clock::now();
           stepSeconds > 0 && secondsSince(t) < stepSeconds;)
        ;
    }
    double s = secondsSince(start);
    if (e > 0) // the first epoch faults pages in and starts threads cold
      rates.push_back(double(samples) / s);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

std::vector<int> parseList(const char *s) {
  std::vector<int> out;
  for (const char *p = s; *p;) {
    out.push_back(std::atoi(p));
    p = std::strchr(p, ',');
    if (!p)
      break;
    ++p;
  }
  return out;
}

} // namespace

int main(int argc, char **argv) {
  std::string data = "/usr/share/datasets/fashion-mnist";
  int epochs = 3;
  int64_t batch = 64;
  std::vector<int> workers = {0, 1, 2};
  double stepSeconds = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data")
      data = argv[i + 1];
    else if (flag == "--epochs")
      epochs = std::atoi(argv[i + 1]);
    else if (flag == "--batch")
      batch = std::atoll(argv[i + 1]);
    else if (flag == "--step-us")
      stepSeconds = std::atof(argv[i + 1]) * 1e-6;
    else if (flag == "--workers")
      workers = parseList(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  try {
    auto fashion = openDataset("fashion-mnist", data, true);
    // CIFAR-sized: 50000 random 3x32x32 images (the loader's cost does not
    // depend on the pixel values).
    std::vector<uint8_t> pixels(size_t(50000) * 3072);
    uint32_t x = 12345;
    for (uint8_t &p : pixels)
      p = uint8_t((x = x * 1664525u + 1013904223u) >> 24);
    std::vector<int64_t> labels(50000);
    for (size_t i = 0; i < labels.size(); ++i)
      labels[i] = int64_t(i % 10);
    InMemoryDataset cifar({3, 32, 32}, std::move(pixels), std::move(labels));

    double checksum = 0;
    std::printf("[\n");
    bool first = true;
    if (stepSeconds > 0) {
      // The step alone, same batches: the ceiling loader + step can reach
      // on this machine as loaded right now.
      int64_t batches = (fashion->size() + batch - 1) / batch;
      auto start = Clock::now();
      for (int64_t b = 0; b < batches; ++b)
        for (auto t = Clock::now(); secondsSince(t) < stepSeconds;)
          ;
      std::printf(" {\"step_only\": true, \"step_us\": %.0f, "
                  "\"images_per_s\": %.0f}",
                  stepSeconds * 1e6,
                  double(fashion->size()) / secondsSince(start));
      first = false;
    }
    for (const Dataset *ds : {static_cast<const Dataset *>(fashion.get()),
                              static_cast<const Dataset *>(&cifar)}) {
      bool isCifar = ds == &cifar;
      for (bool augment : {false, true})
        for (int w : workers) {
          DataLoaderOptions o;
          o.batchSize = batch;
          o.numWorkers = w;
          if (isCifar) {
            o.channelMean = {0.4914f, 0.4822f, 0.4465f};
            o.channelStd = {0.2470f, 0.2435f, 0.2616f};
          } else {
            o.mean = 0.2860f;
            o.std = 0.3530f;
          }
          if (augment) {
            o.augment.cropPadding = 4;
            o.augment.horizontalFlip = true;
          }
          double rate = imagesPerSecond(*ds, o, epochs, stepSeconds, checksum);
          std::printf(
              "%s {\"dataset\": \"%s\", \"batch\": %lld, \"workers\": "
              "%d, \"augment\": %s, \"step_us\": %.0f, \"images_per_s\": %.0f}",
              first ? "" : ",\n", isCifar ? "cifar-synthetic" : "fashion-mnist",
              (long long)batch, w, augment ? "true" : "false",
              stepSeconds * 1e6, rate);
          std::fflush(stdout);
          first = false;
        }
    }
    std::printf("\n]\n");
    std::fprintf(stderr, "checksum %.3f\n", checksum);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
