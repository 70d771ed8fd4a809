//===- LayerArgs.cpp - check layer arguments at their definition ----------===//
//
// What PyTorch's constructors reject, and what nncc does not implement yet,
// reported at the argument. Checks that need the input (shapes, Flatten's
// dimensions, output sizes) happen when the layer is applied.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

namespace {

std::string formatNumber(double value) {
  return formatConst(Const::ofFloat(value));
}

} // namespace

/// `arg` (an int, or each half of a pair) must be at least `min`.
bool Sema::checkPositive(const Module &module, const char *arg, bool pair,
                         int64_t min) {
  const ArgValue &value = module.args.at(arg);
  std::array<int64_t, 2> values =
      pair ? pairArg(module.args, arg)
           : std::array<int64_t, 2>{value.value.intValue, value.value.intValue};
  if (values[0] >= min && values[1] >= min)
    return true;
  diags.error(value.loc, std::string(arg) + " of " + module.layer->name +
                             " must be " +
                             (min == 0 ? "non-negative" : "positive") +
                             ", found " + formatConst(value.value));
  return false;
}

bool Sema::checkLayerArgs(const Module &module) {
  const BoundArgs &args = module.args;
  const char *name = module.layer->name;
  auto unsupported = [&](const char *arg, const std::string &why) {
    diags.error(args.at(arg).loc, std::string(arg) + "=" +
                                      formatConst(args.at(arg).value) +
                                      " is not supported" + why);
    return false;
  };
  switch (module.layer->kind) {
  case LayerKind::Linear: {
    bool ok = checkPositive(module, "in_features", false, 1);
    ok &= checkPositive(module, "out_features", false, 1);
    if (ok && !elementsPerItem({intArg(args, "in_features"),
                                intArg(args, "out_features")})) {
      diags.error(module.loc, formatLayer(module) +
                                  " is too large; the limit is 2^40 weights");
      ok = false;
    }
    return checkInitArgs(module) && ok;
  }
  case LayerKind::Conv2d:
    return checkConvArgs(module);
  case LayerKind::BatchNorm1d:
  case LayerKind::BatchNorm2d: {
    bool ok = checkPositive(module, "num_features", false, 1);
    if (floatArg(args, "eps") < 0) {
      diags.error(args.at("eps").loc, std::string("eps of ") + name +
                                          " must be non-negative, found " +
                                          formatNumber(floatArg(args, "eps")));
      ok = false;
    }
    if (isNoneArg(args, "momentum"))
      return unsupported("momentum", " (a cumulative moving average); give "
                                     "a number between 0.0 and 1.0");
    double momentum = floatArg(args, "momentum");
    if (!(momentum >= 0.0 && momentum <= 1.0)) {
      diags.error(args.at("momentum").loc,
                  "momentum must be between 0.0 and 1.0, found " +
                      formatNumber(momentum));
      ok = false;
    }
    return ok;
  }
  case LayerKind::GELU:
    if (stringArg(args, "approximate") != "none")
      return unsupported("approximate", "; only \"none\" (the exact, erf "
                                        "form) is");
    return true;
  case LayerKind::Dropout: {
    double p = floatArg(args, "p");
    if (p >= 0.0 && p <= 1.0)
      return true;
    diags.error(args.at("p").loc,
                "dropout probability has to be between 0 and 1, found " +
                    formatNumber(p));
    return false;
  }
  case LayerKind::MaxPool2d:
  case LayerKind::AvgPool2d:
    return checkPoolArgs(module);
  case LayerKind::AdaptiveAvgPool2d:
    if (pairArg(args, "output_size") == std::array<int64_t, 2>{1, 1})
      return true;
    diags.error(args.at("output_size").loc,
                std::string(name) + " with output_size=" +
                    formatConst(args.at("output_size").value) +
                    " is not supported yet; only 1 (global average pooling) "
                    "is");
    return false;
  case LayerKind::CrossEntropyLoss: {
    bool ok = true;
    double smoothing = floatArg(args, "label_smoothing");
    if (!(smoothing >= 0.0 && smoothing <= 1.0)) {
      diags.error(args.at("label_smoothing").loc,
                  "label_smoothing must be between 0.0 and 1.0, found " +
                      formatNumber(smoothing));
      ok = false;
    }
    if (stringArg(args, "reduction") != "mean") {
      diags.error(args.at("reduction").loc,
                  "reduction=\"" + stringArg(args, "reduction") +
                      "\" is not supported; only \"mean\" is");
      ok = false;
    }
    return ok;
  }
  case LayerKind::Flatten:
  case LayerKind::Softmax:
  case LayerKind::LogSoftmax:
    // Dimensions can only be checked against an input.
  case LayerKind::ReLU:
  case LayerKind::LeakyReLU:
  case LayerKind::Sigmoid:
  case LayerKind::Tanh:
  case LayerKind::SiLU:
  case LayerKind::Identity:
  case LayerKind::Sequential:
  case LayerKind::Add:
    return true;
  }
  return true;
}

bool Sema::checkConvArgs(const Module &module) {
  const BoundArgs &args = module.args;
  bool ok = checkPositive(module, "in_channels", false, 1);
  ok &= checkPositive(module, "out_channels", false, 1);
  ok &= checkPositive(module, "kernel_size", true, 1);
  ok &= checkPositive(module, "stride", true, 1);
  ok &= checkPositive(module, "dilation", true, 1);
  ok &= checkPositive(module, "groups", false, 1);
  const ArgValue &padding = args.at("padding");
  if (padding.value.kind == Const::Kind::String) {
    const std::string &mode = padding.value.stringValue;
    if (mode != "same" && mode != "valid") {
      diags.error(padding.loc, "invalid padding string \"" + mode +
                                   "\"; expected \"same\" or \"valid\"");
      ok = false;
    } else if (mode == "same" &&
               pairArg(args, "stride") != std::array<int64_t, 2>{1, 1}) {
      diags.error(padding.loc, "padding=\"same\" is not supported for "
                               "strided convolutions");
      ok = false;
    } else if (mode == "same" && ok) {
      // PyTorch pads the extra row/column of an even window on one side;
      // nncc's convolution pads symmetrically.
      auto kernel = pairArg(args, "kernel_size");
      auto dilation = pairArg(args, "dilation");
      for (int i = 0; i < 2; ++i)
        if ((dilation[i] * (kernel[i] - 1)) % 2 != 0) {
          diags.error(padding.loc,
                      "padding=\"same\" with an even kernel needs uneven "
                      "padding, which is not supported yet");
          ok = false;
          break;
        }
    }
  } else {
    ok &= checkPositive(module, "padding", true, 0);
  }
  if (stringArg(args, "padding_mode") != "zeros") {
    diags.error(args.at("padding_mode").loc,
                "padding_mode=\"" + stringArg(args, "padding_mode") +
                    "\" is not supported; only \"zeros\" is");
    ok = false;
  }
  if (!ok)
    return false;
  int64_t groups = intArg(args, "groups");
  for (const char *channels : {"in_channels", "out_channels"})
    if (intArg(args, channels) % groups != 0) {
      diags.error(args.at(channels).loc,
                  std::string(channels) + " must be divisible by groups; " +
                      formatLayer(module) + " has " + channels + "=" +
                      std::to_string(intArg(args, channels)) +
                      " and groups=" + std::to_string(groups));
      ok = false;
    }
  auto kernel = pairArg(args, "kernel_size");
  if (ok && !elementsPerItem({intArg(args, "out_channels"),
                              intArg(args, "in_channels") / groups, kernel[0],
                              kernel[1]})) {
    diags.error(module.loc, formatLayer(module) +
                                " is too large; the limit is 2^40 weights");
    ok = false;
  }
  return checkInitArgs(module) && ok;
}

bool Sema::checkPoolArgs(const Module &module) {
  const BoundArgs &args = module.args;
  bool isMax = module.layer->kind == LayerKind::MaxPool2d;
  bool ok = checkPositive(module, "kernel_size", true, 1);
  if (!isNoneArg(args, "stride"))
    ok &= checkPositive(module, "stride", true, 1);
  ok &= checkPositive(module, "padding", true, 0);
  auto flagError = [&](const char *arg, const char *why) {
    diags.error(args.at(arg).loc, std::string(arg) + "=" +
                                      formatConst(args.at(arg).value) +
                                      " is not supported" + why);
    ok = false;
  };
  if (boolArg(args, "ceil_mode"))
    flagError("ceil_mode", " yet");
  if (isMax) {
    if (pairArg(args, "dilation") != std::array<int64_t, 2>{1, 1})
      flagError("dilation", " yet; only 1 is");
    if (boolArg(args, "return_indices"))
      flagError("return_indices", "");
  } else {
    if (!boolArg(args, "count_include_pad"))
      flagError("count_include_pad", " yet");
    if (!isNoneArg(args, "divisor_override"))
      flagError("divisor_override", " yet");
  }
  if (!ok)
    return false;
  // PyTorch: the padding is at most half the window.
  auto kernel = pairArg(args, "kernel_size");
  auto padding = pairArg(args, "padding");
  for (int i = 0; i < 2; ++i)
    if (padding[i] > kernel[i] / 2) {
      diags.error(args.at("padding").loc,
                  "padding of " + std::string(module.layer->name) +
                      " must be at most half the kernel size; " +
                      formatLayer(module) + " has padding " +
                      std::to_string(padding[i]) + " and kernel size " +
                      std::to_string(kernel[i]));
      return false;
    }
  return true;
}

/// `init=` replaces the weight's default initialisation; `init_a=` and
/// `init_gain=` parametrise it as torch.nn.init's `a` and `gain`.
bool Sema::checkInitArgs(const Module &module) {
  const BoundArgs &args = module.args;
  const ArgValue &init = args.at("init");
  std::string rule = init.value.kind == Const::Kind::String
                         ? init.value.stringValue
                         : std::string();
  static const char *const rules[] = {"kaiming_uniform", "kaiming_normal",
                                      "xavier_uniform",  "xavier_normal",
                                      "zeros",           "ones"};
  bool known = rule.empty();
  for (const char *name : rules)
    known |= rule == name;
  if (!known) {
    diags.error(init.loc, "unknown init \"" + rule +
                              "\"; expected \"kaiming_uniform\", "
                              "\"kaiming_normal\", \"xavier_uniform\", "
                              "\"xavier_normal\", \"zeros\" or \"ones\"");
    return false;
  }
  bool ok = true;
  for (auto [arg, family] :
       {std::pair<const char *, const char *>{"init_a", "kaiming"},
        {"init_gain", "xavier"}}) {
    const ArgValue &value = args.at(arg);
    if (value.value.kind == Const::Kind::None || rule.rfind(family, 0) == 0)
      continue;
    diags.error(value.loc, std::string(arg) + " applies to init=\"" + family +
                               "_uniform\" or \"" + family + "_normal\" only");
    ok = false;
  }
  return ok;
}

} // namespace nncc
