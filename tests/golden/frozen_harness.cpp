//===- frozen_harness.cpp - a compiled model with a frozen member, trained
//-===//
//
// For optim-frozen.test: links against a model compiled with
// `--prefix=model` whose `features` member is `frozen`, and trains it for
// 30 steps on a fixed batch with each optimizer (weight decay, momentum or
// amsgrad, the no-decay split and clipping all on). The generated table is
// the only source of what is frozen; the gradient array is filled with NaN
// before each step, so a gradient slot that generated code does not write
// and an optimizer that read it would poison the weights. Prints one line
// per optimizer; exits 1 if a frozen tensor changed, one got optimizer
// state, a trainable one did not move, or the loss did not go down.
//
//===----------------------------------------------------------------------===//
#include "model.h"

#include <nncc/Aligned.h>
#include <nncc/Error.h>
#include <nncc/GradClip.h>
#include <nncc/Init.h>
#include <nncc/OptimizerConfig.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace nncc;

namespace {

bool train(OptimizerKind kind) {
  const nncc_model &m = model_model;
  AlignedArray<float> params(size_t(m.param_count)),
      grads(size_t(m.param_count)), buffers(size_t(m.buffer_count + 1));
  initParameters(m, params.data(), buffers.data(), /*seed=*/0);
  std::vector<float> initial(params.data(), params.data() + m.param_count);

  const int64_t batch = 16, pixels = 16;
  AlignedArray<float> input(static_cast<size_t>(batch * pixels));
  std::vector<int64_t> target(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b) {
    target[size_t(b)] = b % 3;
    for (int64_t i = 0; i < pixels; ++i)
      input[size_t(b * pixels + i)] =
          float(std::sin(0.9 * double(b * pixels + i))) +
          (i == target[size_t(b)] * 5 ? 2.0f : 0.0f);
  }
  AlignedArray<uint8_t> workspace(model_workspace_size(batch, 1));
  AlignedArray<float> logits(size_t(batch * m.num_classes));

  OptimizerConfig c;
  c.kind = kind;
  c.lr = kind == OptimizerKind::Sgd ? 0.05 : 0.01;
  c.momentum = 0.9;
  c.weightDecay = 0.01;
  c.amsgrad = true;
  c.noDecayNormBias = true;
  auto opt = makeOptimizer(m, c);
  float first = 0, loss = 0;
  for (int step = 0; step < 30; ++step) {
    for (int64_t i = 0; i < m.param_count; ++i)
      grads[size_t(i)] = NAN;
    m.train_step(params.data(), grads.data(), buffers.data(), input.data(),
                 target.data(), batch, 0, workspace.data(), nullptr, &loss,
                 logits.data());
    if (step == 0)
      first = loss;
    clipGradNorm(m, grads.data(), 1.0);
    opt->step(params.data(), grads.data());
  }

  bool ok = loss < first;
  int frozenSame = 0, frozen = 0, moved = 0, trainable = 0;
  for (int32_t i = 0; i < m.num_params; ++i) {
    const nncc_tensor_info &t = m.params[i];
    bool same = std::memcmp(params.data() + t.offset, initial.data() + t.offset,
                            size_t(t.numel) * 4) == 0;
    bool finite = true;
    for (int64_t k = 0; k < t.numel; ++k)
      finite &= std::isfinite(params[size_t(t.offset + k)]);
    ok &= finite;
    if (t.frozen) {
      ++frozen;
      frozenSame += same;
      ok &= same;
    } else {
      ++trainable;
      moved += !same;
      ok &= !same;
    }
  }
  TensorFile state;
  opt->saveState(state);
  int leaked = 0;
  for (const NamedTensor &t : state.tensors)
    leaked += t.name.find("features.") != std::string::npos;
  ok &= leaked == 0;
  std::printf("%s: loss %.4f -> %.4f, frozen unchanged %d/%d, trainable "
              "moved %d/%d, frozen state entries %d: %s\n",
              optimizerKindName(kind), first, loss, frozenSame, frozen, moved,
              trainable, leaked, ok ? "ok" : "FAIL");
  return ok;
}

} // namespace

int main() {
  try {
    bool ok = true;
    for (OptimizerKind k :
         {OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW})
      ok &= train(k);
    return ok ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
