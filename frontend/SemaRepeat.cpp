//===- SemaRepeat.cpp - `for` repetition inside Sequential ----------------===//
//
// `Sequential(Stem(), Block(c) for i in range(n), Head())` stacks copies the
// way `nn.Sequential(Stem(), *[Block(c) for i in range(n)], Head())` does:
// each copy is one more child, numbered by position (`layer1.0`,
// `layer1.1`, ...), so state_dict names are PyTorch's. An element that is a
// tuple contributes each of its layers in turn, as `for m in (Linear(...),
// ReLU())` flattened would. The loop variable is a constant visible only in
// the element; `range` takes Python's one to three integer arguments.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

namespace nncc {

/// The values of `range(...)`, or nullopt after reporting why not.
std::optional<std::vector<int64_t>> Sema::evalRange(const ast::Expr &iterable,
                                                    Scope &scope) {
  if (iterable.kind != ast::Expr::Kind::Call || iterable.text != "range") {
    if (!iterable.malformed)
      diags.error(iterable.loc, "a repetition iterates over 'range(...)', "
                                "found " +
                                    describeExpr(iterable));
    return std::nullopt;
  }
  if (iterable.args.empty() || iterable.args.size() > 3) {
    diags.error(iterable.loc,
                "range takes 1 to 3 arguments (stop, or start, stop[, step]), "
                "found " +
                    std::to_string(iterable.args.size()));
    return std::nullopt;
  }
  Frame frame;
  frame.scope = &scope;
  std::vector<int64_t> bounds;
  for (const ast::Arg &arg : iterable.args) {
    if (!arg.keyword.empty()) {
      diags.error(arg.keywordLoc, "range takes no keyword arguments");
      return std::nullopt;
    }
    std::optional<Const> value = evalConst(*arg.value, frame);
    if (!value)
      return std::nullopt;
    if (value->kind != Const::Kind::Int) {
      diags.error(arg.value->loc, "range arguments must be integers, found " +
                                      describeConst(*value));
      return std::nullopt;
    }
    bounds.push_back(value->intValue);
  }
  int64_t start = bounds.size() > 1 ? bounds[0] : 0;
  int64_t stop = bounds.size() > 1 ? bounds[1] : bounds[0];
  int64_t step = bounds.size() > 2 ? bounds[2] : 1;
  if (step == 0) {
    diags.error(iterable.args[2].value->loc, "range step must not be zero");
    return std::nullopt;
  }
  // The count first (in 128 bits, the bounds may be anything), so a huge
  // range is an error instead of a long loop.
  __int128 span = step > 0 ? __int128(stop) - start : __int128(start) - stop;
  __int128 magnitude = step > 0 ? step : -__int128(step);
  __int128 count = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
  if (count > kMaxModules) {
    diags.error(iterable.loc, "range repeats " +
                                  (count > (__int128(1) << 62)
                                       ? std::string("more than 2^62")
                                       : std::to_string(int64_t(count))) +
                                  " times; a model may define at most " +
                                  std::to_string(kMaxModules) + " layers");
    return std::nullopt;
  }
  std::vector<int64_t> values;
  for (int64_t i = 0; i < int64_t(count); ++i)
    values.push_back(int64_t(start + __int128(i) * step));
  return values;
}

bool Sema::expandRepetition(const ast::Expr &repeat, Module &sequential,
                            Scope &scope) {
  std::optional<std::vector<int64_t>> values = evalRange(*repeat.rhs, scope);
  if (!values)
    return false;
  const std::string &var = repeat.text;
  if (auto it = scope.names.find(var); it != scope.names.end()) {
    diags.error(repeat.opLoc, "loop variable '" + var +
                                  "' would hide the name defined before; "
                                  "choose another name");
    diags.note(it->second.loc, "'" + var + "' is defined here");
    return false;
  }
  const ast::Expr &element = *repeat.lhs;
  std::vector<const ast::Expr *> layers;
  if (element.kind == ast::Expr::Kind::Tuple)
    for (const ast::Arg &layer : element.args)
      layers.push_back(layer.value.get());
  else
    layers.push_back(&element);
  bool ok = true;
  for (int64_t value : *values) {
    Entry &entry = scope.names[var];
    entry.kind = Entry::Kind::Constant;
    entry.loc = repeat.opLoc;
    entry.constant = Const::ofInt(value);
    entry.used = true;
    // Errors in the element are reported for the copy that has them.
    diags.pushContext(repeat.opLoc, "in the copy where " + var + " = " +
                                        std::to_string(value));
    for (const ast::Expr *layer : layers) {
      auto child = resolveModule(
          *layer,
          qualify(sequential.path, std::to_string(sequential.children.size())),
          scope, true);
      ok &= child != nullptr && child->complete;
      sequential.children.push_back(std::move(child));
    }
    diags.popContext();
    scope.names.erase(var);
    if (!ok || tooLarge)
      break; // the next copies would repeat the same errors
  }
  return ok;
}

} // namespace nncc
