//===- optim_harness.cpp - run the runtime's optimizers on recorded grads -===//
//
// For golden-optim.test: reads parameters ("param.<name>", in table order)
// and 100 steps of gradients ("grad.<k>.<name>") from a safetensors file,
// builds an optimizer and schedule with the factories the trainer uses, and
// writes the final parameters, the lr of every group at every step (as the
// I64 bits of the double) and the clipped total norms. It also replays the
// run with a save after half the steps and a load into fresh objects, and
// fails unless that ends on the same bits: resuming must be exact.
//
// Usage: optim_harness IN OUT key=value...; keys: optimizer, lr, momentum,
// dampening, nesterov, weight_decay, beta1, beta2, eps, amsgrad, groups
// (single|nodecay), group1_lr, clip, schedule (a parseSchedulerSpec value),
// epochs, frozen (a comma-separated list of names).
//
//===----------------------------------------------------------------------===//
#include <nncc/Error.h>
#include <nncc/GradClip.h>
#include <nncc/OptimizerConfig.h>
#include <nncc/ParamGroups.h>
#include <nncc/Safetensors.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

using namespace nncc;

namespace {

struct Run {
  std::vector<float> params;
  std::vector<int64_t> lrBits; // [step][group]
  std::vector<float> norms;
};

struct Setup {
  std::map<std::string, std::string> args;
  std::vector<nncc_tensor_info> table;
  std::vector<std::string> names; // owns the table's name strings
  int64_t slots = 0, steps = 0, epochs = 1;
  const TensorFile *in = nullptr;

  std::string get(const std::string &k, const std::string &d = "") const {
    auto it = args.find(k);
    return it == args.end() ? d : it->second;
  }
  double num(const std::string &k, double d) const {
    std::string v = get(k);
    return v.empty() ? d : std::stod(v);
  }
};

std::unique_ptr<Optimizer> makeOpt(const Setup &s) {
  OptimizerConfig c;
  c.kind = parseOptimizerKind(s.get("optimizer", "sgd"));
  if (!s.get("lr").empty())
    c.lr = s.num("lr", 0);
  if (!s.get("weight_decay").empty())
    c.weightDecay = s.num("weight_decay", 0);
  c.momentum = s.num("momentum", 0);
  c.dampening = s.num("dampening", 0);
  c.nesterov = s.get("nesterov") == "1";
  c.beta1 = s.num("beta1", 0.9);
  c.beta2 = s.num("beta2", 0.999);
  c.eps = s.num("eps", 1e-8);
  c.amsgrad = s.get("amsgrad") == "1";
  c.noDecayNormBias = s.get("groups") == "nodecay";
  auto opt = makeOptimizer(s.table.data(), int32_t(s.table.size()), s.slots, c);
  if (!s.get("group1_lr").empty())
    opt->setLr(1, s.num("group1_lr", 0));
  return opt;
}

std::unique_ptr<LrScheduler> makeSched(const Setup &s, Optimizer &opt) {
  return makeScheduler(opt, parseSchedulerSpec(s.get("schedule", "none")),
                       s.epochs, s.steps / s.epochs);
}

void loadGrads(const Setup &s, int64_t k, float *grads) {
  for (const nncc_tensor_info &t : s.table) {
    float *g = grads + t.offset;
    if (t.frozen) { // generated code never writes these slots
      for (int64_t i = 0; i < t.numel; ++i)
        g[i] = NAN;
      continue;
    }
    const NamedTensor *src =
        s.in->find("grad." + std::to_string(k) + "." + t.name);
    if (!src)
      throw Error("no gradient for " + std::string(t.name));
    std::memcpy(g, src->data.data(), size_t(t.numel) * 4);
  }
}

/// Steps [from, to) of the run on `opt`/`sched`, appending to `run`.
void steps(const Setup &s, Optimizer &opt, LrScheduler *sched, int64_t from,
           int64_t to, Run &run) {
  std::vector<float> grads(size_t(s.slots));
  double clip = s.num("clip", 0);
  bool perIteration =
      sched && (s.get("schedule").rfind("onecycle", 0) == 0 ||
                s.get("schedule").find("unit=iteration") != std::string::npos);
  int64_t perEpoch = s.steps / s.epochs;
  for (int64_t k = from; k < to; ++k) {
    loadGrads(s, k, grads.data());
    for (size_t g = 0; g < opt.numGroups(); ++g) {
      double lr = opt.lr(g);
      int64_t bits;
      std::memcpy(&bits, &lr, 8);
      run.lrBits.push_back(bits);
    }
    if (clip > 0)
      run.norms.push_back(clipGradNorm(s.table.data(), int32_t(s.table.size()),
                                       s.slots, grads.data(), clip));
    opt.step(run.params.data(), grads.data());
    if (sched && (perIteration || (k + 1) % perEpoch == 0))
      sched->step();
  }
}

int runMain(int argc, char **argv) {
  if (argc < 3)
    throw Error("usage: optim_harness IN OUT key=value...");
  Setup s;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos)
      throw Error("expected key=value, got '" + a + "'");
    s.args[a.substr(0, eq)] = a.substr(eq + 1);
  }
  TensorFile in = readSafetensors(argv[1]);
  s.in = &in;
  s.epochs = int64_t(s.num("epochs", 1));
  std::string frozen = "," + s.get("frozen") + ",";
  for (const NamedTensor &t : in.tensors)
    if (t.name.rfind("param.", 0) == 0)
      s.names.push_back(t.name.substr(6));
  for (const NamedTensor &t : in.tensors)
    if (t.name.rfind("grad.", 0) == 0)
      s.steps = std::max<int64_t>(s.steps, std::stoll(t.name.substr(5)) + 1);
  std::vector<float> init;
  for (const std::string &name : s.names) {
    const NamedTensor &p = *in.find("param." + name);
    nncc_tensor_info t{};
    t.name = name.c_str();
    t.rank = int32_t(p.shape.size());
    for (size_t d = 0; d < p.shape.size(); ++d)
      t.shape[d] = p.shape[d];
    t.numel = p.numel();
    t.offset = s.slots;
    t.frozen = frozen.find("," + name + ",") != std::string::npos;
    t.dtype = NNCC_DTYPE_F32;
    s.table.push_back(t);
    s.slots += (t.numel + 15) / 16 * 16; // 64-byte aligned, as the ABI
    init.resize(size_t(s.slots), 0.0f);
    std::memcpy(init.data() + t.offset, p.data.data(), size_t(t.numel) * 4);
  }

  Run straight{init, {}, {}}, resumed{init, {}, {}};
  auto opt = makeOpt(s);
  auto sched = makeSched(s, *opt);
  steps(s, *opt, sched.get(), 0, s.steps, straight);

  int64_t half = s.steps / 2;
  auto first = makeOpt(s);
  auto firstSched = makeSched(s, *first);
  steps(s, *first, firstSched.get(), 0, half, resumed);
  TensorFile state;
  first->saveState(state);
  if (firstSched)
    firstSched->saveState(state);
  std::string statePath = std::string(argv[2]) + ".state";
  writeSafetensors(statePath, state);
  auto second = makeOpt(s);
  auto secondSched = makeSched(s, *second);
  TensorFile loaded = readSafetensors(statePath);
  second->loadState(loaded, statePath);
  if (secondSched)
    secondSched->loadState(loaded, statePath);
  steps(s, *second, secondSched.get(), half, s.steps, resumed);
  if (std::memcmp(straight.params.data(), resumed.params.data(),
                  straight.params.size() * 4) != 0 ||
      straight.lrBits != resumed.lrBits)
    throw Error("resuming after " + std::to_string(half) +
                " steps does not give the straight run's bits");

  TensorFile out;
  for (const nncc_tensor_info &t : s.table)
    out.tensors.push_back(
        NamedTensor::fromF32("param." + std::string(t.name),
                             std::vector<int64_t>(t.shape, t.shape + t.rank),
                             straight.params.data() + t.offset));
  out.tensors.push_back(NamedTensor::fromI64(
      "lr", {s.steps, int64_t(opt->numGroups())}, straight.lrBits.data()));
  if (!straight.norms.empty())
    out.tensors.push_back(NamedTensor::fromF32(
        "norm", {int64_t(straight.norms.size())}, straight.norms.data()));
  writeSafetensors(argv[2], out);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return runMain(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
