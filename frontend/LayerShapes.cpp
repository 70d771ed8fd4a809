//===- LayerShapes.cpp - result types of layers ---------------------------===//
//
// One rule per layer type: check the operand types and compute the result.
// Messages speak of the layer as written and of the operand by the name the
// user knows it by, e.g. "Linear(3136, 128) expects 3136 input features;
// 'layers.0' (Flatten) produces 784". ConvShapes.cpp has the image layers.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

std::string Sema::describeValue(int value) const {
  if (!displayNames[value].empty() || !producers[value])
    return "'" + displayNames[value] + "'";
  const Module &producer = *producers[value];
  if (producer.layer && producer.layer->functional)
    return producer.text;
  return "'" + producer.path + "' (" +
         (producer.layer ? producer.layer->name : producer.block->name) + ")";
}

/// Named values "are" something; layer outputs are "produced".
const char *Sema::verb(int value, const char *named) const {
  return !displayNames[value].empty() || !producers[value] ? named : "produces";
}

/// An operand by the name its forward statement uses (`x` inside a block,
/// even if the caller calls it `image`).
std::string Sema::describe(const Operand &operand) const {
  return operand.name.empty() ? describeValue(operand.value)
                              : "'" + operand.name + "'";
}

const char *Sema::verb(const Operand &operand, const char *named) const {
  return operand.name.empty() ? verb(operand.value, named) : named;
}

/// Where a layer's input comes from, for messages about its size: "'x' is
/// f32[...]" when a forward statement names it, "'s.2' receives f32[...]
/// from 's.1' (MaxPool2d)" inside a Sequential.
std::string Sema::describeSource(const Module &module,
                                 const Operand &operand) const {
  const TensorType &type = graph.values[operand.value].type;
  if (operand.direct)
    return describe(operand) + " " + verb(operand, "is") + " " +
           formatType(type);
  return "'" + module.path + "' receives " + formatType(type) + " from " +
         describe(operand);
}

/// Reports a problem with an operand where the user can fix it: at the
/// operand when the forward statement names it (with a note at the layer),
/// otherwise at `layerLoc` inside the layer's definition.
void Sema::operandError(const Module &module, const Operand &operand,
                        const SourceLoc &layerLoc, const std::string &message,
                        const char *site, unsigned siteLine) {
  if (!operand.direct) {
    diags.error(layerLoc, message, site, siteLine);
    return;
  }
  diags.error(operand.loc, message, site, siteLine);
  if (!module.layer->functional)
    diags.note(module.loc, "'" + module.path + "' is defined here");
}

/// Reports a layer argument that does not fit its input (Flatten's
/// dimensions), at the argument, noting where the input came from.
void Sema::argumentError(const Module &module, const Operand &operand,
                         const SourceLoc &argLoc, const std::string &message,
                         const char *site, unsigned siteLine) {
  diags.error(argLoc, message, site, siteLine);
  if (operand.direct && !module.layer->functional)
    diags.note(operand.loc, "'" + module.path + "' is applied to " +
                                describe(operand) + " here");
}

std::optional<TensorType>
Sema::inferResult(const Module &module, const std::vector<Operand> &operands,
                  Node &node) {
  const Operand &input = operands[0];
  const TensorType &type = graph.values[input.value].type;
  const BoundArgs &args = module.args;
  if (module.layer->kind != LayerKind::CrossEntropyLoss &&
      type.dtype != DType::F32) {
    operandError(module, input, module.loc,
                 std::string(module.layer->name) + " expects an f32 input; " +
                     describe(input) + " " + verb(input, "is") + " " +
                     formatType(type));
    return std::nullopt;
  }
  switch (module.layer->kind) {
  case LayerKind::Flatten:
    return inferFlatten(module, input, node);
  case LayerKind::Linear:
    return inferLinear(module, input);
  case LayerKind::Conv2d:
    return inferConv(module, input, node);
  case LayerKind::BatchNorm1d:
  case LayerKind::BatchNorm2d:
    return inferBatchNorm(module, input, node);
  case LayerKind::MaxPool2d:
  case LayerKind::AvgPool2d:
    return inferPool(module, input, node);
  case LayerKind::AdaptiveAvgPool2d:
    return inferAdaptivePool(module, input);
  case LayerKind::Softmax:
  case LayerKind::LogSoftmax:
    return inferSoftmax(module, input, node);
  case LayerKind::LeakyReLU:
    node.floatAttrs["negative_slope"] = floatArg(args, "negative_slope");
    return type;
  case LayerKind::Dropout:
    node.floatAttrs["p"] = floatArg(args, "p");
    return type;
  case LayerKind::ReLU:
  case LayerKind::Sigmoid:
  case LayerKind::Tanh:
  case LayerKind::GELU:
  case LayerKind::SiLU:
  case LayerKind::Identity:
    return type;
  case LayerKind::CrossEntropyLoss:
    return inferLoss(module, input, operands[1], node);
  case LayerKind::Sequential:
  case LayerKind::Add:
    break;
  }
  return std::nullopt;
}

std::optional<TensorType> Sema::inferFlatten(const Module &module,
                                             const Operand &input, Node &node) {
  const TensorType &type = graph.values[input.value].type;
  auto rank = static_cast<int64_t>(type.shape.size());
  const ArgValue &startArg = module.args.at("start_dim");
  const ArgValue &endArg = module.args.at("end_dim");
  std::string operand =
      "; " + describe(input) + " " + verb(input, "is") + " " + formatType(type);
  if (rank == 0) {
    operandError(module, input, module.loc,
                 "Flatten expects a tensor with dimensions" + operand);
    return std::nullopt;
  }
  // Negative dimensions count from the end, as in PyTorch.
  int64_t start = startArg.value.intValue, end = endArg.value.intValue;
  for (auto [dim, arg, name] :
       {std::tuple<int64_t *, const ArgValue *, const char *>{&start, &startArg,
                                                              "start_dim"},
        {&end, &endArg, "end_dim"}}) {
    if (*dim < -rank || *dim >= rank) {
      argumentError(module, input, arg->loc,
                    std::string("Flatten ") + name + "=" +
                        std::to_string(*dim) + " is out of range for a " +
                        std::to_string(rank) + "-d input" + operand);
      return std::nullopt;
    }
    if (*dim < 0)
      *dim += rank;
  }
  if (start > end) {
    argumentError(
        module, input, startArg.loc,
        "Flatten start_dim=" + std::to_string(startArg.value.intValue) +
            " comes after end_dim=" + std::to_string(endArg.value.intValue) +
            operand);
    return std::nullopt;
  }
  if (start == 0 && end > 0) {
    argumentError(module, input, startArg.loc,
                  "Flatten cannot merge the batch dimension N into other "
                  "dimensions; use start_dim=1" +
                      operand);
    return std::nullopt;
  }
  TensorType result;
  result.dtype = type.dtype;
  result.shape.assign(type.shape.begin(), type.shape.begin() + start);
  if (start == 0) {
    result.shape.push_back(type.shape[0]);
  } else {
    std::vector<int64_t> merged(type.shape.begin() + start,
                                type.shape.begin() + end + 1);
    // The operand's own size is within limits, so no overflow here.
    result.shape.push_back(*elementsPerItem(merged));
  }
  result.shape.insert(result.shape.end(), type.shape.begin() + end + 1,
                      type.shape.end());
  node.intAttrs["start_dim"] = start;
  node.intAttrs["end_dim"] = end;
  return result;
}

std::optional<TensorType> Sema::inferLinear(const Module &module,
                                            const Operand &input) {
  const TensorType &type = graph.values[input.value].type;
  const ArgValue &inArg = module.args.at("in_features");
  int64_t in = inArg.value.intValue;
  const std::string &layer = formatLayer(module);
  std::string operand = describe(input);
  if (type.shape.size() != 2 || type.shape[0] != kBatchDim) {
    operandError(module, input, module.loc,
                 layer + " expects an input of shape [N, " +
                     std::to_string(in) + "]; " + operand + " " +
                     verb(input, "is") + " " + formatType(type) +
                     (type.shape.size() > 2 ? "; flatten it first" : ""));
    return std::nullopt;
  }
  if (type.shape[1] != in) {
    operandError(module, input, inArg.loc,
                 layer + " expects " + std::to_string(in) +
                     " input features; " + operand + " " + verb(input, "has") +
                     " " + std::to_string(type.shape[1]));
    return std::nullopt;
  }
  TensorType result;
  result.shape = {kBatchDim, intArg(module.args, "out_features")};
  return result;
}

std::optional<TensorType> Sema::inferSoftmax(const Module &module,
                                             const Operand &input, Node &node) {
  const TensorType &type = graph.values[input.value].type;
  auto rank = static_cast<int64_t>(type.shape.size());
  const ArgValue &dimArg = module.args.at("dim");
  int64_t dim = dimArg.value.intValue;
  if (dim < -rank || dim >= rank) {
    argumentError(module, input, dimArg.loc,
                  formatLayer(module) + ": dim=" + std::to_string(dim) +
                      " is out of range for a " + std::to_string(rank) +
                      "-d input; " + describe(input) + " " + verb(input, "is") +
                      " " + formatType(type));
    return std::nullopt;
  }
  node.intAttrs["dim"] = dim < 0 ? dim + rank : dim;
  return type;
}

std::optional<TensorType> Sema::inferLoss(const Module &module,
                                          const Operand &logits,
                                          const Operand &target, Node &node) {
  const TensorType &logitsType = graph.values[logits.value].type;
  const TensorType &targetType = graph.values[target.value].type;
  bool ok = true;
  if (logitsType.dtype != DType::F32 || logitsType.shape.size() != 2 ||
      logitsType.shape[0] != kBatchDim) {
    operandError(module, logits, module.loc,
                 std::string(module.layer->name) +
                     " expects f32 logits of shape [N, C]; " +
                     describe(logits) + " " + verb(logits, "is") + " " +
                     formatType(logitsType));
    ok = false;
  }
  if (targetType.dtype != DType::I64 || targetType.shape.size() != 1 ||
      targetType.shape[0] != kBatchDim) {
    operandError(module, target, module.loc,
                 std::string(module.layer->name) +
                     " expects a target of class indices of type i64[N]; " +
                     describe(target) + " " + verb(target, "is") + " " +
                     formatType(targetType));
    ok = false;
  }
  if (!ok)
    return std::nullopt;
  node.floatAttrs["label_smoothing"] = floatArg(module.args, "label_smoothing");
  return TensorType{DType::F32, {}};
}

} // namespace nncc
