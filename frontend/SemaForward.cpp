//===- SemaForward.cpp - run forward blocks -------------------------------===//
//
// Statements: the model's forward runs once, a block's at each of its
// applications (SemaApply.cpp). Names may be reassigned; each assignment
// makes a new value. `if` runs the branch its condition picks; a condition
// that cannot be evaluated poisons what either branch assigns.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

/// Every assignment target in `stmts`, at its first definition, to explain
/// a use that comes before it.
void Sema::collectTargets(const std::vector<ast::Stmt> &stmts,
                          std::map<std::string, SourceLoc> &targets) {
  for (const ast::Stmt &stmt : stmts) {
    if (stmt.kind == ast::Stmt::Kind::Assign && stmt.unpack.empty())
      targets.emplace(stmt.target, stmt.loc);
    for (const auto &[name, loc] : stmt.unpack)
      targets.emplace(name, loc);
    collectTargets(stmt.thenBody, targets);
    collectTargets(stmt.elseBody, targets);
  }
}

void Sema::checkModelForward(const ast::ForwardBlock &block) {
  Frame frame;
  frame.scope = modelScope.get();
  frame.inForward = true;
  frame.isModel = true;
  for (const auto &[name, entry] : modelScope->names)
    if (entry.kind == Entry::Kind::Input)
      frame.locals[name] = {entry.loc, entry.value, std::nullopt,
                            entry.value < 0};
  collectTargets(block.stmts, frame.targets);
  execStmts(block.stmts, frame);
  // After a syntax error the missing statement may be the broken one.
  if (!block.complete || frame.incomplete)
    return;
  if (!frame.returnLoc)
    diags.error(block.loc, "forward block has no 'return'; return the "
                           "model's output, e.g. 'return logits'");
  if (!frame.minimizeLoc)
    diags.error(block.loc, "forward block has no 'minimize'; minimize a "
                           "scalar loss, e.g. 'minimize loss'");
}

/// Runs `stmts`; returns true when a block's `return` ended the forward.
bool Sema::execStmts(const std::vector<ast::Stmt> &stmts, Frame &frame) {
  for (size_t i = 0; i < stmts.size(); ++i) {
    const ast::Stmt &stmt = stmts[i];
    switch (stmt.kind) {
    case ast::Stmt::Kind::Assign:
      execAssign(stmt, frame);
      break;
    case ast::Stmt::Kind::Return:
    case ast::Stmt::Kind::Minimize:
      execReturn(stmt, frame);
      if (frame.isModel || stmt.kind == ast::Stmt::Kind::Minimize)
        break;
      if (i + 1 < stmts.size())
        diags.warning(stmts[i + 1].loc, "statement after 'return' is never "
                                        "run");
      return true;
    case ast::Stmt::Kind::If: {
      Nest nest(*this, stmt.loc);
      std::optional<bool> taken;
      if (nest.ok && stmt.value)
        taken = evalCondition(*stmt.value, frame);
      if (!taken) {
        poisonTargets(stmt.thenBody, frame);
        poisonTargets(stmt.elseBody, frame);
        frame.incomplete = true;
        break;
      }
      if (execStmts(*taken ? stmt.thenBody : stmt.elseBody, frame))
        return true;
      break;
    }
    }
  }
  return false;
}

/// After a condition that could not be evaluated, either branch may have
/// run: their targets exist, with unknown values.
void Sema::poisonTargets(const std::vector<ast::Stmt> &stmts, Frame &frame) {
  std::map<std::string, SourceLoc> targets;
  collectTargets(stmts, targets);
  for (const auto &[name, loc] : targets)
    if (!frame.scope->names.count(name))
      frame.locals[name] = {loc, -1, std::nullopt, true};
}

/// A block's local `out` in instance `layer1.0` is `layer1.0/out`: the '/'
/// keeps it apart from module outputs such as `layer1.0.out`.
Sema::ResultName Sema::localName(const Frame &frame,
                                 const std::string &name) const {
  const std::string &path = frame.scope->path;
  return {path.empty() ? name : path + "/" + name, name};
}

/// `a, b = m(x)`: each name gets one of the block's outputs, in order.
void Sema::execUnpack(const ast::Stmt &stmt, Frame &frame) {
  bool assignable = true;
  for (const auto &[name, loc] : stmt.unpack) {
    auto entry = frame.scope->names.find(name);
    if (entry != frame.scope->names.end() &&
        entry->second.kind != Entry::Kind::Input) {
      diags.error(loc, "redefinition of '" + name + "'");
      diags.note(entry->second.loc,
                 "previous definition of '" + name + "' is here");
      assignable = false;
    }
  }
  std::optional<Val> val;
  if (stmt.value) {
    frame.unpacking = true;
    val = eval(*stmt.value, frame, {});
    frame.unpacking = false;
  }
  if (val && val->tuple.size() != stmt.unpack.size()) {
    size_t given = val->isTensor() ? std::max<size_t>(val->tuple.size(), 1) : 0;
    diags.error(
        stmt.value->loc,
        "cannot unpack " +
            (given ? std::to_string(given) + " tensor" + (given == 1 ? "" : "s")
                   : describeConst(val->constant)) +
            " into " + std::to_string(stmt.unpack.size()) + " names" +
            (given >= 2 ? std::string()
                        : "; only a block that returns several tensors "
                          "('return a, b') can be unpacked"));
    val.reset();
  }
  if (!assignable)
    return;
  for (size_t i = 0; i < stmt.unpack.size(); ++i) {
    const auto &[name, loc] = stmt.unpack[i];
    Local &local = frame.locals[name];
    local = {loc, -1, std::nullopt, !val};
    if (val)
      local.value = val->tuple[i];
  }
}

void Sema::execAssign(const ast::Stmt &stmt, Frame &frame) {
  if (!stmt.unpack.empty())
    return execUnpack(stmt, frame);
  // Members and constants cannot be reassigned; values can.
  auto entry = frame.scope->names.find(stmt.target);
  bool assignable = entry == frame.scope->names.end() ||
                    entry->second.kind == Entry::Kind::Input;
  if (!assignable) {
    diags.error(stmt.loc, "redefinition of '" + stmt.target + "'");
    diags.note(entry->second.loc,
               "previous definition of '" + stmt.target + "' is here");
  }
  std::optional<Val> val;
  if (stmt.value)
    val = eval(*stmt.value, frame,
               assignable ? localName(frame, stmt.target) : ResultName{});
  if (!assignable)
    return;
  Local &local = frame.locals[stmt.target];
  local = {stmt.loc, -1, std::nullopt, !val};
  if (val && val->isTensor())
    local.value = val->value;
  else if (val)
    local.constant = val->constant;
}

void Sema::execReturn(const ast::Stmt &stmt, Frame &frame) {
  bool isReturn = stmt.kind == ast::Stmt::Kind::Return;
  if (!frame.isModel) {
    if (!isReturn) {
      diags.error(stmt.loc, "'minimize' can only be used in the model's "
                            "forward, not in a block's");
      return;
    }
    frame.returnLoc = stmt.loc;
    if (stmt.value && stmt.value->kind == ast::Expr::Kind::Tuple) {
      // `return a, b`: several outputs, which the caller unpacks.
      std::vector<int> results;
      for (const ast::Arg &element : stmt.value->args)
        if (std::optional<int> value = evalTensor(*element.value, frame))
          results.push_back(*value);
      if (results.size() == stmt.value->args.size())
        frame.results = std::move(results);
      else
        frame.incomplete = true;
      return;
    }
    std::optional<Val> value;
    if (stmt.value)
      value = eval(*stmt.value, frame, frame.resultName);
    if (value && !value->isTensor()) {
      diags.error(stmt.value->loc, "a block's forward must return a tensor, "
                                   "found " +
                                       describeConst(value->constant));
      value.reset();
    }
    frame.result = value ? value->value : -1;
    frame.incomplete |= !value;
    return;
  }
  std::optional<SourceLoc> &seen =
      isReturn ? frame.returnLoc : frame.minimizeLoc;
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
  if (stmt.value->kind == ast::Expr::Kind::Tuple && isReturn) {
    diags.error(stmt.value->loc,
                "the model returns one tensor, its output (the logits); "
                "several outputs are supported in blocks");
    return;
  }
  std::optional<int> value = evalTensor(*stmt.value, frame);
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

} // namespace nncc
