//===- LayerShapes.cpp - result types of layers ---------------------------===//
//
// One rule per layer type: check the operand types and compute the result.
// Messages speak of the layer as written and of the operand by the name the
// user knows it by, e.g. "Linear(3136, 128) expects 3136 input features;
// 'layers.0' (Flatten) produces 784".
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include <sstream>

namespace nncc {

std::string formatLayer(const Module &module) {
  std::ostringstream os;
  os << module.layer->name << '(';
  if (module.layer->kind == LayerKind::Linear) {
    os << module.args.at("in_features").intValue << ", "
       << module.args.at("out_features").intValue;
    if (!module.args.at("bias").boolValue)
      os << ", bias=false";
  }
  os << ')';
  return os.str();
}

std::string Sema::describeValue(int value) const {
  if (userNamed[value] || !producers[value])
    return "'" + graph.values[value].name + "'";
  const Module &producer = *producers[value];
  return "'" + producer.path + "' (" + producer.layer->name + ")";
}

/// Named values "are" something; layer outputs are "produced".
const char *Sema::verb(int value, const char *named) const {
  return userNamed[value] || !producers[value] ? named : "produces";
}

/// Reports a problem with an operand where the user can fix it: at the
/// operand when the forward statement names it (with a note at the layer),
/// otherwise at `layerLoc` inside the layer's definition.
void Sema::operandError(const Module &module, const Operand &operand,
                        const SourceLoc &layerLoc, const std::string &message) {
  if (!operand.direct) {
    diags.error(layerLoc, message);
    return;
  }
  diags.error(operand.loc, message);
  diags.note(module.loc, "'" + module.path + "' is defined here");
}

/// Reports a layer argument that does not fit its input (Flatten's
/// dimensions), at the argument, noting where the input came from.
void Sema::argumentError(const Module &module, const Operand &operand,
                         const SourceLoc &argLoc, const std::string &message) {
  diags.error(argLoc, message);
  if (operand.direct)
    diags.note(operand.loc, "'" + module.path + "' is applied to " +
                                describeValue(operand.value) + " here");
}

std::optional<TensorType>
Sema::inferResult(const Module &module, const std::vector<Operand> &operands,
                  Node &node) {
  const Operand &input = operands[0];
  const TensorType &type = graph.values[input.value].type;
  if (module.layer->kind != LayerKind::CrossEntropyLoss &&
      type.dtype != DType::F32) {
    operandError(module, input, module.loc,
                 std::string(module.layer->name) + " expects an f32 input; " +
                     describeValue(input.value) + " " +
                     verb(input.value, "is") + " " + formatType(type));
    return std::nullopt;
  }
  switch (module.layer->kind) {
  case LayerKind::Flatten:
    return inferFlatten(module, input, node);
  case LayerKind::Linear:
    return inferLinear(module, input);
  case LayerKind::ReLU:
    return type;
  case LayerKind::CrossEntropyLoss:
    return inferLoss(module, input, operands[1], node);
  case LayerKind::Sequential:
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
  std::string operand = "; " + describeValue(input.value) + " " +
                        verb(input.value, "is") + " " + formatType(type);
  if (rank == 0) {
    operandError(module, input, module.loc,
                 "Flatten expects a tensor with dimensions" + operand);
    return std::nullopt;
  }
  // Negative dimensions count from the end, as in PyTorch.
  int64_t start = startArg.intValue, end = endArg.intValue;
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
    argumentError(module, input, startArg.loc,
                  "Flatten start_dim=" + std::to_string(startArg.intValue) +
                      " comes after end_dim=" +
                      std::to_string(endArg.intValue) + operand);
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
  int64_t in = inArg.intValue;
  std::string layer = formatLayer(module);
  std::string operand = describeValue(input.value);
  if (type.shape.size() != 2 || type.shape[0] != kBatchDim) {
    operandError(module, input, module.loc,
                 layer + " expects an input of shape [N, " +
                     std::to_string(in) + "]; " + operand + " " +
                     verb(input.value, "is") + " " + formatType(type) +
                     (type.shape.size() > 2 ? "; flatten it first" : ""));
    return std::nullopt;
  }
  if (type.shape[1] != in) {
    operandError(module, input, inArg.loc,
                 layer + " expects " + std::to_string(in) +
                     " input features; " + operand + " " +
                     verb(input.value, "has") + " " +
                     std::to_string(type.shape[1]));
    return std::nullopt;
  }
  TensorType result;
  result.shape = {kBatchDim, module.args.at("out_features").intValue};
  return result;
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
                     describeValue(logits.value) + " " +
                     verb(logits.value, "is") + " " + formatType(logitsType));
    ok = false;
  }
  if (targetType.dtype != DType::I64 || targetType.shape.size() != 1 ||
      targetType.shape[0] != kBatchDim) {
    operandError(module, target, module.loc,
                 std::string(module.layer->name) +
                     " expects a target of class indices of type i64[N]; " +
                     describeValue(target.value) + " " +
                     verb(target.value, "is") + " " + formatType(targetType));
    ok = false;
  }
  if (!ok)
    return std::nullopt;
  node.floatAttrs["label_smoothing"] =
      module.args.at("label_smoothing").floatValue;
  return TensorType{DType::F32, {}};
}

} // namespace nncc
