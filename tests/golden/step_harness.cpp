//===- step_harness.cpp - run one batch through a compiled model ----------===//
//
// For the golden tests: links against an object compiled with
// `--prefix=model`, loads parameters from a checkpoint and one batch from a
// safetensors file ("input" f32, "target" i64), and writes everything the
// three entry points produce: train loss, logits and gradients ("grad.<name>"),
// eval loss and logits, predict logits. An optional fourth argument runs
// the entry points on a ThreadPool of that many threads (default 1: no
// execution context); the output must be the same bytes for every count.
//
//===----------------------------------------------------------------------===//
#include "model.h"

#include <nncc/Aligned.h>
#include <nncc/Checkpoint.h>
#include <nncc/Error.h>
#include <nncc/Safetensors.h>
#include <nncc/ThreadPool.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace nncc;

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr,
                 "usage: %s PARAMS.safetensors BATCH.safetensors "
                 "OUT.safetensors [THREADS]\n",
                 argv[0]);
    return 1;
  }
  try {
    int threads = argc == 5 ? std::atoi(argv[4]) : 1;
    if (threads < 1)
      throw Error("THREADS must be a positive integer");
    ThreadPool pool(threads);
    const nncc_exec *exec = threads > 1 ? pool.exec() : nullptr;
    const nncc_model &model = model_model;
    AlignedArray<float> params(model.param_count), grads(model.param_count),
        buffers(model.buffer_count + 1);
    loadCheckpoint(argv[1], model, params.data(), buffers.data());
    TensorFile batch = readSafetensors(argv[2]);
    const NamedTensor *input = batch.find("input");
    const NamedTensor *target = batch.find("target");
    if (!input || !target)
      throw Error("batch file needs 'input' and 'target'");
    int64_t n = input->shape[0];
    AlignedArray<uint8_t> workspace(model_workspace_size(n, threads));
    AlignedArray<float> logits(n * model.num_classes);
    float loss = 0;
    auto in = reinterpret_cast<const float *>(input->data.data());
    auto t = reinterpret_cast<const int64_t *>(target->data.data());
    std::vector<int64_t> logitsShape{n, model.num_classes};

    TensorFile out;
    // The train step updates running statistics in place; eval and predict
    // below must see the loaded ones, as PyTorch's eval after the same
    // forward would not (the golden script compares accordingly).
    AlignedArray<float> trainBuffers(model.buffer_count + 1);
    std::memcpy(trainBuffers.data(), buffers.data(),
                sizeof(float) * model.buffer_count);
    model_train_step(params.data(), grads.data(), trainBuffers.data(), in, t, n,
                     /*seed=*/0, workspace.data(), exec, &loss, logits.data());
    out.tensors.push_back(NamedTensor::fromF32("train.loss", {}, &loss));
    out.tensors.push_back(
        NamedTensor::fromF32("train.logits", logitsShape, logits.data()));
    for (int32_t i = 0; i < model.num_buffers; ++i) {
      const nncc_tensor_info &b = model.buffers[i];
      std::vector<int64_t> shape(b.shape, b.shape + b.rank);
      if (b.dtype == NNCC_DTYPE_I64)
        out.tensors.push_back(NamedTensor::fromI64(
            std::string("train.") + b.name, shape,
            reinterpret_cast<const int64_t *>(trainBuffers.data() + b.offset)));
      else
        out.tensors.push_back(
            NamedTensor::fromF32(std::string("train.") + b.name, shape,
                                 trainBuffers.data() + b.offset));
    }
    for (int32_t i = 0; i < model.num_params; ++i) {
      const nncc_tensor_info &p = model.params[i];
      std::vector<int64_t> shape(p.shape, p.shape + p.rank);
      out.tensors.push_back(NamedTensor::fromF32(
          std::string("grad.") + p.name, shape, grads.data() + p.offset));
    }
    model_eval_step(params.data(), buffers.data(), in, t, n, workspace.data(),
                    exec, &loss, logits.data());
    out.tensors.push_back(NamedTensor::fromF32("eval.loss", {}, &loss));
    out.tensors.push_back(
        NamedTensor::fromF32("eval.logits", logitsShape, logits.data()));
    std::memset(logits.data(), 0, sizeof(float) * n * model.num_classes);
    model_predict(params.data(), buffers.data(), in, n, workspace.data(), exec,
                  logits.data());
    out.tensors.push_back(
        NamedTensor::fromF32("predict.logits", logitsShape, logits.data()));
    writeSafetensors(argv[3], out);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
