//===- ConvShapes.cpp - result types of image layers ----------------------===//
//
// Conv2d, BatchNorm, pooling: [N, C, H, W] in, PyTorch's output size
//   out = floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
// and an error in the user's terms when it drops below 1 ("MaxPool2d(2) on
// 1x1 produces 0x0; 'features.6' receives f32[N, 64, 1, 1] from
// 'features.5' (ReLU)"). Sizes are computed in 128 bits: arguments are
// user integers up to 2^63.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

namespace {

/// PyTorch's output size along one dimension, or 0 if the window does not
/// fit; huge results saturate past kMaxElements.
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padding, int64_t dilation) {
  __int128 span = static_cast<__int128>(in) +
                  2 * static_cast<__int128>(padding) -
                  static_cast<__int128>(dilation) * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  __int128 out = span / stride + 1;
  return out > kMaxElements ? kMaxElements + 1 : static_cast<int64_t>(out);
}

std::string hw(int64_t h, int64_t w) {
  return std::to_string(h) + "x" + std::to_string(w);
}

} // namespace

/// The input must be [N, C, H, W]; with `channels`, C is that argument.
bool Sema::checkImage(const Module &module, const Operand &input,
                      const char *channels) {
  const TensorType &type = graph.values[input.value].type;
  if (type.shape.size() == 4 && type.shape[0] == kBatchDim)
    return true;
  std::string c = channels ? std::to_string(intArg(module.args, channels))
                           : std::string("C");
  operandError(module, input, module.loc,
               formatLayer(module) + " expects an input of shape [N, " + c +
                   ", H, W]; " + describe(input) + " " + verb(input, "is") +
                   " " + formatType(type));
  return false;
}

bool Sema::checkChannels(const Module &module, const Operand &input,
                         const char *arg, const char *what) {
  const TensorType &type = graph.values[input.value].type;
  const ArgValue &expected = module.args.at(arg);
  if (type.shape[1] == expected.value.intValue)
    return true;
  std::string noun = what;
  if (expected.value.intValue == 1)
    noun.pop_back(); // "1 input channel"
  operandError(module, input, expected.loc,
               formatLayer(module) + " expects " +
                   std::to_string(expected.value.intValue) + " " + noun + "; " +
                   describe(input) + " " + verb(input, "has") + " " +
                   std::to_string(type.shape[1]));
  return false;
}

/// [N, channels, h, w] from an image input, or an error if the window left
/// no output or too large a one (a convolution's output channels count).
std::optional<TensorType> Sema::spatialResult(const Module &module,
                                              const Operand &input,
                                              std::array<int64_t, 2> size,
                                              int64_t channels) {
  TensorType result = graph.values[input.value].type;
  int64_t h = result.shape[2], w = result.shape[3];
  if (size[0] < 1 || size[1] < 1) {
    std::string message = formatLayer(module) + " on " + hw(h, w) +
                          " produces " + hw(size[0], size[1]) + "; " +
                          describeSource(module, input);
    if (input.direct) {
      operandError(module, input, module.loc, message);
    } else {
      diags.error(module.loc, message);
    }
    return std::nullopt;
  }
  result.shape[1] = channels;
  result.shape[2] = size[0];
  result.shape[3] = size[1];
  if (!elementsPerItem(result.shape)) {
    diags.error(module.loc, formatLayer(module) + " on " + hw(h, w) +
                                " produces a tensor larger than 2^40 "
                                "elements per batch item");
    return std::nullopt;
  }
  return result;
}

std::optional<TensorType> Sema::inferConv(const Module &module,
                                          const Operand &input, Node &node) {
  const BoundArgs &args = module.args;
  if (!checkImage(module, input, "in_channels") ||
      !checkChannels(module, input, "in_channels", "input channels"))
    return std::nullopt;
  auto kernel = pairArg(args, "kernel_size");
  auto stride = pairArg(args, "stride");
  auto dilation = pairArg(args, "dilation");
  std::array<int64_t, 2> padding{0, 0};
  const Const &paddingArg = args.at("padding").value;
  if (paddingArg.kind != Const::Kind::String)
    padding = pairArg(args, "padding");
  else if (paddingArg.stringValue == "same") // odd windows only, stride 1
    for (int i = 0; i < 2; ++i)
      padding[i] = dilation[i] * (kernel[i] - 1) / 2;
  const TensorType &type = graph.values[input.value].type;
  std::array<int64_t, 2> size;
  for (int i = 0; i < 2; ++i)
    size[i] = windowOutput(type.shape[2 + i], kernel[i], stride[i], padding[i],
                           dilation[i]);
  std::optional<TensorType> result =
      spatialResult(module, input, size, intArg(args, "out_channels"));
  if (!result)
    return std::nullopt;
  node.intAttrs = {{"stride_h", stride[0]},
                   {"stride_w", stride[1]},
                   {"pad_h", padding[0]},
                   {"pad_w", padding[1]},
                   {"dilation_h", dilation[0]},
                   {"dilation_w", dilation[1]},
                   {"groups", intArg(args, "groups")}};
  return result;
}

std::optional<TensorType>
Sema::inferBatchNorm(const Module &module, const Operand &input, Node &node) {
  const BoundArgs &args = module.args;
  const TensorType &type = graph.values[input.value].type;
  bool is2d = module.layer->kind == LayerKind::BatchNorm2d;
  size_t rank = type.shape.size();
  bool rankOk = is2d ? rank == 4 : rank == 2 || rank == 3;
  if (!rankOk || type.shape[0] != kBatchDim) {
    std::string c = std::to_string(intArg(args, "num_features"));
    operandError(module, input, module.loc,
                 formatLayer(module) + " expects an input of shape " +
                     (is2d ? "[N, " + c + ", H, W]"
                           : "[N, " + c + "] or [N, " + c + ", L]") +
                     "; " + describe(input) + " " + verb(input, "is") + " " +
                     formatType(type));
    return std::nullopt;
  }
  if (!checkChannels(module, input, "num_features", "channels"))
    return std::nullopt;
  node.floatAttrs = {{"eps", floatArg(args, "eps")},
                     {"momentum", floatArg(args, "momentum")}};
  node.intAttrs = {
      {"affine", boolArg(args, "affine")},
      {"track_running_stats", boolArg(args, "track_running_stats")}};
  return type;
}

std::optional<TensorType> Sema::inferPool(const Module &module,
                                          const Operand &input, Node &node) {
  const BoundArgs &args = module.args;
  if (!checkImage(module, input, nullptr))
    return std::nullopt;
  auto kernel = pairArg(args, "kernel_size");
  // PyTorch: stride=None means the window's size.
  auto stride = isNoneArg(args, "stride") ? kernel : pairArg(args, "stride");
  auto padding = pairArg(args, "padding");
  const TensorType &type = graph.values[input.value].type;
  std::array<int64_t, 2> size;
  for (int i = 0; i < 2; ++i)
    size[i] =
        windowOutput(type.shape[2 + i], kernel[i], stride[i], padding[i], 1);
  std::optional<TensorType> result =
      spatialResult(module, input, size, type.shape[1]);
  if (!result)
    return std::nullopt;
  node.intAttrs = {{"kernel_h", kernel[0]}, {"kernel_w", kernel[1]},
                   {"stride_h", stride[0]}, {"stride_w", stride[1]},
                   {"pad_h", padding[0]},   {"pad_w", padding[1]}};
  if (module.layer->kind == LayerKind::AvgPool2d) {
    node.intAttrs["count_include_pad"] = 1;
    node.intAttrs["ceil_mode"] = 0;
  }
  return result;
}

std::optional<TensorType> Sema::inferAdaptivePool(const Module &module,
                                                  const Operand &input) {
  if (!checkImage(module, input, nullptr))
    return std::nullopt;
  TensorType result = graph.values[input.value].type;
  result.shape[2] = result.shape[3] = 1;
  return result;
}

} // namespace nncc
