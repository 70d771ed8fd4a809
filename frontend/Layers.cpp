//===- Layers.cpp - layer signatures and argument binding -----------------===//
//
// Signatures mirror the PyTorch constructors for the parameters nncc
// supports. Parameters PyTorch takes before a supported one (for example
// CrossEntropyLoss's `weight`) are not modelled, so the supported one is
// keyword-only here; a positional argument cannot then silently mean
// something else than it does in PyTorch.
//
//===----------------------------------------------------------------------===//
#include "frontend/Layers.h"

#include "frontend/Suggest.h"

#include <sstream>

namespace nncc {

namespace {

ParamInfo required(const char *name, ArgType type) {
  return {name, type, /*required=*/true, /*keywordOnly=*/false, {}};
}

ParamInfo optionalInt(const char *name, int64_t value) {
  ArgValue v;
  v.type = ArgType::Int;
  v.intValue = value;
  return {name, ArgType::Int, false, false, v};
}

ParamInfo optionalBool(const char *name, bool value) {
  ArgValue v;
  v.type = ArgType::Bool;
  v.boolValue = value;
  return {name, ArgType::Bool, false, false, v};
}

ParamInfo keywordFloat(const char *name, double value) {
  ArgValue v;
  v.type = ArgType::Float;
  v.floatValue = value;
  return {name, ArgType::Float, false, true, v};
}

ParamInfo keywordString(const char *name, const char *value) {
  ArgValue v;
  v.type = ArgType::String;
  v.stringValue = value;
  return {name, ArgType::String, false, true, v};
}

const std::vector<LayerInfo> &layerTable() {
  static const std::vector<LayerInfo> table = {
      {LayerKind::Flatten,
       "Flatten",
       {optionalInt("start_dim", 1), optionalInt("end_dim", -1)},
       1,
       false},
      {LayerKind::Linear,
       "Linear",
       {required("in_features", ArgType::Int),
        required("out_features", ArgType::Int), optionalBool("bias", true)},
       1,
       false},
      {LayerKind::ReLU, "ReLU", {optionalBool("inplace", false)}, 1, false},
      {LayerKind::CrossEntropyLoss,
       "CrossEntropyLoss",
       {keywordString("reduction", "mean"),
        keywordFloat("label_smoothing", 0.0)},
       2,
       true},
      // Sequential takes its layers as positional arguments; the module
      // resolver handles them, so the table lists no parameters.
      {LayerKind::Sequential, "Sequential", {}, 1, false},
  };
  return table;
}

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
  }
  return "a value";
}

/// Converts `expr` to a value of `type`; integers widen to numbers.
std::optional<ArgValue> convert(const ast::Expr &expr, ArgType type) {
  ArgValue value;
  value.type = type;
  value.loc = expr.loc;
  switch (type) {
  case ArgType::Int:
    if (expr.kind != ast::Expr::Kind::Int)
      return std::nullopt;
    value.intValue = expr.intValue;
    return value;
  case ArgType::Float:
    if (expr.kind == ast::Expr::Kind::Int)
      value.floatValue = static_cast<double>(expr.intValue);
    else if (expr.kind == ast::Expr::Kind::Float)
      value.floatValue = expr.floatValue;
    else
      return std::nullopt;
    return value;
  case ArgType::Bool:
    if (expr.kind != ast::Expr::Kind::Bool)
      return std::nullopt;
    value.boolValue = expr.boolValue;
    return value;
  case ArgType::String:
    if (expr.kind != ast::Expr::Kind::String)
      return std::nullopt;
    value.stringValue = expr.text;
    return value;
  }
  return std::nullopt;
}

std::string signature(const LayerInfo &layer) {
  std::ostringstream os;
  os << layer.name << '(';
  for (size_t i = 0; i < layer.params.size(); ++i)
    os << (i ? ", " : "") << layer.params[i].name;
  os << ')';
  return os.str();
}

} // namespace

const LayerInfo *findLayer(const std::string &name) {
  for (const LayerInfo &layer : layerTable())
    if (name == layer.name)
      return &layer;
  return nullptr;
}

std::string describeExpr(const ast::Expr &expr) {
  switch (expr.kind) {
  case ast::Expr::Kind::Int:
    return "integer " + expr.text;
  case ast::Expr::Kind::Float:
    return "number " + expr.text;
  case ast::Expr::Kind::Bool:
    return expr.boolValue ? "'true'" : "'false'";
  case ast::Expr::Kind::String:
    return "string \"" + expr.text + "\"";
  case ast::Expr::Kind::Name:
    return "name '" + expr.text + "'";
  case ast::Expr::Kind::Call:
    return "layer '" + expr.text + "(...)'";
  }
  return "expression";
}

std::vector<std::string> layerNames() {
  std::vector<std::string> names;
  for (const LayerInfo &layer : layerTable())
    names.push_back(layer.name);
  return names;
}

std::optional<BoundArgs> bindArguments(const ast::Expr &call,
                                       const LayerInfo &layer,
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
      if (index >= layer.params.size() || layer.params[index].keywordOnly) {
        size_t max = 0;
        while (max < layer.params.size() && !layer.params[max].keywordOnly)
          ++max;
        size_t given = 0;
        for (const ast::Arg &a : call.args)
          given += a.keyword.empty();
        diags.error(value.loc,
                    signature(layer) + " takes " +
                        (max == 0 ? std::string("no")
                                  : "at most " + std::to_string(max)) +
                        " positional argument" + (max == 1 ? "" : "s") + "; " +
                        std::to_string(given) + " given");
        ok = false;
        break;
      }
      param = &layer.params[index];
    } else {
      sawKeyword = true;
      for (const ParamInfo &p : layer.params)
        if (arg.keyword == p.name)
          param = &p;
      if (!param) {
        std::vector<std::string> names;
        for (const ParamInfo &p : layer.params)
          names.push_back(p.name);
        diags.error(arg.keywordLoc,
                    layer.name + std::string(" has no argument named '") +
                        arg.keyword + "'" + didYouMean(arg.keyword, names));
        ok = false;
        continue;
      }
    }
    auto previous = givenAt.find(param->name);
    if (previous != givenAt.end()) {
      diags.error(nameLoc, std::string("argument '") + param->name + "' of " +
                               layer.name + " is given twice");
      diags.note(previous->second, "first given here");
      ok = false;
      continue;
    }
    givenAt[param->name] = nameLoc;
    if (value.malformed) {
      ok = false;
      continue;
    }
    std::optional<ArgValue> converted = convert(value, param->type);
    if (!converted) {
      diags.error(value.loc, std::string("argument '") + param->name + "' of " +
                                 layer.name + " must be " +
                                 typeName(param->type) + ", found " +
                                 describeExpr(value));
      ok = false;
      continue;
    }
    bound[param->name] = *converted;
  }
  for (const ParamInfo &param : layer.params) {
    if (givenAt.count(param.name))
      continue;
    if (param.required) {
      if (ok)
        diags.error(call.loc, std::string("missing argument '") + param.name +
                                  "' in call to " + signature(layer));
      ok = false;
      continue;
    }
    ArgValue value = param.defaultValue;
    value.loc = call.loc;
    bound[param.name] = value;
  }
  if (!ok)
    return std::nullopt;
  return bound;
}

} // namespace nncc
