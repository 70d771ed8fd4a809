//===- Layers.cpp - layer and function signatures -------------------------===//
//
// Signatures mirror PyTorch 1.13's constructors and torch.nn.functional for
// the parameters nncc supports, with PyTorch's defaults. Parameters PyTorch
// takes before a supported one (CrossEntropyLoss's `weight`) are not
// modelled, so the supported one is keyword-only here: a positional
// argument cannot silently mean something else than it does in PyTorch.
// Arguments PyTorch accepts but nncc does not implement (ceil_mode=true)
// are in the signature so that the error says "not supported" rather than
// "no such argument".
//
//===----------------------------------------------------------------------===//
#include "frontend/Layers.h"

namespace nncc {

namespace {

using K = LayerKind;
using T = ArgType;

ParamInfo req(const char *name, ArgType type) {
  return {name, type, /*required=*/true, /*keywordOnly=*/false, {}};
}
ParamInfo opt(const char *name, ArgType type, Const value) {
  return {name, type, false, false, std::move(value)};
}
ParamInfo kw(const char *name, ArgType type, Const value) {
  return {name, type, false, true, std::move(value)};
}
ParamInfo input() { return req("input", T::Tensor); }

Const i(int64_t v) { return Const::ofInt(v); }
Const f(double v) { return Const::ofFloat(v); }
Const b(bool v) { return Const::ofBool(v); }
Const s(const char *v) { return Const::ofString(v); }
Const none() { return Const::none(); }

/// `init=`, `init_a=`, `init_gain=`: nncc's extension for Linear and Conv2d,
/// standing for a torch.nn.init call on the weight after construction.
std::vector<ParamInfo> withInit(std::vector<ParamInfo> params) {
  params.push_back(kw("init", T::OptString, none()));
  params.push_back(kw("init_a", T::OptFloat, none()));
  params.push_back(kw("init_gain", T::OptFloat, none()));
  return params;
}

std::vector<ParamInfo> batchNormParams() {
  return {req("num_features", T::Int), opt("eps", T::Float, f(1e-5)),
          opt("momentum", T::OptFloat, f(0.1)), opt("affine", T::Bool, b(true)),
          opt("track_running_stats", T::Bool, b(true))};
}

const std::vector<LayerInfo> &layerTable() {
  static const std::vector<LayerInfo> table = {
      {K::Flatten,
       "Flatten",
       {opt("start_dim", T::Int, i(1)), opt("end_dim", T::Int, i(-1))},
       1,
       false,
       false},
      {K::Linear, "Linear",
       withInit({req("in_features", T::Int), req("out_features", T::Int),
                 opt("bias", T::Bool, b(true))}),
       1, false, false},
      {K::Conv2d, "Conv2d",
       withInit(
           {req("in_channels", T::Int), req("out_channels", T::Int),
            req("kernel_size", T::IntPair), opt("stride", T::IntPair, i(1)),
            opt("padding", T::Padding, i(0)), opt("dilation", T::IntPair, i(1)),
            opt("groups", T::Int, i(1)), opt("bias", T::Bool, b(true)),
            opt("padding_mode", T::String, s("zeros"))}),
       1, false, false},
      {K::BatchNorm1d, "BatchNorm1d", batchNormParams(), 1, false, false},
      {K::BatchNorm2d, "BatchNorm2d", batchNormParams(), 1, false, false},
      {K::ReLU, "ReLU", {opt("inplace", T::Bool, b(false))}, 1, false, false},
      {K::LeakyReLU,
       "LeakyReLU",
       {opt("negative_slope", T::Float, f(0.01)),
        opt("inplace", T::Bool, b(false))},
       1,
       false,
       false},
      {K::Sigmoid, "Sigmoid", {}, 1, false, false},
      {K::Tanh, "Tanh", {}, 1, false, false},
      {K::GELU,
       "GELU",
       {opt("approximate", T::String, s("none"))},
       1,
       false,
       false},
      {K::SiLU, "SiLU", {opt("inplace", T::Bool, b(false))}, 1, false, false},
      {K::Identity, "Identity", {}, 1, false, false},
      {K::Dropout,
       "Dropout",
       {opt("p", T::Float, f(0.5)), opt("inplace", T::Bool, b(false))},
       1,
       false,
       false},
      {K::MaxPool2d,
       "MaxPool2d",
       {req("kernel_size", T::IntPair), opt("stride", T::OptIntPair, none()),
        opt("padding", T::IntPair, i(0)), opt("dilation", T::IntPair, i(1)),
        opt("return_indices", T::Bool, b(false)),
        opt("ceil_mode", T::Bool, b(false))},
       1,
       false,
       false},
      {K::AvgPool2d,
       "AvgPool2d",
       {req("kernel_size", T::IntPair), opt("stride", T::OptIntPair, none()),
        opt("padding", T::IntPair, i(0)), opt("ceil_mode", T::Bool, b(false)),
        opt("count_include_pad", T::Bool, b(true)),
        opt("divisor_override", T::OptInt, none())},
       1,
       false,
       false},
      {K::AdaptiveAvgPool2d,
       "AdaptiveAvgPool2d",
       {req("output_size", T::IntPair)},
       1,
       false,
       false},
      // PyTorch's dim defaults to None with a deprecation warning; nncc
      // requires it, as that warning asks.
      {K::Softmax, "Softmax", {req("dim", T::Int)}, 1, false, false},
      {K::LogSoftmax, "LogSoftmax", {req("dim", T::Int)}, 1, false, false},
      {K::CrossEntropyLoss,
       "CrossEntropyLoss",
       {kw("reduction", T::String, s("mean")),
        kw("label_smoothing", T::Float, f(0.0))},
       2,
       true,
       false},
      // Sequential takes its layers as positional arguments; the module
      // resolver handles them, so the table lists no parameters.
      {K::Sequential, "Sequential", {}, 1, false, false},
  };
  return table;
}

/// torch.nn.functional (and torch.flatten), with the input first.
const std::vector<LayerInfo> &functionTable() {
  static const std::vector<LayerInfo> table = {
      {K::ReLU,
       "relu",
       {input(), opt("inplace", T::Bool, b(false))},
       1,
       false,
       true},
      {K::LeakyReLU,
       "leaky_relu",
       {input(), opt("negative_slope", T::Float, f(0.01)),
        opt("inplace", T::Bool, b(false))},
       1,
       false,
       true},
      {K::Sigmoid, "sigmoid", {input()}, 1, false, true},
      {K::Tanh, "tanh", {input()}, 1, false, true},
      {K::GELU,
       "gelu",
       {input(), opt("approximate", T::String, s("none"))},
       1,
       false,
       true},
      {K::SiLU,
       "silu",
       {input(), opt("inplace", T::Bool, b(false))},
       1,
       false,
       true},
      {K::Softmax, "softmax", {input(), req("dim", T::Int)}, 1, false, true},
      {K::LogSoftmax,
       "log_softmax",
       {input(), req("dim", T::Int)},
       1,
       false,
       true},
      // torch.flatten: unlike nn.Flatten, start_dim defaults to 0.
      {K::Flatten,
       "flatten",
       {input(), opt("start_dim", T::Int, i(0)), opt("end_dim", T::Int, i(-1))},
       1,
       false,
       true},
      // F.max_pool2d orders ceil_mode before return_indices, unlike the
      // module.
      {K::MaxPool2d,
       "max_pool2d",
       {input(), req("kernel_size", T::IntPair),
        opt("stride", T::OptIntPair, none()), opt("padding", T::IntPair, i(0)),
        opt("dilation", T::IntPair, i(1)), opt("ceil_mode", T::Bool, b(false)),
        opt("return_indices", T::Bool, b(false))},
       1,
       false,
       true},
      {K::AvgPool2d,
       "avg_pool2d",
       {input(), req("kernel_size", T::IntPair),
        opt("stride", T::OptIntPair, none()), opt("padding", T::IntPair, i(0)),
        opt("ceil_mode", T::Bool, b(false)),
        opt("count_include_pad", T::Bool, b(true)),
        opt("divisor_override", T::OptInt, none())},
       1,
       false,
       true},
      {K::AdaptiveAvgPool2d,
       "adaptive_avg_pool2d",
       {input(), req("output_size", T::IntPair)},
       1,
       false,
       true},
  };
  return table;
}

} // namespace

const LayerInfo *findLayer(const std::string &name) {
  for (const LayerInfo &layer : layerTable())
    if (name == layer.name)
      return &layer;
  return nullptr;
}

const LayerInfo *findFunction(const std::string &name) {
  for (const LayerInfo &function : functionTable())
    if (name == function.name)
      return &function;
  return nullptr;
}

const LayerInfo &internalLayer(LayerKind kind) {
  static const LayerInfo add = {K::Add, "Add", {}, 2, false, true};
  (void)kind; // Add is the only internal operation
  return add;
}

std::vector<std::string> layerNames() {
  std::vector<std::string> names;
  for (const LayerInfo &layer : layerTable())
    names.push_back(layer.name);
  return names;
}

std::vector<std::string> functionNames() {
  std::vector<std::string> names;
  for (const LayerInfo &function : functionTable())
    names.push_back(function.name);
  return names;
}

int64_t intArg(const BoundArgs &args, const std::string &name) {
  return args.at(name).value.intValue;
}

double floatArg(const BoundArgs &args, const std::string &name) {
  return args.at(name).value.asDouble();
}

bool boolArg(const BoundArgs &args, const std::string &name) {
  return args.at(name).value.boolValue;
}

std::string stringArg(const BoundArgs &args, const std::string &name) {
  return args.at(name).value.stringValue;
}

bool isNoneArg(const BoundArgs &args, const std::string &name) {
  return args.at(name).value.kind == Const::Kind::None;
}

std::array<int64_t, 2> pairArg(const BoundArgs &args, const std::string &name) {
  const Const &value = args.at(name).value;
  if (value.kind == Const::Kind::Tuple)
    return {value.elements[0].intValue, value.elements[1].intValue};
  return {value.intValue, value.intValue};
}

} // namespace nncc
