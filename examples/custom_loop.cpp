//===- custom_loop.cpp - a training loop of your own around a compiled model
//-===//
//
// Build it the way any user would:
//   nncc examples/mlp.nn -o mlp.o            # writes mlp.o and mlp.h
//   c++ -std=c++17 -O2 -I. -I<nncc>/runtime/include examples/custom_loop.cpp
//       mlp.o <nncc>/build/lib/libnncc_runtime.a -lz -lpthread -o custom_loop
//   ./custom_loop /usr/share/datasets/fashion-mnist 300
//
// Everything model-specific comes from mlp.h: the flat parameter layout, the
// entry points and the workspace size. The runtime supplies data, the
// optimizer, initialisation and checkpoints.
//
//===----------------------------------------------------------------------===//
#include "mlp.h"

#include <nncc/Aligned.h>
#include <nncc/Checkpoint.h>
#include <nncc/DataLoader.h>
#include <nncc/Dataset.h>
#include <nncc/Error.h>
#include <nncc/Init.h>
#include <nncc/Sgd.h>
#include <nncc/ThreadPool.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s FASHION_MNIST_DIR STEPS [OUT.safetensors]\n",
                 argv[0]);
    return 1;
  }
  try {
    const int64_t batch = 64, steps = std::atoll(argv[2]);
    nncc::AlignedArray<float> params(MLP_PARAM_COUNT), grads(MLP_PARAM_COUNT);
    // Running statistics (none in the MLP): 4-byte slots, as the header says.
    nncc::AlignedArray<float> buffers(MLP_BUFFER_COUNT + 1);
    nncc::TorchGenerator rng(/*seed=*/0); // as torch.manual_seed(0)
    nncc::initParameters(mlp_model, params.data(), buffers.data(), rng);

    nncc::IdxDataset train = nncc::loadFashionMnist(argv[1], /*train=*/true);
    nncc::IdxDataset test = nncc::loadFashionMnist(argv[1], /*train=*/false);
    nncc::DataLoader loader(train, {batch, /*shuffle=*/true, /*dropLast=*/false,
                                    0, &rng, 0.2860f, 0.3530f});
    nncc::Sgd sgd(mlp_model, {/*lr=*/0.05, /*momentum=*/0.9});

    // The compiled step runs its parallel loops on these threads (one per
    // core); the results do not depend on how many there are.
    nncc::ThreadPool pool;
    // One workspace, sized once for the largest batch we will pass.
    const int64_t evalBatch = 1000;
    nncc::AlignedArray<uint8_t> workspace(mlp_workspace_size(
        evalBatch > batch ? evalBatch : batch, pool.threads()));
    nncc::AlignedArray<float> logits(evalBatch * MLP_NUM_CLASSES);

    loader.startEpoch();
    for (int64_t step = 0; step < steps; ++step) {
      int64_t n = loader.next();
      if (n == 0) {
        loader.startEpoch();
        n = loader.next();
      }
      float loss;
      mlp_train_step(params.data(), grads.data(), buffers.data(),
                     loader.images(), loader.labels(), n, /*seed=*/step,
                     workspace.data(), pool.exec(), &loss, logits.data());
      sgd.step(params.data(), grads.data());
      if ((step + 1) % 100 == 0)
        std::printf("step %lld  loss %.4f\n", (long long)(step + 1), loss);
    }

    // Accuracy with predict(), the inference entry point.
    nncc::DataLoader testLoader(
        test, {evalBatch, false, false, 0, nullptr, 0.2860f, 0.3530f});
    testLoader.startEpoch();
    int64_t correct = 0;
    while (int64_t n = testLoader.next()) {
      mlp_predict(params.data(), buffers.data(), testLoader.images(), n,
                  workspace.data(), pool.exec(), logits.data());
      for (int64_t i = 0; i < n; ++i) {
        int64_t best = 0;
        for (int64_t c = 1; c < MLP_NUM_CLASSES; ++c)
          if (logits[i * MLP_NUM_CLASSES + c] >
              logits[i * MLP_NUM_CLASSES + best])
            best = c;
        correct += best == testLoader.labels()[i];
      }
    }
    std::printf("test accuracy %.2f%%\n", 100.0 * correct / test.size());
    if (argc > 3)
      nncc::saveCheckpoint(argv[3], mlp_model, params.data(), buffers.data());
  } catch (const nncc::Error &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
