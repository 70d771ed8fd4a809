//===- main.cpp - a program of your own around a model nncc compiled ------===//
//
// Trains the MLP in model.nn on Fashion-MNIST for a few hundred SGD steps and
// prints its test accuracy. Everything model-specific comes from
// mlp_model.h, which nncc_add_model generated at build time: the flat
// parameter layout, the entry points and the workspace size. The runtime
// (nncc::runtime) supplies the data, the optimizer and initialisation.
//
//   standalone FASHION_MNIST_DIR [STEPS]
//
//===----------------------------------------------------------------------===//
#include "mlp_model.h"

#include <nncc/Aligned.h>
#include <nncc/DataLoader.h>
#include <nncc/Dataset.h>
#include <nncc/Error.h>
#include <nncc/Init.h>
#include <nncc/Sgd.h>
#include <nncc/ThreadPool.h>
#include <nncc/TorchRandom.h>

#include <cstdio>
#include <cstdlib>

// The class with the largest logit for each of `n` samples that is right.
static int64_t countCorrect(const float *logits, const int64_t *labels,
                            int64_t n) {
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float *row = logits + i * MLP_NUM_CLASSES;
    int64_t best = 0;
    for (int64_t c = 1; c < MLP_NUM_CLASSES; ++c)
      if (row[c] > row[best])
        best = c;
    correct += best == labels[i];
  }
  return correct;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FASHION_MNIST_DIR [STEPS]\n", argv[0]);
    return 1;
  }
  const int64_t steps = argc > 2 ? std::atoll(argv[2]) : 300;
  const int64_t batch = 64, evalBatch = 1000;
  // Fashion-MNIST's pixel mean and standard deviation after scaling to [0,1].
  const float mean = 0.2860f, std = 0.3530f;
  try {
    nncc::AlignedArray<float> params(MLP_PARAM_COUNT), grads(MLP_PARAM_COUNT);
    // Buffers (none in an MLP) get one slot more so the array is never empty.
    nncc::AlignedArray<float> buffers(MLP_BUFFER_COUNT + 1);
    nncc::TorchGenerator rng(/*seed=*/0); // as torch.manual_seed(0)
    nncc::initParameters(mlp_model, params.data(), buffers.data(), rng);

    nncc::IdxDataset train = nncc::loadFashionMnist(argv[1], /*train=*/true);
    nncc::IdxDataset test = nncc::loadFashionMnist(argv[1], /*train=*/false);
    nncc::DataLoaderOptions trainOptions;
    trainOptions.batchSize = batch;
    trainOptions.shuffle = true;
    trainOptions.generator = &rng; // shuffles as PyTorch's after seeding
    trainOptions.mean = mean;
    trainOptions.std = std;
    nncc::DataLoader loader(train, trainOptions);

    nncc::SgdOptions sgdOptions;
    sgdOptions.lr = 0.05;
    sgdOptions.momentum = 0.9;
    nncc::Sgd sgd(mlp_model, sgdOptions);

    // The compiled step runs its parallel loops on these threads (one per
    // core); the results do not depend on how many there are.
    nncc::ThreadPool pool;
    // One workspace, sized once for the largest batch passed to the model.
    nncc::AlignedArray<uint8_t> workspace(
        mlp_workspace_size(evalBatch, pool.threads()));
    nncc::AlignedArray<float> logits(evalBatch * MLP_NUM_CLASSES);

    loader.startEpoch();
    for (int64_t step = 0; step < steps; ++step) {
      int64_t n = loader.next();
      if (n == 0) { // end of an epoch: reshuffle and go on
        loader.startEpoch();
        n = loader.next();
      }
      float loss;
      mlp_train_step(params.data(), grads.data(), buffers.data(),
                     loader.images(), loader.labels(), n, /*seed=*/step,
                     workspace.data(), pool.exec(), &loss, logits.data());
      sgd.step(params.data(), grads.data());
      if ((step + 1) % 100 == 0 || step + 1 == steps)
        std::printf("step %lld loss %.4f\n", (long long)(step + 1), loss);
    }

    // Every test image, through predict(), the inference entry point.
    nncc::DataLoaderOptions testOptions;
    testOptions.batchSize = evalBatch;
    testOptions.shuffle = false;
    testOptions.mean = mean;
    testOptions.std = std;
    nncc::DataLoader testLoader(test, testOptions);
    testLoader.startEpoch();
    int64_t correct = 0;
    while (int64_t n = testLoader.next()) {
      mlp_predict(params.data(), buffers.data(), testLoader.images(), n,
                  workspace.data(), pool.exec(), logits.data());
      correct += countCorrect(logits.data(), testLoader.labels(), n);
    }
    std::printf("test accuracy %.2f%% (%lld images)\n",
                100.0 * correct / test.size(), (long long)test.size());
  } catch (const nncc::Error &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
