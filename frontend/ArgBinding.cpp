//===- ArgBinding.cpp - bind call arguments to a signature ----------------===//
//
// Python's rules: positional arguments first, then keywords, each parameter
// at most once, defaults for the rest. Every problem is reported, at the
// argument it concerns, before the call is rejected.
//
//===----------------------------------------------------------------------===//
#include "frontend/Layers.h"

#include "frontend/Suggest.h"

#include <sstream>

namespace nncc {

namespace {

const char *typeName(ArgType type) {
  switch (type) {
  case ArgType::Int:
    return "an integer";
  case ArgType::Float:
    return "a number";
  case ArgType::Bool:
    return "'true' or 'false'";
  case ArgType::String:
    return "a string";
  case ArgType::IntPair:
    return "an integer or a pair (h, w) of integers";
  case ArgType::Padding:
    return "an integer, a pair (h, w) of integers, \"same\" or \"valid\"";
  case ArgType::OptIntPair:
    return "an integer, a pair (h, w) of integers or 'none'";
  case ArgType::OptInt:
    return "an integer or 'none'";
  case ArgType::OptFloat:
    return "a number or 'none'";
  case ArgType::OptString:
    return "a string or 'none'";
  case ArgType::Any:
  case ArgType::Tensor:
    break;
  }
  return "a value";
}

bool isPair(const Const &value) {
  if (value.kind == Const::Kind::Int)
    return true;
  return value.kind == Const::Kind::Tuple && value.elements.size() == 2 &&
         value.elements[0].kind == Const::Kind::Int &&
         value.elements[1].kind == Const::Kind::Int;
}

/// Checks `value` against `type`; integers widen to numbers.
std::optional<Const> convert(const Const &value, ArgType type) {
  bool isNone = value.kind == Const::Kind::None;
  switch (type) {
  case ArgType::Int:
    return value.kind == Const::Kind::Int ? std::optional(value) : std::nullopt;
  case ArgType::OptInt:
    return value.kind == Const::Kind::Int || isNone ? std::optional(value)
                                                    : std::nullopt;
  case ArgType::Float:
  case ArgType::OptFloat:
    if (isNone && type == ArgType::OptFloat)
      return value;
    if (!value.isNumber())
      return std::nullopt;
    return Const::ofFloat(value.asDouble());
  case ArgType::Bool:
    return value.kind == Const::Kind::Bool ? std::optional(value)
                                           : std::nullopt;
  case ArgType::String:
  case ArgType::OptString:
    return value.kind == Const::Kind::String ||
                   (isNone && type == ArgType::OptString)
               ? std::optional(value)
               : std::nullopt;
  case ArgType::IntPair:
    return isPair(value) ? std::optional(value) : std::nullopt;
  case ArgType::OptIntPair:
    return isPair(value) || isNone ? std::optional(value) : std::nullopt;
  case ArgType::Padding:
    return isPair(value) || value.kind == Const::Kind::String
               ? std::optional(value)
               : std::nullopt;
  case ArgType::Any:
  case ArgType::Tensor:
    return value;
  }
  return std::nullopt;
}

} // namespace

std::string describeExpr(const ast::Expr &expr) {
  switch (expr.kind) {
  case ast::Expr::Kind::Int:
    return "integer " + expr.text;
  case ast::Expr::Kind::Float:
    return "number " + expr.text;
  case ast::Expr::Kind::Bool:
    return expr.boolValue ? "'true'" : "'false'";
  case ast::Expr::Kind::None:
    return "'none'";
  case ast::Expr::Kind::String:
    return "string \"" + expr.text + "\"";
  case ast::Expr::Kind::Name:
    return "name '" + expr.text + "'";
  case ast::Expr::Kind::Call:
    return "call '" + expr.text + "(...)'";
  case ast::Expr::Kind::Tuple:
    return "a tuple";
  case ast::Expr::Kind::Unary:
  case ast::Expr::Kind::Binary:
  case ast::Expr::Kind::Conditional:
    return "an expression";
  case ast::Expr::Kind::Comprehension:
    return "a 'for' repetition";
  }
  return "an expression";
}

std::string formatSignature(const std::string &name,
                            const std::vector<ParamInfo> &params) {
  std::ostringstream os;
  os << name << '(';
  bool keywordOnly = false;
  for (size_t i = 0; i < params.size(); ++i) {
    os << (i ? ", " : "");
    if (params[i].keywordOnly && !keywordOnly) {
      keywordOnly = true;
      os << "*, ";
    }
    os << params[i].name;
  }
  os << ')';
  return os.str();
}

std::string formatCall(const std::string &name,
                       const std::vector<ParamInfo> &params,
                       const BoundArgs &args) {
  std::ostringstream os;
  os << name << '(';
  bool first = true;
  for (const ParamInfo &param : params) {
    auto it = args.find(param.name);
    if (it == args.end() || (!param.required && !it->second.given))
      continue;
    os << (first ? "" : ", ");
    first = false;
    if (param.type == ArgType::Tensor)
      os << "...";
    else if (param.required)
      os << formatConst(it->second.value);
    else
      os << param.name << '=' << formatConst(it->second.value);
  }
  os << ')';
  return os.str();
}

std::optional<BoundArgs> bindArguments(const ast::Expr &call,
                                       const std::string &callee,
                                       const std::vector<ParamInfo> &params,
                                       const ArgEvaluator &evaluate,
                                       DiagnosticEngine &diags) {
  BoundArgs bound;
  std::map<std::string, SourceLoc> givenAt;
  bool ok = true;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const ast::Arg &arg : call.args) {
    const ast::Expr &value = *arg.value;
    const ParamInfo *param = nullptr;
    SourceLoc nameLoc = arg.keyword.empty() ? value.loc : arg.keywordLoc;
    if (arg.keyword.empty()) {
      if (sawKeyword) {
        diags.error(value.loc, "positional argument follows keyword argument");
        ok = false;
        continue;
      }
      size_t index = positional++;
      if (index >= params.size() || params[index].keywordOnly) {
        size_t max = 0;
        while (max < params.size() && !params[max].keywordOnly)
          ++max;
        size_t given = 0;
        for (const ast::Arg &a : call.args)
          given += a.keyword.empty();
        diags.error(value.loc,
                    formatSignature(callee, params) + " takes " +
                        (max == 0 ? std::string("no")
                                  : "at most " + std::to_string(max)) +
                        " positional argument" + (max == 1 ? "" : "s") + "; " +
                        std::to_string(given) + " given");
        ok = false;
        break;
      }
      param = &params[index];
    } else {
      sawKeyword = true;
      for (const ParamInfo &p : params)
        if (arg.keyword == p.name)
          param = &p;
      if (!param) {
        std::vector<std::string> names;
        for (const ParamInfo &p : params)
          names.push_back(p.name);
        diags.error(arg.keywordLoc, callee + " has no argument named '" +
                                        arg.keyword + "'" +
                                        didYouMean(arg.keyword, names));
        ok = false;
        continue;
      }
    }
    auto previous = givenAt.find(param->name);
    if (previous != givenAt.end()) {
      diags.error(nameLoc, "argument '" + param->name + "' of " + callee +
                               " is given twice");
      diags.note(previous->second, "first given here");
      ok = false;
      continue;
    }
    givenAt[param->name] = nameLoc;
    if (param->type == ArgType::Tensor) {
      ArgValue tensor;
      tensor.loc = value.loc;
      tensor.given = true;
      tensor.expr = &value;
      bound[param->name] = tensor;
      continue;
    }
    std::optional<Const> evaluated = evaluate(value);
    if (!evaluated) {
      ok = false;
      continue;
    }
    std::optional<Const> converted = convert(*evaluated, param->type);
    if (!converted) {
      bool literal = value.kind != ast::Expr::Kind::Name &&
                     value.kind != ast::Expr::Kind::Binary &&
                     value.kind != ast::Expr::Kind::Unary &&
                     value.kind != ast::Expr::Kind::Conditional &&
                     value.kind != ast::Expr::Kind::Tuple;
      diags.error(
          value.loc,
          "argument '" + param->name + "' of " + callee + " must be " +
              typeName(param->type) + ", found " +
              (literal ? describeExpr(value) : describeConst(*evaluated)));
      ok = false;
      continue;
    }
    bound[param->name] = {*converted, value.loc, true, nullptr};
  }
  for (const ParamInfo &param : params) {
    if (givenAt.count(param.name))
      continue;
    if (param.required) {
      if (ok)
        diags.error(call.loc, "missing argument '" + param.name +
                                  "' in call to " +
                                  formatSignature(callee, params));
      ok = false;
      continue;
    }
    bound[param.name] = {param.defaultValue, call.loc, false, nullptr};
  }
  if (!ok)
    return std::nullopt;
  return bound;
}

} // namespace nncc
