//===- SemaMembers.cpp - bodies of the model and of blocks ----------------===//
//
// Runs a body as Python runs `__init__`: inputs become typed values, member
// definitions become Module trees, constants are evaluated, `if` picks the
// members that exist. Parameters are created as layers are defined, which
// is the order PyTorch registers them and so the state_dict order. A block
// instance gets its own scope, holding its arguments as constants.
//
//===----------------------------------------------------------------------===//
#include "frontend/Parser.h"
#include "frontend/Sema.h"
#include "frontend/Suggest.h"

#include <algorithm>

namespace nncc {

void Sema::declareMembers(const std::vector<ast::Member> &members,
                          Scope &scope) {
  for (const ast::Member &member : members) {
    switch (member.kind) {
    case ast::Member::Kind::Input:
      declareInput(member, scope);
      break;
    case ast::Member::Kind::Define:
      declareMember(member, scope);
      break;
    case ast::Member::Kind::If: {
      Frame frame;
      frame.scope = &scope;
      std::optional<bool> taken;
      if (member.value)
        taken = evalCondition(*member.value, frame);
      if (!taken) {
        poisonNames(member.thenBody, scope);
        poisonNames(member.elseBody, scope);
        break;
      }
      declareMembers(*taken ? member.thenBody : member.elseBody, scope);
      break;
    }
    }
  }
}

/// After a condition that could not be evaluated: the members of either
/// branch may exist, so none of their uses is reported.
void Sema::poisonNames(const std::vector<ast::Member> &members, Scope &scope) {
  for (const ast::Member &member : members) {
    if (member.kind == ast::Member::Kind::If) {
      poisonNames(member.thenBody, scope);
      poisonNames(member.elseBody, scope);
    } else if (!scope.names.count(member.name)) {
      Entry &entry = scope.names[member.name];
      entry.loc = member.loc;
      entry.used = true;
      entry.unknown = true;
    }
  }
}

bool Sema::declareName(const Scope &scope, const std::string &name,
                       const SourceLoc &loc) {
  auto it = scope.names.find(name);
  if (it == scope.names.end())
    return true;
  diags.error(loc, "redefinition of '" + name + "'");
  diags.note(it->second.loc, "previous definition of '" + name + "' is here");
  return false;
}

void Sema::declareInput(const ast::Member &input, Scope &scope) {
  if (!declareName(scope, input.name, input.loc))
    return;
  Entry &entry = scope.names[input.name];
  entry.kind = Entry::Kind::Input;
  entry.loc = input.loc;
  entry.decl = &input;
  if (input.type.poisoned)
    return;
  std::optional<TensorType> type = resolveType(input.type, input.name);
  if (!type)
    return;
  entry.value = addValue(*type, {input.name, input.name}, nullptr);
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

/// `NAME = LAYER(...)` defines a module, anything else a constant. The name
/// is entered after its definition is evaluated, so `x = x + 1` is an error.
void Sema::declareMember(const ast::Member &member, Scope &scope) {
  if (!declareName(scope, member.name, member.loc))
    return;
  Entry entry;
  entry.loc = member.loc;
  entry.decl = &member;
  // `A if COND else B` defines whichever branch COND picks: a layer or a
  // constant. A condition with errors leaves the name unknown.
  const ast::Expr *value = member.value.get();
  if (value) {
    value = chooseBranch(*value, scope);
    if (!value) {
      entry.unknown = true;
      entry.used = true;
    }
  }
  if (value && value->kind == ast::Expr::Kind::Call) {
    bool wasFreezing = freezing;
    freezing |= member.frozen;
    size_t paramsBefore = graph.params.size();
    entry.module =
        resolveModule(*value, qualify(scope.path, member.name), scope, false);
    freezing = wasFreezing;
    if (member.frozen && entry.module && graph.params.size() == paramsBefore)
      diags.warning(member.frozenLoc, "'frozen' has no effect: '" +
                                          member.name + "' has no parameters");
  } else if (value) {
    entry.kind = Entry::Kind::Constant;
    if (member.frozen)
      diags.error(member.frozenLoc, "'frozen' applies to layers; '" +
                                        member.name +
                                        "' is defined as a constant");
    Frame frame;
    frame.scope = &scope;
    entry.constant = evalConst(*value, frame);
  }
  scope.names[member.name] = std::move(entry);
}

/// The branch `A if COND else B` picks, through nested conditionals: the
/// first expression that is not one, or null after reporting an error in a
/// condition.
const ast::Expr *Sema::chooseBranch(const ast::Expr &expr, Scope &scope) {
  const ast::Expr *value = &expr;
  while (value->kind == ast::Expr::Kind::Conditional) {
    Frame frame;
    frame.scope = &scope;
    std::optional<bool> cond = evalCondition(*value->cond, frame);
    if (!cond)
      return nullptr;
    value = *cond ? value->lhs.get() : value->rhs.get();
  }
  return value;
}

ArgEvaluator Sema::constEvaluator(Frame &frame) {
  return
      [this, &frame](const ast::Expr &expr) { return evalConst(expr, frame); };
}

std::unique_ptr<Module> Sema::resolveModule(const ast::Expr &expr,
                                            const std::string &path,
                                            Scope &scope, bool inSequential) {
  if (expr.kind == ast::Expr::Kind::Conditional) {
    // `Identity() if stride == 1 else Conv2d(...)`: only the chosen layer
    // is created, as Python would.
    const ast::Expr *chosen = chooseBranch(expr, scope);
    return chosen ? resolveModule(*chosen, path, scope, inSequential) : nullptr;
  }
  if (expr.kind == ast::Expr::Kind::Comprehension) {
    // unreachable-diagnostic: the parser makes a repetition only as a call
    // argument, and resolveSequential expands those before they get here.
    diags.error(expr.opLoc, "a 'for' repetition can only be an argument of "
                            "Sequential");
    return nullptr;
  }
  if (expr.kind != ast::Expr::Kind::Call) {
    if (!expr.malformed)
      diags.error(expr.loc, "expected a layer such as 'Linear(784, 10)', "
                            "found " +
                                describeExpr(expr));
    return nullptr;
  }
  Nest nest(*this, expr.loc);
  if (!nest.ok || !countModule(expr.loc))
    return nullptr;
  if (const ast::Definition *block = findBlock(expr.text))
    return instantiateBlock(expr, *block, path, scope);
  const LayerInfo *layer = findLayer(expr.text);
  if (!layer) {
    std::vector<std::string> names = layerNames();
    for (const auto &[name, block] : blocks)
      names.push_back(name);
    diags.error(expr.loc, "unknown layer '" + expr.text + "'" +
                              didYouMean(expr.text, names));
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
  if (layer->kind == LayerKind::Sequential)
    return resolveSequential(expr, std::move(module), scope);
  Frame frame;
  frame.scope = &scope;
  std::optional<BoundArgs> args = bindArguments(
      expr, layer->name, layer->params, constEvaluator(frame), diags);
  if (!args)
    return nullptr;
  module->args = std::move(*args);
  module->text = formatCall(layer->name, layer->params, module->args);
  if (!checkLayerArgs(*module))
    return nullptr;
  createParams(*module);
  return module;
}

/// Sequential names its children by position, as PyTorch does.
std::unique_ptr<Module> Sema::resolveSequential(const ast::Expr &expr,
                                                std::unique_ptr<Module> module,
                                                Scope &scope) {
  module->text = "Sequential(...)";
  if (expr.args.empty()) {
    diags.error(expr.loc, "Sequential needs at least one layer");
    return nullptr;
  }
  bool ok = true;
  for (const ast::Arg &arg : expr.args) {
    if (!arg.keyword.empty()) {
      diags.error(arg.keywordLoc, "Sequential takes no keyword arguments");
      ok = false;
      continue;
    }
    if (arg.value->kind == ast::Expr::Kind::Comprehension) {
      ok &= expandRepetition(*arg.value, *module, scope);
      continue;
    }
    auto child = resolveModule(
        *arg.value,
        qualify(module->path, std::to_string(module->children.size())), scope,
        true);
    ok &= child != nullptr && child->complete;
    module->children.push_back(std::move(child));
  }
  if (ok && module->children.empty()) {
    diags.error(expr.loc, "Sequential needs at least one layer; its "
                          "repetitions produced none");
    return nullptr;
  }
  module->complete = ok;
  return module;
}

std::unique_ptr<Module> Sema::instantiateBlock(const ast::Expr &expr,
                                               const ast::Definition &def,
                                               const std::string &path,
                                               Scope &scope) {
  blockUsed[&def] = true;
  if (std::find(instantiating.begin(), instantiating.end(), &def) !=
      instantiating.end()) {
    std::string chain;
    auto first = std::find(instantiating.begin(), instantiating.end(), &def);
    for (auto it = first; it != instantiating.end(); ++it)
      chain += (*it)->name + " -> ";
    diags.error(expr.loc, "block '" + def.name + "' cannot contain itself (" +
                              chain + def.name + ")");
    return nullptr;
  }
  if (instantiating.size() >= kMaxNestingDepth) {
    diags.error(expr.loc, "blocks are nested too deeply; the limit is " +
                              std::to_string(kMaxNestingDepth) + " levels");
    return nullptr;
  }
  Frame frame;
  frame.scope = &scope;
  const std::vector<ParamInfo> &signature = signatures[&def];
  std::optional<BoundArgs> args =
      bindArguments(expr, def.name, signature, constEvaluator(frame), diags);
  if (!args || !def.paramsComplete || brokenBlocks.count(&def))
    return nullptr;
  auto module = std::make_unique<Module>();
  module->block = &def;
  module->path = path;
  module->loc = expr.loc;
  module->args = std::move(*args);
  module->text = formatCall(def.name, signature, module->args);
  module->scope = std::make_unique<Scope>();
  Scope &inner = *module->scope;
  inner.path = path;
  inner.def = &def;
  instanceScopes.push_back(&inner);
  for (const ast::Param &param : def.params) {
    Entry &entry = inner.names[param.name];
    entry.kind = Entry::Kind::Constant;
    entry.loc = param.loc;
    entry.constant = module->args.at(param.name).value;
  }
  instantiating.push_back(&def);
  diags.pushContext(expr.loc, "in '" + path + "' = " + module->text);
  unsigned errorsBefore = diags.errorReports();
  declareMembers(def.members, inner);
  module->complete = def.complete && diags.errorReports() == errorsBefore;
  diags.popContext();
  instantiating.pop_back();
  return module;
}

} // namespace nncc
