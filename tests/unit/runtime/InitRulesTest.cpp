//===- InitRulesTest.cpp - kaiming/xavier rules against torch.nn.init -----===//
//
// One table exercising every torch.nn.init rule, both normal_ paths and the
// Box-Muller value torch's generator keeps between small tensors. Expected
// values from torch 1.13.1 (x86, AVX2), `fnv` as test::fnv1a:
//   torch.manual_seed(3)
//   a = torch.empty(4, 4);   init.kaiming_normal_(a, a=0)
//   c = torch.empty(1, 3);   init.kaiming_normal_(c, a=0.2)
//   b = torch.empty(17, 1);  init.xavier_normal_(b, gain=1.0)
//   d = torch.empty(5, 1);   init.xavier_normal_(d, gain=0.5)
//   e = torch.empty(25, 4);  init.kaiming_uniform_(e, a=0)
//   f = torch.empty(10, 10); init.xavier_uniform_(f, gain=math.sqrt(2))
//   g = torch.empty(64, 72); init.kaiming_normal_(g, a=1.5)
//   h = torch.empty(100, 1); init.xavier_normal_(h, gain=2.0)
//   for t in a, c, …: print(hex(fnv(t)), float(t[0, 0]).hex(), …)
//   print(torch.empty((), dtype=torch.int64).random_())
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"
#include "nncc/Init.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace nncc;

namespace {

/// A Linear-like [rows, cols] weight: fan_in = cols, fan_out = rows, as
/// torch's _calculate_fan_in_and_fan_out gives them.
nncc_tensor_info rule(const char *name, int64_t rows, int64_t cols,
                      int64_t offset, int32_t init, double param) {
  nncc_tensor_info t = {};
  t.name = name;
  t.rank = 2;
  t.shape[0] = rows;
  t.shape[1] = cols;
  t.offset = offset;
  t.numel = rows * cols;
  t.init = init;
  t.fan_in = cols;
  t.fan_out = rows;
  t.dtype = NNCC_DTYPE_F32;
  t.init_param = param;
  return t;
}

struct RulesModel {
  nncc_tensor_info params[8] = {
      rule("a", 4, 4, 0, NNCC_INIT_KAIMING_NORMAL, 0.0),
      rule("c", 1, 3, 16, NNCC_INIT_KAIMING_NORMAL, 0.2),
      rule("b", 17, 1, 32, NNCC_INIT_XAVIER_NORMAL, 1.0),
      rule("d", 5, 1, 64, NNCC_INIT_XAVIER_NORMAL, 0.5),
      rule("e", 25, 4, 80, NNCC_INIT_KAIMING_UNIFORM, 0.0),
      rule("f", 10, 10, 192, NNCC_INIT_XAVIER_UNIFORM, std::sqrt(2.0)),
      rule("g", 64, 72, 304, NNCC_INIT_KAIMING_NORMAL, 1.5),
      rule("h", 100, 1, 4912, NNCC_INIT_XAVIER_NORMAL, 2.0)};
  nncc_model model = {};
  RulesModel() {
    model.name = "rules";
    model.params = params;
    model.num_params = 8;
    model.param_count = 5012;
  }
  RulesModel(const RulesModel &) = delete; // model points into this object
};

struct Expected {
  uint64_t hash;
  float first, last;
};

TEST(InitRules, EqualPyTorchBitForBit) {
  RulesModel m;
  std::vector<float> p(5012);
  TorchGenerator g(3);
  initParameters(m.model, p.data(), nullptr, g);
  const Expected expected[8] = {
      {0xc78f49cf3b67c458u, -0x1.bbf89ep-5f, 0x1.2d74c0p-2f},
      // c and d: the scalar path; d starts with the value c left behind.
      {0x3bb472b90fed56bfu, -0x1.262900p+0f, 0x1.ac0180p-2f},
      {0x47a0d2a472244a30u, 0x1.14363ap-3f, 0x1.46ec22p-2f},
      {0xa6e20251869284e0u, 0x1.6deeacp-2f, 0x1.9e08a8p-3f},
      {0xb5cfa8c42a1345eau, -0x1.03af60p+0f, -0x1.06fef4p+0f},
      {0xf22a1607698618a3u, -0x1.7fc1dcp-1f, -0x1.9de468p-4f},
      {0x9e81aa5ad0b49a63u, -0x1.6dc59ep-6f, 0x1.f4eea0p-5f},
      {0xefc5d7f3d8115b8du, -0x1.aee4e0p-3f, -0x1.524fecp-2f}};
  for (int i = 0; i < 8; ++i) {
    const nncc_tensor_info &t = m.params[i];
    const float *v = p.data() + t.offset;
    EXPECT_EQ(v[0], expected[i].first) << t.name;
    EXPECT_EQ(v[t.numel - 1], expected[i].last) << t.name;
    EXPECT_EQ(test::fnv1a(v, t.numel), expected[i].hash) << t.name;
  }
  // The stream is where torch's is after the last initialisation.
  EXPECT_EQ(g.int64Seed(), 4829517324938677946u);
}

TEST(InitRules, ZeroElementTensorsDrawNothing) {
  RulesModel m;
  for (nncc_tensor_info &t : m.params) {
    t.shape[0] = 0;
    t.numel = 0;
  }
  std::vector<float> p(5012);
  TorchGenerator g(3), fresh(3);
  initParameters(m.model, p.data(), nullptr, g);
  EXPECT_EQ(g.random(), fresh.random());
}

TEST(InitRules, RejectFansTheyCannotUse) {
  RulesModel m;
  std::vector<float> p(5012);
  m.params[0].fan_in = 0;
  std::string msg =
      test::errorOf([&] { initParameters(m.model, p.data(), nullptr, 0); });
  EXPECT_NE(msg.find("parameter 'a' has fan_in 0"), std::string::npos) << msg;
  RulesModel nan;
  nan.params[5].init_param = NAN;
  msg = test::errorOf([&] { initParameters(nan.model, p.data(), nullptr, 0); });
  EXPECT_NE(msg.find("'f' has a non-finite init parameter"), std::string::npos)
      << msg;
}

} // namespace
