//===- SemaApply.cpp - apply modules, functions and '+' -------------------===//
//
// Each application makes nodes: a layer one, a Sequential one per child, a
// block its forward again in that instance's scope (inlined, so each use
// gets its own nodes and shares the instance's parameters). Values are
// named after the user's name when there is one, "<module path>.out"
// otherwise.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include <algorithm>

namespace nncc {

static Node::Kind nodeKind(LayerKind kind) {
  switch (kind) {
  case LayerKind::Flatten:
    return Node::Kind::Flatten;
  case LayerKind::Linear:
    return Node::Kind::Linear;
  case LayerKind::ReLU:
    return Node::Kind::ReLU;
  case LayerKind::Conv2d:
    return Node::Kind::Conv2d;
  case LayerKind::BatchNorm1d:
  case LayerKind::BatchNorm2d:
    return Node::Kind::BatchNorm;
  case LayerKind::LeakyReLU:
    return Node::Kind::LeakyReLU;
  case LayerKind::Sigmoid:
    return Node::Kind::Sigmoid;
  case LayerKind::Tanh:
    return Node::Kind::Tanh;
  case LayerKind::GELU:
    return Node::Kind::GELU;
  case LayerKind::SiLU:
    return Node::Kind::SiLU;
  case LayerKind::Identity:
    return Node::Kind::Identity;
  case LayerKind::Dropout:
    return Node::Kind::Dropout;
  case LayerKind::MaxPool2d:
    return Node::Kind::MaxPool2d;
  case LayerKind::AvgPool2d:
    return Node::Kind::AvgPool2d;
  case LayerKind::AdaptiveAvgPool2d:
    return Node::Kind::AdaptiveAvgPool2d;
  case LayerKind::Softmax:
    return Node::Kind::Softmax;
  case LayerKind::LogSoftmax:
    return Node::Kind::LogSoftmax;
  case LayerKind::Add:
    return Node::Kind::Add;
  case LayerKind::CrossEntropyLoss:
  case LayerKind::Sequential: // expanded before nodes are made
    return Node::Kind::CrossEntropyLoss;
  }
  return Node::Kind::Identity;
}

std::optional<int> Sema::apply(Module &module,
                               const std::vector<Operand> &operands,
                               const SourceLoc &callLoc, const ResultName &name,
                               std::vector<int> *tuple) {
  Nest nest(*this, callLoc);
  if (!nest.ok || tooLarge)
    return std::nullopt;
  if (module.block)
    return applyBlock(module, operands, callLoc, name, tuple);
  const LayerInfo &layer = *module.layer;
  if (operands.size() != layer.numInputs) {
    diags.error(callLoc, "'" + module.path + "' (" + layer.name + ") takes " +
                             std::to_string(layer.numInputs) + " input" +
                             (layer.numInputs == 1 ? "" : "s") +
                             (layer.isLoss ? " (logits, target)" : "") + "; " +
                             std::to_string(operands.size()) + " given");
    diags.note(module.loc, "'" + module.path + "' is defined here");
    return std::nullopt;
  }
  ResultName result = name;
  if (result.name.empty())
    result.name = module.path + ".out";

  if (layer.kind == LayerKind::Sequential) {
    Operand current = operands[0];
    for (size_t i = 0; i < module.children.size(); ++i) {
      if (!module.children[i])
        return std::nullopt;
      Module &child = *module.children[i];
      bool last = i + 1 == module.children.size();
      std::optional<int> value =
          apply(child, {current}, callLoc,
                last ? result : ResultName{child.path + ".out", ""});
      if (!value)
        return std::nullopt;
      current = {*value, callLoc, /*direct=*/false, ""};
    }
    if (!module.complete)
      return std::nullopt;
    return current.value;
  }

  if (!countNode(callLoc))
    return std::nullopt;
  Node node;
  node.kind = nodeKind(layer.kind);
  std::optional<TensorType> type = inferResult(module, operands, node);
  if (!type)
    return std::nullopt;
  node.path = module.path;
  for (const Operand &operand : operands)
    node.operands.push_back(operand.value);
  node.params = module.params;
  node.buffers = module.buffers;
  node.loc = module.loc;
  node.callLoc = callLoc;
  node.result = addValue(*type, result, &module);
  graph.nodes.push_back(std::move(node));
  return graph.nodes.back().result;
}

std::optional<int> Sema::applyBlock(Module &module,
                                    const std::vector<Operand> &operands,
                                    const SourceLoc &callLoc,
                                    const ResultName &name,
                                    std::vector<int> *tuple) {
  const ast::Definition &def = *module.block;
  if (!module.complete)
    return std::nullopt;
  if (def.forwards.empty()) {
    diags.error(callLoc, "'" + module.path + "' cannot be applied: block '" +
                             def.name + "' has no 'forward'");
    diags.note(def.nameLoc, "'" + def.name + "' is defined here");
    return std::nullopt;
  }
  const ast::ForwardBlock &forward = def.forwards[0];
  if (!forward.complete || !forward.hasParams)
    return std::nullopt;
  if (operands.size() != forward.params.size()) {
    size_t expected = forward.params.size();
    diags.error(callLoc, "'" + module.path + "' (" + def.name + ") takes " +
                             std::to_string(expected) + " input" +
                             (expected == 1 ? "" : "s") + "; " +
                             std::to_string(operands.size()) + " given");
    diags.note(forward.loc, "'" + def.name + "' forward is defined here");
    return std::nullopt;
  }
  Frame frame;
  frame.scope = module.scope.get();
  frame.inForward = true;
  for (size_t i = 0; i < operands.size(); ++i)
    frame.locals[forward.params[i].name] = {
        forward.params[i].loc, operands[i].value, std::nullopt, false};
  collectTargets(forward.stmts, frame.targets);
  module.scope->applied = true;
  diags.pushContext(callLoc, "in '" + module.path + "' = " + module.text +
                                 ", applied here");
  frame.resultName = name; // the returned value takes the caller's name
  execStmts(forward.stmts, frame);
  if (!frame.returnLoc && !frame.incomplete)
    diags.error(forward.loc,
                "forward of block '" + def.name + "' has no 'return'");
  diags.popContext();
  if (!frame.results.empty()) {
    if (!tuple) {
      diags.error(callLoc, "'" + module.path + "' (" + def.name + ") returns " +
                               std::to_string(frame.results.size()) +
                               " tensors; unpack them into names, e.g. 'a, "
                               "b = " +
                               module.path + "(...)'");
      diags.note(*frame.returnLoc, "'" + def.name + "' returns them here");
      return std::nullopt;
    }
    *tuple = frame.results;
    return frame.results.front();
  }
  if (frame.result < 0)
    return std::nullopt;
  return frame.result;
}

std::optional<int> Sema::applyFunction(const ast::Expr &call,
                                       const LayerInfo &function, Frame &frame,
                                       const ResultName &name) {
  std::optional<BoundArgs> args = bindArguments(
      call, function.name, function.params, constEvaluator(frame), diags);
  if (!args)
    return std::nullopt;
  const ArgValue &input = args->at("input");
  std::optional<int> value = evalTensor(*input.expr, frame);
  auto module = std::make_unique<Module>();
  module->layer = &function;
  module->path = frame.scope->path;
  module->loc = call.loc;
  module->args = std::move(*args);
  module->text = formatCall(function.name, function.params, module->args);
  if (!checkLayerArgs(*module) || !value || !countNode(call.loc))
    return std::nullopt;
  Module &owned = *temporaries.emplace_back(std::move(module));
  ResultName result = name;
  if (result.name.empty())
    result.name = localName(frame, function.name).name;
  Node node;
  node.kind = nodeKind(function.kind);
  Operand operand{*value, input.loc, /*direct=*/true, ""};
  if (input.expr->kind == ast::Expr::Kind::Name)
    operand.name = input.expr->text;
  std::optional<TensorType> type = inferResult(owned, {operand}, node);
  if (!type)
    return std::nullopt;
  node.path = owned.path;
  node.operands = {*value};
  node.loc = node.callLoc = call.loc;
  node.result = addValue(*type, result, &owned);
  graph.nodes.push_back(std::move(node));
  return graph.nodes.back().result;
}

std::optional<int> Sema::addTensors(const ast::Expr &expr, const Operand &lhs,
                                    const Operand &rhs, Frame &frame,
                                    const ResultName &name) {
  const TensorType &a = graph.values[lhs.value].type;
  const TensorType &b = graph.values[rhs.value].type;
  if (a.shape != b.shape || a.dtype != DType::F32 || b.dtype != DType::F32) {
    diags.error(expr.opLoc,
                std::string("'+' needs two f32 tensors of the same shape; ") +
                    describe(lhs) + " " + verb(lhs, "is") + " " +
                    formatType(a) + " and " + describe(rhs) + " " +
                    verb(rhs, "is") + " " + formatType(b));
    return std::nullopt;
  }
  if (!countNode(expr.opLoc))
    return std::nullopt;
  auto module = std::make_unique<Module>();
  module->layer = &internalLayer(LayerKind::Add);
  module->path = frame.scope->path;
  module->loc = expr.opLoc;
  module->text = "'+'";
  const Module &owned = *temporaries.emplace_back(std::move(module));
  ResultName result = name;
  if (result.name.empty())
    result.name = localName(frame, "add").name;
  Node node;
  node.kind = Node::Kind::Add;
  node.path = owned.path;
  node.operands = {lhs.value, rhs.value};
  node.loc = node.callLoc = expr.opLoc;
  node.result = addValue(a, result, &owned);
  graph.nodes.push_back(std::move(node));
  return graph.nodes.back().result;
}

int Sema::addValue(TensorType type, const ResultName &name,
                   const Module *producer) {
  // A module applied twice would produce "<path>.out" twice; suffixes
  // continue where the last one stopped, so many uses stay linear.
  std::string unique = name.name;
  if (valueNames.count(unique)) {
    int &suffix = nameSuffixes[name.name];
    suffix = std::max(suffix, 2);
    do
      unique = name.name + "_" + std::to_string(suffix++);
    while (valueNames.count(unique));
  }
  valueNames.insert(unique);
  graph.values.push_back({unique, std::move(type)});
  producers.push_back(producer);
  displayNames.push_back(name.display);
  valueUsed.push_back(false);
  return static_cast<int>(graph.values.size()) - 1;
}

} // namespace nncc
