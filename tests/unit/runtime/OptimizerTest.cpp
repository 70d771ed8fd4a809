//===- OptimizerTest.cpp - groups, factories and optimizer state files ----===//
//
// What all optimizers share: group checks, the factory's torch defaults,
// and state export/import. The resume tests run N steps straight and N/2 +
// save + load into a fresh optimizer + N/2, through safetensors bytes, and
// demand the same bits: that is what `nncc train --resume` relies on.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"
#include "nncc/Adam.h"
#include "nncc/OptimizerConfig.h"
#include "nncc/Sgd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace nncc;

namespace {

nncc_tensor_info tensor(const char *name, int32_t rank, int64_t d0, int64_t d1,
                        int64_t offset, int32_t frozen = 0) {
  nncc_tensor_info t{};
  t.name = name;
  t.rank = rank;
  t.shape[0] = d0;
  t.shape[1] = d1;
  t.offset = offset;
  t.numel = rank == 2 ? d0 * d1 : d0;
  t.frozen = frozen;
  t.dtype = NNCC_DTYPE_F32;
  return t;
}

// fc.weight [3, 5] at 0, fc.bias [3] at 16, frozen emb [4] at 32.
const nncc_tensor_info kTable[] = {tensor("fc.weight", 2, 3, 5, 0),
                                   tensor("fc.bias", 1, 3, 0, 16),
                                   tensor("emb", 1, 4, 0, 32, 1)};
constexpr int64_t kSlots = 36;

std::vector<float> gradsAt(int k) {
  std::vector<float> g(kSlots);
  for (int i = 0; i < kSlots; ++i)
    g[size_t(i)] = float(std::sin(0.7 * i + 1.3 * k));
  return g;
}

std::vector<float> initialParams() {
  std::vector<float> p(kSlots);
  for (int i = 0; i < kSlots; ++i)
    p[size_t(i)] = float(0.05 * i - 0.4);
  return p;
}

OptimizerConfig config(OptimizerKind kind) {
  OptimizerConfig c;
  c.kind = kind;
  c.lr = 0.03;
  c.momentum = 0.9;
  c.dampening = 0.1;
  c.weightDecay = 1e-2;
  c.amsgrad = true;
  c.noDecayNormBias = true;
  return c;
}

TensorFile roundTrip(const TensorFile &file) {
  std::vector<uint8_t> bytes = serializeSafetensors(file);
  return parseSafetensors(bytes.data(), bytes.size(), "state.safetensors");
}

class Resume : public ::testing::TestWithParam<OptimizerKind> {};

TEST_P(Resume, HalfSaveLoadHalfEqualsStraight) {
  std::vector<float> straight = initialParams(), resumed = initialParams();
  auto a = makeOptimizer(kTable, 3, kSlots, config(GetParam()));
  for (int k = 0; k < 8; ++k)
    a->step(straight.data(), gradsAt(k).data());

  auto b = makeOptimizer(kTable, 3, kSlots, config(GetParam()));
  for (int k = 0; k < 4; ++k)
    b->step(resumed.data(), gradsAt(k).data());
  b->setLr(1, 0.0123456789); // as a scheduler would have
  TensorFile state;
  b->saveState(state);
  b.reset();
  auto c = makeOptimizer(kTable, 3, kSlots, config(GetParam()));
  c->loadState(roundTrip(state), "state.safetensors");
  EXPECT_EQ(c->stepCount(), 4);
  EXPECT_EQ(c->lr(1), 0.0123456789);
  c->setLr(1, 0.03);
  for (int k = 4; k < 8; ++k)
    c->step(resumed.data(), gradsAt(k).data());
  EXPECT_EQ(0, std::memcmp(straight.data(), resumed.data(), 4 * kSlots));
}

INSTANTIATE_TEST_SUITE_P(Optimizers, Resume,
                         ::testing::Values(OptimizerKind::Sgd,
                                           OptimizerKind::Adam,
                                           OptimizerKind::AdamW));

TEST(OptimizerState, NamesFollowTorchAndSkipFrozenTensors) {
  std::vector<float> p = initialParams();
  auto adam = makeOptimizer(kTable, 3, kSlots, config(OptimizerKind::Adam));
  TensorFile before;
  adam->saveState(before);
  // torch creates state at the first step: only the counter exists before.
  ASSERT_EQ(before.tensors.size(), 1u);
  EXPECT_EQ(before.tensors[0].name, "optimizer.step");
  adam->step(p.data(), gradsAt(0).data());
  TensorFile state;
  adam->saveState(state, "opt/");
  std::vector<std::string> names;
  for (const NamedTensor &t : state.tensors)
    names.push_back(t.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "opt/step", "opt/exp_avg.fc.weight", "opt/exp_avg.fc.bias",
                "opt/exp_avg_sq.fc.weight", "opt/exp_avg_sq.fc.bias",
                "opt/max_exp_avg_sq.fc.weight", "opt/max_exp_avg_sq.fc.bias"}));
  EXPECT_EQ(state.find("opt/exp_avg.fc.weight")->shape,
            (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(state.metadata.at("opt/kind"), "adam");
  EXPECT_EQ(state.metadata.at("opt/lr.0"), "0.029999999999999999");
  EXPECT_EQ(state.metadata.at("opt/momentum.1"), "0.90000000000000002");
}

TEST(OptimizerState, BadFilesNameTheProblemAndChangeNothing) {
  std::vector<float> p = initialParams();
  auto sgd = makeOptimizer(kTable, 3, kSlots, config(OptimizerKind::Sgd));
  sgd->step(p.data(), gradsAt(0).data());
  TensorFile good;
  sgd->saveState(good);

  auto fresh = [] {
    return makeOptimizer(kTable, 3, kSlots, config(OptimizerKind::Sgd));
  };
  auto load = [&](const TensorFile &f) {
    auto o = fresh();
    std::string msg = test::errorOf([&] { o->loadState(f, "s.st"); });
    EXPECT_EQ(o->stepCount(), 0) << msg;
    EXPECT_EQ(o->lr(0), 0.03) << msg;
    return msg;
  };
  TensorFile f = good;
  f.metadata["optimizer.kind"] = "adam";
  EXPECT_EQ(load(f), "s.st: the optimizer state is adam's, this run uses sgd");

  f = good;
  f.metadata.erase("optimizer.lr.1");
  EXPECT_EQ(load(f), "s.st: the optimizer state has 1 parameter groups, this "
                     "run has 2");

  f = good;
  f.tensors.erase(f.tensors.begin() + 1); // momentum_buffer.fc.weight
  f.tensors.push_back(f.tensors.back());
  f.tensors.back().name = "optimizer.momentum_buffer.fc.weight";
  f.tensors.back().shape = {3};
  EXPECT_EQ(load(f), "s.st: 'optimizer.momentum_buffer.fc.weight' is F32 "
                     "[3], the parameter is F32 [3, 5]");

  f = good;
  f.tensors.push_back(f.tensors.back());
  f.tensors.back().name = "optimizer.momentum_buffer.emb";
  EXPECT_EQ(load(f), "s.st: unexpected optimizer state "
                     "'optimizer.momentum_buffer.emb' (saved for another "
                     "model or optimizer?)");

  f = good;
  f.tensors.erase(f.tensors.begin());
  EXPECT_EQ(load(f), "s.st: 'optimizer.step' is missing or not an I64 scalar");

  f = good;
  f.metadata["optimizer.lr.0"] = "fast";
  EXPECT_EQ(load(f), "s.st: optimizer.lr.0 is not a number: 'fast'");

  EXPECT_EQ(load(TensorFile{}),
            "s.st: no optimizer state ('optimizer.kind' is missing)");
}

TEST(OptimizerGroups, AreCheckedAgainstTheTable) {
  GroupOptions o;
  auto make = [&](std::vector<ParamGroup> groups) {
    return test::errorOf([&] { Sgd(kTable, 3, kSlots, std::move(groups)); });
  };
  EXPECT_EQ(make({{{0, 1}, o}, {{1}, o}}),
            "parameter 'fc.bias' is in parameter groups 0 and 1");
  EXPECT_EQ(make({{{3}, o}}),
            "parameter group 0 names tensor 3, but the model has 3");
  o.lr = -1;
  EXPECT_EQ(make({{{0}, GroupOptions{}}, {{1}, o}}),
            "invalid learning rate -1.000000 in parameter group 1");
}

TEST(OptimizerGroups, TensorsInNoGroupStayPut) {
  // As in torch, a parameter no group lists is not updated.
  std::vector<float> p = initialParams(), before = p;
  GroupOptions o;
  o.lr = 0.5;
  Sgd sgd(kTable, 3, kSlots, {{{1, 2}, o}});
  sgd.step(p.data(), gradsAt(0).data());
  EXPECT_EQ(0, std::memcmp(p.data(), before.data(), 4 * 15)); // fc.weight
  EXPECT_NE(p[16], before[16]);                               // fc.bias
}

TEST(OptimizerConfig, TorchDefaultsPerOptimizer) {
  OptimizerConfig c;
  c.kind = OptimizerKind::AdamW;
  auto adamw = makeOptimizer(kTable, 3, kSlots, c);
  EXPECT_STREQ(adamw->kind(), "adamw");
  EXPECT_EQ(adamw->lr(0), 1e-3);
  EXPECT_EQ(adamw->group(0).options.weightDecay, 1e-2);
  c.kind = OptimizerKind::Adam;
  EXPECT_EQ(makeOptimizer(kTable, 3, kSlots, c)->group(0).options.weightDecay,
            0.0);
  c.kind = OptimizerKind::Sgd;
  EXPECT_EQ(makeOptimizer(kTable, 3, kSlots, c)->lr(0), 0.05);
  EXPECT_EQ(parseOptimizerKind("adamw"), OptimizerKind::AdamW);
  EXPECT_EQ(test::errorOf([] { parseOptimizerKind("lamb"); }),
            "unknown optimizer 'lamb' (expected sgd, adam or adamw)");
}

TEST(OptimizerConfig, NoDecayGroupsTakeBiasesAndPatterns) {
  OptimizerConfig c = config(OptimizerKind::AdamW);
  auto o = makeOptimizer(kTable, 3, kSlots, c);
  ASSERT_EQ(o->numGroups(), 2u);
  EXPECT_EQ(o->group(0).tensors, (std::vector<int32_t>{0}));
  EXPECT_EQ(o->group(1).tensors, (std::vector<int32_t>{1}));
  EXPECT_EQ(o->group(1).options.weightDecay, 0.0);
  EXPECT_EQ(o->group(0).options.weightDecay, 1e-2);
  c.noDecayNormBias = false;
  c.noDecayPatterns = {"fc.w*"};
  o = makeOptimizer(kTable, 3, kSlots, c);
  EXPECT_EQ(o->group(0).tensors, (std::vector<int32_t>{1}));
  EXPECT_EQ(o->group(1).tensors, (std::vector<int32_t>{0}));
}

} // namespace
