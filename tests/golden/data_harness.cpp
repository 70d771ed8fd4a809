//===- data_harness.cpp - one shuffled epoch of a dataset, as raw bytes ---===//
//
// For golden_data.py: opens KIND at PATH (training split) with openDataset,
// runs one epoch of DataLoader (shuffle seeded like torch.manual_seed(SEED),
// per-channel mean/std) and writes every batch's labels (int64) and images
// (float32) to OUT, so the script can compare them with torchvision's byte
// for byte.
//
//   data_harness KIND PATH BATCH SEED MEANS STDS WORKERS OUT
//   (MEANS, STDS: comma-separated, one per channel)
//
//===----------------------------------------------------------------------===//
#include "nncc/DataLoader.h"
#include "nncc/Datasets.h"
#include "nncc/Error.h"

#include <cstdio>
#include <cstdlib>
#include <string>

static std::vector<float> floats(const std::string &list) {
  std::vector<float> out;
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    out.push_back(std::strtof(list.substr(at, comma - at).c_str(), nullptr));
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  return out;
}

int main(int argc, char **argv) {
  if (argc != 9) {
    std::fprintf(stderr, "usage: data_harness KIND PATH BATCH SEED MEANS STDS "
                         "WORKERS OUT\n");
    return 2;
  }
  try {
    auto ds = nncc::openDataset(argv[1], argv[2], /*train=*/true);
    nncc::DataLoaderOptions o;
    o.batchSize = std::atoll(argv[3]);
    o.seed = std::strtoull(argv[4], nullptr, 10);
    o.channelMean = floats(argv[5]);
    o.channelStd = floats(argv[6]);
    o.numWorkers = std::atoi(argv[7]);
    nncc::DataLoader loader(*ds, o);
    std::FILE *out = std::fopen(argv[8], "wb");
    if (!out)
      throw nncc::Error(std::string("cannot write '") + argv[8] + "'");
    loader.startEpoch();
    while (int64_t n = loader.next()) {
      std::fwrite(loader.labels(), sizeof(int64_t), size_t(n), out);
      std::fwrite(loader.images(), sizeof(float), size_t(n * ds->sampleNumel()),
                  out);
    }
    std::fclose(out);
    auto s = ds->sampleShape();
    std::printf("%lld samples of [%lld, %lld, %lld]\n", (long long)ds->size(),
                (long long)s[0], (long long)s[1], (long long)s[2]);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
