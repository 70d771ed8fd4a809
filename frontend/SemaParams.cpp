//===- SemaParams.cpp - parameters and buffers of layers ------------------===//
//
// Each layer's tensors as PyTorch registers them: parameters, then buffers,
// named `<module path>.<name>`, with the init rule of the layer's
// reset_parameters(). Fans follow torch.nn.init._calculate_fan_in_and_
// fan_out: fan_in = size(1) * receptive field, fan_out = size(0) *
// receptive field.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

namespace {

struct InitOverride {
  InitKind kind;
  double param;
};

/// The weight's init rule: PyTorch's default, or the `init=` given.
InitOverride weightInit(const BoundArgs &args) {
  const Const &init = args.at("init").value;
  if (init.kind != Const::Kind::String)
    return {InitKind::KaimingUniformA5, 0.0};
  const std::string &rule = init.stringValue;
  const Const &a = args.at("init_a").value;
  const Const &gain = args.at("init_gain").value;
  double kaimingA = a.kind == Const::Kind::None ? 0.0 : a.asDouble();
  double xavierGain = gain.kind == Const::Kind::None ? 1.0 : gain.asDouble();
  if (rule == "kaiming_uniform")
    return {InitKind::KaimingUniform, kaimingA};
  if (rule == "kaiming_normal")
    return {InitKind::KaimingNormal, kaimingA};
  if (rule == "xavier_uniform")
    return {InitKind::XavierUniform, xavierGain};
  if (rule == "xavier_normal")
    return {InitKind::XavierNormal, xavierGain};
  if (rule == "ones")
    return {InitKind::Ones, 0.0};
  return {InitKind::Zeros, 0.0};
}

} // namespace

int Sema::addParam(Module &module, const std::string &name,
                   std::vector<int64_t> shape, InitKind init, int64_t fanIn,
                   int64_t fanOut) {
  Parameter param;
  param.name = qualify(module.path, name);
  param.shape = std::move(shape);
  param.init = init;
  param.fanIn = fanIn;
  param.fanOut = fanOut;
  param.frozen = freezing;
  param.loc = module.loc;
  module.params.push_back(static_cast<int>(graph.params.size()));
  graph.params.push_back(std::move(param));
  return module.params.back();
}

void Sema::addBuffer(Module &module, const std::string &name,
                     std::vector<int64_t> shape, DType dtype, InitKind init) {
  Buffer buffer;
  buffer.name = qualify(module.path, name);
  buffer.shape = std::move(shape);
  buffer.dtype = dtype;
  buffer.init = init;
  buffer.loc = module.loc;
  module.buffers.push_back(static_cast<int>(graph.buffers.size()));
  graph.buffers.push_back(std::move(buffer));
}

void Sema::createParams(Module &module) {
  const BoundArgs &args = module.args;
  switch (module.layer->kind) {
  case LayerKind::Linear:
  case LayerKind::Conv2d: {
    // Linear: weight [out, in]. Conv2d: weight [out, in / groups, kh, kw].
    bool conv = module.layer->kind == LayerKind::Conv2d;
    std::vector<int64_t> shape;
    int64_t receptive = 1;
    if (conv) {
      auto kernel = pairArg(args, "kernel_size");
      receptive = kernel[0] * kernel[1];
      shape = {intArg(args, "out_channels"),
               intArg(args, "in_channels") / intArg(args, "groups"), kernel[0],
               kernel[1]};
    } else {
      shape = {intArg(args, "out_features"), intArg(args, "in_features")};
    }
    int64_t fanIn = shape[1] * receptive, fanOut = shape[0] * receptive;
    InitOverride init = weightInit(args);
    int weight = addParam(module, "weight", shape, init.kind, fanIn, fanOut);
    graph.params[weight].initParam = init.param;
    // PyTorch's default bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with the
    // weight's fan_in, whatever the weight's init.
    if (boolArg(args, "bias"))
      addParam(module, "bias", {shape[0]}, InitKind::UniformFanIn, fanIn,
               fanOut);
    return;
  }
  case LayerKind::BatchNorm1d:
  case LayerKind::BatchNorm2d: {
    int64_t features = intArg(args, "num_features");
    if (boolArg(args, "affine")) {
      addParam(module, "weight", {features}, InitKind::Ones, 0, 0);
      addParam(module, "bias", {features}, InitKind::Zeros, 0, 0);
    }
    if (boolArg(args, "track_running_stats")) {
      addBuffer(module, "running_mean", {features}, DType::F32,
                InitKind::Zeros);
      addBuffer(module, "running_var", {features}, DType::F32, InitKind::Ones);
      addBuffer(module, "num_batches_tracked", {}, DType::I64, InitKind::Zeros);
    }
    return;
  }
  default:
    return;
  }
}

} // namespace nncc
