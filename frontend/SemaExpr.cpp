//===- SemaExpr.cpp - evaluate expressions --------------------------------===//
//
// One evaluator for bodies and forward blocks. Its result is a constant
// (hyper-parameter arithmetic, folded here) or, in a forward block, a tensor
// (a value of the Graph): calls apply members or functions, `+` of two
// tensors adds them. What may appear where is checked by the caller asking
// for a constant, a condition or a tensor.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"
#include "frontend/Suggest.h"

#include <cctype>

namespace nncc {

/// The name an operand is written as, for messages; "" for expressions.
static std::string nameOf(const ast::Expr &expr) {
  return expr.kind == ast::Expr::Kind::Name ? expr.text : std::string();
}

std::optional<Sema::Val> Sema::eval(const ast::Expr &expr, Frame &frame,
                                    const ResultName &name) {
  Nest nest(*this, expr.loc);
  if (!nest.ok || expr.malformed)
    return std::nullopt;
  Val val;
  switch (expr.kind) {
  case ast::Expr::Kind::Int:
    val.constant = Const::ofInt(expr.intValue);
    return val;
  case ast::Expr::Kind::Float:
    val.constant = Const::ofFloat(expr.floatValue);
    return val;
  case ast::Expr::Kind::Bool:
    val.constant = Const::ofBool(expr.boolValue);
    return val;
  case ast::Expr::Kind::None:
    return val;
  case ast::Expr::Kind::String:
    val.constant = Const::ofString(expr.text);
    return val;
  case ast::Expr::Kind::Name:
    return evalName(expr, frame);
  case ast::Expr::Kind::Call:
    return evalCall(expr, frame, name);
  case ast::Expr::Kind::Binary:
    return evalBinary(expr, frame, name);
  case ast::Expr::Kind::Tuple: {
    val.constant.kind = Const::Kind::Tuple;
    bool ok = true;
    for (const ast::Arg &element : expr.args) {
      std::optional<Const> value = evalConst(*element.value, frame);
      ok &= value.has_value();
      if (value)
        val.constant.elements.push_back(*value);
    }
    return ok ? std::optional(val) : std::nullopt;
  }
  case ast::Expr::Kind::Conditional: {
    // Like Python, only the chosen branch is evaluated (and checked).
    std::optional<bool> cond = evalCondition(*expr.cond, frame);
    if (!cond)
      return std::nullopt;
    return eval(*cond ? *expr.lhs : *expr.rhs, frame, name);
  }
  case ast::Expr::Kind::Comprehension:
    diags.error(expr.opLoc, "a 'for' repetition can only be an argument of "
                            "Sequential");
    return std::nullopt;
  case ast::Expr::Kind::Unary: {
    std::optional<Val> operand = eval(*expr.lhs, frame, {});
    if (!operand)
      return std::nullopt;
    if (operand->isTensor()) {
      diags.error(expr.loc, std::string("unary '") + ast::spell(expr.unaryOp) +
                                "' cannot be applied to a tensor");
      return std::nullopt;
    }
    std::string error;
    std::optional<Const> folded =
        foldUnary(expr.unaryOp, operand->constant, error);
    if (!folded) {
      diags.error(expr.loc, error);
      return std::nullopt;
    }
    val.constant = *folded;
    return val;
  }
  }
  return std::nullopt;
}

std::optional<Const> Sema::evalConst(const ast::Expr &expr, Frame &frame) {
  std::optional<Val> val = eval(expr, frame, {});
  if (!val)
    return std::nullopt;
  if (val->isTensor()) {
    diags.error(expr.loc, "expected a constant, found the tensor " +
                              describeValue(val->value));
    return std::nullopt;
  }
  return val->constant;
}

std::optional<bool> Sema::evalCondition(const ast::Expr &expr, Frame &frame) {
  std::optional<Const> value = evalConst(expr, frame);
  if (!value)
    return std::nullopt;
  if (value->kind != Const::Kind::Bool) {
    diags.error(expr.loc, "condition must be 'true' or 'false', found " +
                              describeConst(*value));
    return std::nullopt;
  }
  return value->boolValue;
}

std::optional<int> Sema::evalTensor(const ast::Expr &expr, Frame &frame) {
  std::optional<Val> val = eval(expr, frame, {});
  if (!val)
    return std::nullopt;
  if (!val->isTensor()) {
    diags.error(expr.loc,
                "expected a tensor, found " + describeConst(val->constant));
    return std::nullopt;
  }
  return val->value;
}

std::optional<Sema::Val> Sema::evalName(const ast::Expr &expr, Frame &frame) {
  if (auto it = frame.locals.find(expr.text); it != frame.locals.end()) {
    const Local &local = it->second;
    if (local.poisoned)
      return std::nullopt;
    Val val;
    if (local.constant) {
      val.constant = *local.constant;
    } else {
      val.value = local.value;
      valueUsed[local.value] = true;
    }
    return val;
  }
  if (auto it = frame.scope->names.find(expr.text);
      it != frame.scope->names.end()) {
    Entry &entry = it->second;
    entry.used = true;
    if (entry.unknown)
      return std::nullopt;
    switch (entry.kind) {
    case Entry::Kind::Constant:
      if (!entry.constant)
        return std::nullopt;
      return Val{-1, *entry.constant};
    case Entry::Kind::Member:
      diags.error(expr.loc, "'" + expr.text +
                                "' is a module, not a value; "
                                "apply it to a value, e.g. '" +
                                expr.text + "(x)'");
      return std::nullopt;
    case Entry::Kind::Input:
      diags.error(expr.loc, "'" + expr.text +
                                "' is an input; members can only use "
                                "constants");
      return std::nullopt;
    }
  }
  if (auto it = frame.targets.find(expr.text); it != frame.targets.end()) {
    diags.error(expr.loc, "'" + expr.text + "' is used before it is defined");
    diags.note(it->second, "'" + expr.text + "' is defined here");
    return std::nullopt;
  }
  reportUndefined(expr, frame, false);
  return std::nullopt;
}

void Sema::reportUndefined(const ast::Expr &expr, Frame &frame, bool callee) {
  const std::string &name = expr.text;
  if (name == "None" || name == "True" || name == "False") {
    std::string lower = name == "None"   ? "none"
                        : name == "True" ? "true"
                                         : "false";
    diags.error(expr.loc,
                "use of undefined name '" + name + "'; write '" + lower + "'");
    return;
  }
  // Candidates of the same sort as the use, with where each is defined.
  std::map<std::string, SourceLoc> candidates;
  if (!callee)
    for (const auto &[local, entry] : frame.locals)
      candidates[local] = entry.loc;
  for (const auto &[member, entry] : frame.scope->names)
    if ((entry.kind == Entry::Kind::Member) == callee)
      candidates[member] = entry.loc;
  std::vector<std::string> names;
  for (const auto &[candidate, loc] : candidates)
    names.push_back(candidate);
  std::string best = closestName(name, names);
  const char *what = callee ? "member" : frame.inForward ? "value" : "name";
  diags.error(expr.loc,
              "use of undefined " + std::string(what) + " '" + name + "'" +
                  (best.empty() ? "" : "; did you mean '" + best + "'?"));
  if (!best.empty())
    diags.note(candidates[best], "'" + best + "' is defined here");
}

std::optional<Sema::Val> Sema::evalBinary(const ast::Expr &expr, Frame &frame,
                                          const ResultName &name) {
  std::optional<Val> lhs = eval(*expr.lhs, frame, {});
  std::optional<Val> rhs = eval(*expr.rhs, frame, {});
  if (!lhs || !rhs)
    return std::nullopt;
  std::string op = std::string("'") + ast::spell(expr.binaryOp) + "'";
  if (!lhs->isTensor() && !rhs->isTensor()) {
    std::string error;
    std::optional<Const> folded =
        foldBinary(expr.binaryOp, lhs->constant, rhs->constant, error);
    if (!folded) {
      diags.error(expr.opLoc, error);
      return std::nullopt;
    }
    return Val{-1, *folded};
  }
  if (!lhs->isTensor() || !rhs->isTensor()) {
    const Val &constant = lhs->isTensor() ? *rhs : *lhs;
    const Val &tensor = lhs->isTensor() ? *lhs : *rhs;
    diags.error(expr.opLoc, op + " cannot combine the tensor " +
                                describeValue(tensor.value) + " with " +
                                describeConst(constant.constant));
    return std::nullopt;
  }
  if (expr.binaryOp != ast::BinaryOp::Add) {
    diags.error(expr.opLoc, op + " cannot be applied to tensors; only '+' "
                                 "(a residual connection) can");
    return std::nullopt;
  }
  std::optional<int> sum = addTensors(
      expr, {lhs->value, expr.lhs->loc, true, nameOf(*expr.lhs)},
      {rhs->value, expr.rhs->loc, true, nameOf(*expr.rhs)}, frame, name);
  if (!sum)
    return std::nullopt;
  return Val{*sum, {}};
}

std::optional<Sema::Val> Sema::evalCall(const ast::Expr &call, Frame &frame,
                                        const ResultName &name) {
  // Only the outermost call of `a, b = m(x)` may give several values.
  bool unpacking = frame.unpacking;
  frame.unpacking = false;
  if (!frame.inForward) {
    diags.error(call.loc, "expected a constant, found call '" + call.text +
                              "(...)'; layers are applied in 'forward'");
    return std::nullopt;
  }
  Entry *member = nullptr;
  auto entry = frame.scope->names.find(call.text);
  if (frame.locals.count(call.text) ||
      (entry != frame.scope->names.end() &&
       entry->second.kind == Entry::Kind::Input)) {
    diags.error(call.loc, "'" + call.text +
                              "' is a value, not a module; "
                              "only members defined as 'NAME = LAYER(...)' can "
                              "be applied");
  } else if (entry != frame.scope->names.end()) {
    entry->second.used = true;
    if (entry->second.kind == Entry::Kind::Member)
      member = &entry->second;
    else if (!entry->second.unknown)
      diags.error(call.loc, "'" + call.text + "' is a constant, not a module");
  } else if (const LayerInfo *function = findFunction(call.text)) {
    std::optional<int> result = applyFunction(call, *function, frame, name);
    if (!result)
      return std::nullopt;
    return Val{*result, {}};
  } else if (findLayer(call.text) || findBlock(call.text)) {
    // `ReLU` -> `relu`, `MaxPool2d` -> `max_pool2d`.
    auto normalize = [](const std::string &name) {
      std::string result;
      for (char c : name)
        if (c != '_')
          result += static_cast<char>(std::tolower(c));
      return result;
    };
    std::string lower;
    for (const std::string &function : functionNames())
      if (normalize(function) == normalize(call.text))
        lower = function;
    diags.error(call.loc,
                "'" + call.text + "' is a " +
                    (findBlock(call.text) ? "block" : "layer type") +
                    ", not a member; define a member such as 'm = " +
                    call.text + "(...)' and apply that" +
                    (lower.empty() ? "" : ", or call '" + lower + "(...)'"));
  } else {
    reportUndefined(call, frame, true);
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
    std::optional<int> value = evalTensor(*arg.value, frame);
    if (!value) {
      ok = false;
      continue;
    }
    operands.push_back(
        {*value, arg.value->loc, /*direct=*/true, nameOf(*arg.value)});
  }
  if (!ok || !member || !member->module)
    return std::nullopt;
  Val val;
  std::optional<int> result = apply(*member->module, operands, call.loc, name,
                                    unpacking ? &val.tuple : nullptr);
  if (!result)
    return std::nullopt;
  val.value = *result;
  return val;
}

} // namespace nncc
