//===- SemaForward.cpp - apply modules to values --------------------------===//
//
// Each forward statement applies a member to named values; a Sequential
// expands into one node per layer. Values keep the user's name when they
// have one; a layer output without one is named "<module path>.out".
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"
#include "frontend/Suggest.h"

namespace nncc {

static Node::Kind nodeKind(LayerKind kind) {
  switch (kind) {
  case LayerKind::Flatten:
    return Node::Kind::Flatten;
  case LayerKind::Linear:
    return Node::Kind::Linear;
  case LayerKind::ReLU:
    return Node::Kind::ReLU;
  case LayerKind::CrossEntropyLoss:
  case LayerKind::Sequential: // expanded before nodes are made
    return Node::Kind::CrossEntropyLoss;
  }
  return Node::Kind::ReLU;
}

void Sema::checkForward(const ast::ForwardBlock &block) {
  // Statements run in order; remember all targets to explain a use that
  // comes before its definition.
  for (const ast::Stmt &stmt : block.stmts)
    if (stmt.kind == ast::Stmt::Kind::Assign)
      forwardTargets.emplace(stmt.target, stmt.loc);
  for (const ast::Stmt &stmt : block.stmts)
    checkStmt(stmt);
  // After a syntax error the missing statement may be the broken one.
  if (!block.complete)
    return;
  if (!returnLoc)
    diags.error(block.loc, "forward block has no 'return'; return the "
                           "model's output, e.g. 'return logits'");
  if (!minimizeLoc)
    diags.error(block.loc, "forward block has no 'minimize'; minimize a "
                           "scalar loss, e.g. 'minimize loss'");
}

void Sema::checkStmt(const ast::Stmt &stmt) {
  if (stmt.kind == ast::Stmt::Kind::Assign) {
    bool fresh = declareName(stmt.target, stmt.loc);
    std::optional<int> result;
    if (stmt.value && stmt.value->kind != ast::Expr::Kind::Call) {
      if (!stmt.value->malformed)
        diags.error(stmt.value->loc,
                    "expected a module application such as 'layers(image)', "
                    "found " +
                        describeExpr(*stmt.value));
    } else if (stmt.value) {
      result = evalCall(*stmt.value, fresh ? stmt.target : "");
    }
    if (fresh)
      values[stmt.target] = {stmt.loc, result.value_or(-1), false, false};
    return;
  }

  bool isReturn = stmt.kind == ast::Stmt::Kind::Return;
  std::optional<SourceLoc> &seen = isReturn ? returnLoc : minimizeLoc;
  const char *keyword = isReturn ? "return" : "minimize";
  if (seen) {
    diags.error(stmt.loc,
                std::string("more than one '") + keyword + "' in forward");
    diags.note(*seen, std::string("previous '") + keyword + "' is here");
    return;
  }
  seen = stmt.loc;
  if (!stmt.value)
    return;
  std::optional<int> value = evalValue(*stmt.value, "");
  if (!value)
    return;
  if (isReturn) {
    graph.output = *value;
    return;
  }
  const TensorType &type = graph.values[*value].type;
  if (type.dtype != DType::F32 || !type.shape.empty()) {
    diags.error(stmt.value->loc,
                "'minimize' needs a scalar f32 loss; " + describeValue(*value) +
                    " " + verb(*value, "is") + " " + formatType(type) +
                    "; apply a loss such as CrossEntropyLoss first");
    return;
  }
  graph.loss = *value;
}

std::optional<int> Sema::evalValue(const ast::Expr &expr,
                                   const std::string &name) {
  switch (expr.kind) {
  case ast::Expr::Kind::Call:
    return evalCall(expr, name);
  case ast::Expr::Kind::Name:
    break;
  default:
    if (!expr.malformed)
      diags.error(expr.loc,
                  "expected a value name, found " + describeExpr(expr));
    return std::nullopt;
  }
  if (auto it = values.find(expr.text); it != values.end()) {
    it->second.used = true;
    if (it->second.value < 0)
      return std::nullopt;
    return it->second.value;
  }
  if (auto it = members.find(expr.text); it != members.end()) {
    it->second.used = true;
    diags.error(expr.loc, "'" + expr.text +
                              "' is a module, not a value; "
                              "apply it to a value, e.g. '" +
                              expr.text + "(x)'");
    return std::nullopt;
  }
  if (auto it = forwardTargets.find(expr.text); it != forwardTargets.end()) {
    diags.error(expr.loc, "'" + expr.text + "' is used before it is defined");
    diags.note(it->second, "'" + expr.text + "' is defined here");
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto &[valueName, entry] : values)
    names.push_back(valueName);
  std::string best = closestName(expr.text, names);
  diags.error(expr.loc,
              "use of undefined value '" + expr.text + "'" +
                  (best.empty() ? "" : "; did you mean '" + best + "'?"));
  if (!best.empty())
    diags.note(values[best].loc, "'" + best + "' is defined here");
  return std::nullopt;
}

std::optional<int> Sema::evalCall(const ast::Expr &call,
                                  const std::string &name) {
  MemberEntry *member = nullptr;
  if (auto it = members.find(call.text); it != members.end()) {
    member = &it->second;
    member->used = true;
  } else if (values.count(call.text)) {
    diags.error(call.loc, "'" + call.text +
                              "' is a value, not a module; "
                              "only members defined as 'NAME = LAYER(...)' can "
                              "be applied");
  } else if (findLayer(call.text)) {
    diags.error(call.loc, "'" + call.text +
                              "' is a layer type, not a member; "
                              "define a member such as 'm = " +
                              call.text + "(...)' and apply that");
  } else {
    std::vector<std::string> names;
    for (const auto &[memberName, entry] : members)
      names.push_back(memberName);
    std::string best = closestName(call.text, names);
    diags.error(call.loc,
                "use of undefined member '" + call.text + "'" +
                    (best.empty() ? "" : "; did you mean '" + best + "'?"));
    if (!best.empty())
      diags.note(members[best].loc, "'" + best + "' is defined here");
  }

  // Check the operands even when the callee is wrong: their errors are
  // independent of it.
  std::vector<Operand> operands;
  bool ok = true;
  for (const ast::Arg &arg : call.args) {
    if (!arg.keyword.empty()) {
      diags.error(arg.keywordLoc, "keyword arguments cannot be used when "
                                  "applying a module");
      ok = false;
      continue;
    }
    std::optional<int> value = evalValue(*arg.value, "");
    if (!value) {
      ok = false;
      continue;
    }
    operands.push_back({*value, arg.value->loc, /*direct=*/true});
  }
  if (!ok || !member || !member->module)
    return std::nullopt;
  return apply(*member->module, operands, call.loc, name);
}

std::optional<int> Sema::apply(Module &module,
                               const std::vector<Operand> &operands,
                               const SourceLoc &callLoc,
                               const std::string &name) {
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
  std::string resultName = name.empty() ? module.path + ".out" : name;

  if (layer.kind == LayerKind::Sequential) {
    Operand current = operands[0];
    for (size_t i = 0; i < module.children.size(); ++i) {
      if (!module.children[i])
        return std::nullopt;
      Module &child = *module.children[i];
      bool last = i + 1 == module.children.size();
      std::optional<int> result = apply(
          child, {current}, callLoc, last ? resultName : child.path + ".out");
      if (!result)
        return std::nullopt;
      current = {*result, callLoc, /*direct=*/false};
    }
    if (!module.complete)
      return std::nullopt;
    return current.value;
  }

  Node node;
  node.kind = nodeKind(layer.kind);
  std::optional<TensorType> type = inferResult(module, operands, node);
  if (!type)
    return std::nullopt;
  node.path = module.path;
  for (const Operand &operand : operands)
    node.operands.push_back(operand.value);
  node.params = module.params;
  node.loc = module.loc;
  node.callLoc = callLoc;
  // Generated names contain a '.', which user identifiers cannot.
  bool userNamed = resultName.find('.') == std::string::npos;
  node.result = addValue(*type, resultName, &module, userNamed);
  graph.nodes.push_back(std::move(node));
  return graph.nodes.back().result;
}

int Sema::addValue(TensorType type, const std::string &name,
                   const Module *producer, bool named) {
  // A module applied twice would produce "<path>.out" twice.
  std::string unique = name;
  for (int n = 2; !valueNames.insert(unique).second; ++n)
    unique = name + "_" + std::to_string(n);
  graph.values.push_back({unique, std::move(type)});
  producers.push_back(producer);
  userNamed.push_back(named);
  return static_cast<int>(graph.values.size()) - 1;
}

} // namespace nncc
