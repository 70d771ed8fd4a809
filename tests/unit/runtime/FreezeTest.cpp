//===- FreezeTest.cpp - frozen members are untouched by every optimizer ---===//
//
// Trains the FakeModel (softmax regression) with its bias frozen, the way a
// model.nn `frozen` member reaches the runtime: a table entry with frozen=1
// whose gradient slots generated code never writes (here: NaN garbage).
// With weight decay, momentum, Adam's moments and clipping all on, the
// frozen tensor must keep its bits, get no optimizer state, and not count
// in the gradient norm, while training still lowers the loss.
//
//===----------------------------------------------------------------------===//
#include "FakeModel.h"
#include "TestUtil.h"
#include "nncc/GradClip.h"
#include "nncc/OptimizerConfig.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace nncc;
using namespace nncc::test;

namespace {

class Freeze : public ::testing::TestWithParam<OptimizerKind> {};

TEST_P(Freeze, FrozenBiasKeepsItsBitsAndGetsNoState) {
  nncc_tensor_info table[2] = {fakeParams[0], fakeParams[1]};
  table[1].frozen = 1;
  nncc_model model = fakeModel;
  model.params = table;
  const int64_t n = model.param_count, biasAt = table[1].offset;

  OptimizerConfig c;
  c.kind = GetParam();
  c.lr = GetParam() == OptimizerKind::Sgd ? 0.1 : 0.01;
  c.momentum = 0.9;
  c.weightDecay = 0.05;
  c.amsgrad = true;
  auto opt = makeOptimizer(model, c);

  AlignedArray<float> params{size_t(n)}, grads{size_t(n)}, buffers{2};
  for (int64_t i = 0; i < n; ++i)
    params[size_t(i)] = float(std::cos(0.3 * double(i))) * 0.1f;
  float bias[kClasses];
  std::memcpy(bias, params.data() + biasAt, sizeof bias);

  // Eight images whose class is the quadrant of their brightest pixel.
  const int64_t batch = 8;
  std::vector<float> x(size_t(batch * kFeatures), 0.0f);
  std::vector<int64_t> y{std::vector<int64_t>(size_t(batch))};
  for (int64_t b = 0; b < batch; ++b) {
    y[size_t(b)] = b % kClasses;
    x[size_t(b * kFeatures + y[size_t(b)] * 5)] = 1.0f;
  }
  AlignedArray<float> workspace{size_t(batch * kClasses)},
      logits{size_t(batch * kClasses)};
  float first = 0, loss = 0;
  for (int step = 0; step < 30; ++step) {
    fakeTrainStep(params.data(), grads.data(), buffers.data(), x.data(),
                  y.data(), batch, 0, workspace.data(), nullptr, &loss,
                  logits.data());
    if (step == 0)
      first = loss;
    for (int k = 0; k < kClasses; ++k)
      grads[size_t(biasAt + k)] = NAN; // never written for a frozen tensor
    EXPECT_TRUE(std::isfinite(clipGradNorm(model, grads.data(), 1.0)));
    opt->step(params.data(), grads.data());
  }
  EXPECT_LT(loss, first);
  EXPECT_EQ(0, std::memcmp(bias, params.data() + biasAt, sizeof bias));
  TensorFile state;
  opt->saveState(state);
  EXPECT_GT(state.tensors.size(), 1u);
  for (const NamedTensor &t : state.tensors)
    EXPECT_EQ(t.name.find("fc.bias"), std::string::npos) << t.name;
}

INSTANTIATE_TEST_SUITE_P(Optimizers, Freeze,
                         ::testing::Values(OptimizerKind::Sgd,
                                           OptimizerKind::Adam,
                                           OptimizerKind::AdamW));

} // namespace
