//===- SemaMembers.cpp - inputs and layer definitions ---------------------===//
//
// Turns `input` declarations into typed values and member definitions into
// Module trees. Parameters are created here, at the definition, in source
// order, which is the order PyTorch registers them and so the state_dict
// order; a module applied twice shares its parameters, as in PyTorch.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"
#include "frontend/Suggest.h"

#include <cstdio>

namespace nncc {

void Sema::declareInput(const ast::InputDecl &input) {
  if (!declareName(input.name, input.loc))
    return;
  ValueEntry &entry = values[input.name];
  entry.loc = input.loc;
  entry.isInput = true;
  if (input.type.poisoned)
    return;
  std::optional<TensorType> type = resolveType(input.type, input.name);
  if (!type)
    return;
  entry.value = addValue(*type, input.name, nullptr, /*userNamed=*/true);
  graph.inputs.push_back({input.name, entry.value, input.loc});
}

std::optional<TensorType> Sema::resolveType(const ast::Type &type,
                                            const std::string &inputName) {
  TensorType result;
  bool ok = true;
  if (type.dtype == "f32") {
    result.dtype = DType::F32;
  } else if (type.dtype == "i64") {
    result.dtype = DType::I64;
  } else {
    diags.error(type.loc, "unknown element type '" + type.dtype +
                              "'; expected 'f32' or 'i64'");
    ok = false;
  }
  for (size_t i = 0; i < type.dims.size(); ++i) {
    const ast::Dim &dim = type.dims[i];
    if (i == 0) {
      if (!dim.isName || dim.name != "N") {
        diags.error(dim.loc, "the first dimension of input '" + inputName +
                                 "' must be the batch size 'N'");
        ok = false;
      }
      result.shape.push_back(kBatchDim);
      continue;
    }
    if (dim.isName) {
      diags.error(dim.loc,
                  dim.name == "N"
                      ? std::string("the batch size 'N' can only be the "
                                    "first dimension")
                      : "unknown dimension '" + dim.name +
                            "'; only the first dimension, the batch size "
                            "'N', is symbolic");
      ok = false;
    } else if (dim.value <= 0) {
      diags.error(dim.loc, "dimension must be positive, found " +
                               std::to_string(dim.value));
      ok = false;
    }
    result.shape.push_back(dim.value);
  }
  if (ok && !elementsPerItem(result.shape)) {
    diags.error(type.loc, "input '" + inputName +
                              "' is too large; the "
                              "limit is 2^40 elements per batch item");
    ok = false;
  }
  if (!ok)
    return std::nullopt;
  return result;
}

void Sema::declareMember(const ast::MemberDecl &member) {
  if (!declareName(member.name, member.loc))
    return;
  MemberEntry &entry = members[member.name];
  entry.loc = member.loc;
  if (!member.value)
    return;
  entry.module = resolveModule(*member.value, member.name, false);
  if (entry.module)
    createParams(*entry.module);
}

std::unique_ptr<Module> Sema::resolveModule(const ast::Expr &expr,
                                            const std::string &path,
                                            bool inSequential) {
  if (expr.kind != ast::Expr::Kind::Call) {
    if (!expr.malformed)
      diags.error(expr.loc, "expected a layer such as 'Linear(784, 10)', "
                            "found " +
                                describeExpr(expr));
    return nullptr;
  }
  const LayerInfo *layer = findLayer(expr.text);
  if (!layer) {
    diags.error(expr.loc, "unknown layer '" + expr.text + "'" +
                              didYouMean(expr.text, layerNames()));
    return nullptr;
  }
  auto module = std::make_unique<Module>();
  module->layer = layer;
  module->path = path;
  module->loc = expr.loc;
  if (layer->isLoss && inSequential) {
    diags.error(expr.loc, std::string(layer->name) +
                              " is a loss and cannot be part of a "
                              "Sequential; apply it in 'forward'");
    return nullptr;
  }
  if (layer->kind != LayerKind::Sequential) {
    std::optional<BoundArgs> args = bindArguments(expr, *layer, diags);
    if (!args)
      return nullptr;
    module->args = std::move(*args);
    return checkLayerArgs(*module) ? std::move(module) : nullptr;
  }

  // Sequential: children are named by position, as PyTorch does.
  if (expr.args.empty()) {
    diags.error(expr.loc, "Sequential needs at least one layer");
    return nullptr;
  }
  bool ok = true;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    const ast::Arg &arg = expr.args[i];
    if (!arg.keyword.empty()) {
      diags.error(arg.keywordLoc, "Sequential takes no keyword arguments");
      ok = false;
      continue;
    }
    auto child =
        resolveModule(*arg.value, path + "." + std::to_string(i), true);
    ok &= child != nullptr && child->complete;
    module->children.push_back(std::move(child));
  }
  module->complete = ok;
  return module;
}

bool Sema::checkLayerArgs(const Module &module) {
  const BoundArgs &args = module.args;
  switch (module.layer->kind) {
  case LayerKind::Linear: {
    bool ok = true;
    for (const char *name : {"in_features", "out_features"}) {
      const ArgValue &value = args.at(name);
      if (value.intValue <= 0) {
        diags.error(value.loc, std::string(name) +
                                   " of Linear must be positive, found " +
                                   std::to_string(value.intValue));
        ok = false;
      }
    }
    if (ok && !elementsPerItem({args.at("in_features").intValue,
                                args.at("out_features").intValue})) {
      diags.error(module.loc, formatLayer(module) +
                                  " is too large; the limit is 2^40 weights");
      ok = false;
    }
    return ok;
  }
  case LayerKind::CrossEntropyLoss: {
    bool ok = true;
    const ArgValue &smoothing = args.at("label_smoothing");
    if (!(smoothing.floatValue >= 0.0 && smoothing.floatValue <= 1.0)) {
      char found[32];
      std::snprintf(found, sizeof(found), "%g", smoothing.floatValue);
      diags.error(smoothing.loc, "label_smoothing must be between 0.0 and "
                                 "1.0, found " +
                                     std::string(found));
      ok = false;
    }
    const ArgValue &reduction = args.at("reduction");
    if (reduction.stringValue != "mean") {
      diags.error(reduction.loc, "reduction=\"" + reduction.stringValue +
                                     "\" is not supported; only \"mean\" is");
      ok = false;
    }
    return ok;
  }
  case LayerKind::Flatten:
  case LayerKind::ReLU:
  case LayerKind::Sequential:
    // Flatten's dimensions can only be checked against an input.
    return true;
  }
  return true;
}

void Sema::createParams(Module &module) {
  for (auto &child : module.children)
    if (child)
      createParams(*child);
  if (module.layer->kind != LayerKind::Linear)
    return;
  int64_t in = module.args.at("in_features").intValue;
  int64_t out = module.args.at("out_features").intValue;
  // PyTorch's Linear.reset_parameters: kaiming_uniform_(a=sqrt(5)) for the
  // weight, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias.
  Parameter weight;
  weight.name = module.path + ".weight";
  weight.shape = {out, in};
  weight.init = InitKind::KaimingUniformA5;
  weight.fanIn = in;
  weight.fanOut = out;
  weight.loc = module.loc;
  module.params.push_back(static_cast<int>(graph.params.size()));
  graph.params.push_back(weight);
  if (!module.args.at("bias").boolValue)
    return;
  Parameter bias = weight;
  bias.name = module.path + ".bias";
  bias.shape = {out};
  bias.init = InitKind::UniformFanIn;
  module.params.push_back(static_cast<int>(graph.params.size()));
  graph.params.push_back(bias);
}

} // namespace nncc
