//===- Sema.cpp - check a file as a whole ---------------------------------===//
//
// Blocks are declared first (their parameter defaults evaluated once, as
// Python evaluates defaults at definition time), then the model's body and
// forward block run. Warnings about unused names are only given for a
// model without errors: after an error the forward block may not have been
// understood, and the warning would be an echo.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace nncc {

std::optional<int64_t> elementsPerItem(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim == kBatchDim)
      continue;
    if (dim < 0 || (dim != 0 && count > kMaxElements / dim))
      return std::nullopt;
    count *= dim;
  }
  return count;
}

std::string formatType(const TensorType &type) {
  std::ostringstream os;
  os << (type.dtype == DType::F32 ? "f32" : "i64") << '[';
  for (size_t i = 0; i < type.shape.size(); ++i) {
    os << (i ? ", " : "");
    if (type.shape[i] == kBatchDim)
      os << 'N';
    else
      os << type.shape[i];
  }
  os << ']';
  return os.str();
}

Sema::Sema(std::string file, DiagnosticEngine &diags)
    : file(std::move(file)), diags(diags) {}

Sema::~Sema() = default;

Sema::Nest::Nest(Sema &sema, const SourceLoc &loc) : sema(sema) {
  ok = ++sema.nesting <= kMaxSemaNesting;
  if (!ok && !sema.tooDeep) {
    sema.tooDeep = true;
    sema.diags.error(loc, "the model nests blocks and expressions too "
                          "deeply; the limit is " +
                              std::to_string(kMaxSemaNesting) + " levels");
  }
}

bool Sema::countModule(const SourceLoc &loc) {
  if (tooLarge)
    return false;
  if (++modules <= kMaxModules)
    return true;
  tooLarge = true;
  diags.error(loc, "the model defines more than " +
                       std::to_string(kMaxModules) + " layers");
  return false;
}

bool Sema::countNode(const SourceLoc &loc) {
  if (tooLarge)
    return false;
  if (graph.nodes.size() < kMaxNodes)
    return true;
  tooLarge = true;
  diags.error(loc, "the model applies more than " + std::to_string(kMaxNodes) +
                       " layers");
  return false;
}

const ast::Definition *Sema::findBlock(const std::string &name) const {
  auto it = blocks.find(name);
  return it == blocks.end() ? nullptr : it->second;
}

std::optional<Graph> Sema::check(const ast::File &ast) {
  declareBlocks(ast);
  if (ast.models.empty()) {
    if (diags.errorCount() == 0)
      diags.error({file, 1, 1}, "expected a model definition "
                                "'model NAME { ... }'; the file has none");
    return std::nullopt;
  }
  for (size_t i = 1; i < ast.models.size(); ++i) {
    diags.error(ast.models[i].loc, "a file can define only one model");
    diags.note(ast.models[0].loc,
               "model '" + ast.models[0].name + "' is defined here");
  }
  checkModel(ast.models[0]);
  return std::move(graph);
}

void Sema::declareBlocks(const ast::File &ast) {
  for (const ast::Definition &block : ast.blocks) {
    if (block.name.empty())
      continue;
    if (findLayer(block.name) || block.name == "Sequential") {
      diags.error(block.nameLoc, "block '" + block.name +
                                     "' has the name of a built-in layer");
      continue;
    }
    auto [it, fresh] = blocks.emplace(block.name, &block);
    if (!fresh) {
      diags.error(block.nameLoc, "redefinition of block '" + block.name + "'");
      diags.note(it->second->nameLoc, "previous definition is here");
      continue;
    }
    for (const ast::Definition &model : ast.models)
      if (model.name == block.name) {
        diags.error(block.nameLoc,
                    "block '" + block.name + "' has the name of the model");
        diags.note(model.nameLoc, "model '" + model.name + "' is defined here");
      }
    // Parameters: unique, and those with defaults last, as in Python.
    unsigned errorsBefore = diags.errorReports();
    std::vector<ParamInfo> &signature = signatures[&block];
    std::set<std::string> seen;
    const ast::Param *firstDefault = nullptr;
    Frame frame; // defaults see no names, only literals and arithmetic
    Scope empty;
    frame.scope = &empty;
    for (const ast::Param &param : block.params) {
      if (!seen.insert(param.name).second) {
        diags.error(param.loc, "duplicate parameter '" + param.name +
                                   "' in block '" + block.name + "'");
        continue;
      }
      ParamInfo info{param.name, ArgType::Any, !param.defaultValue, false, {}};
      if (param.defaultValue) {
        firstDefault = firstDefault ? firstDefault : &param;
        std::optional<Const> value = evalConst(*param.defaultValue, frame);
        if (value)
          info.defaultValue = *value;
      } else if (firstDefault) {
        diags.error(param.loc, "parameter '" + param.name +
                                   "' without a default follows parameter '" +
                                   firstDefault->name + "' with one");
      }
      signature.push_back(std::move(info));
    }
    if (diags.errorReports() != errorsBefore)
      brokenBlocks.insert(&block);
    for (size_t i = 1; i < block.forwards.size(); ++i) {
      diags.error(block.forwards[i].loc,
                  "a block can have only one 'forward' block");
      diags.note(block.forwards[0].loc, "first 'forward' block is here");
    }
    if (!block.forwards.empty() && !block.forwards[0].hasParams)
      diags.error(block.forwards[0].loc,
                  "the forward of a block takes its inputs as parameters, "
                  "e.g. 'forward(x)'");
  }
}

void Sema::checkModel(const ast::Definition &model) {
  graph.name = model.name;
  graph.loc = model.nameLoc;
  modelScope = std::make_unique<Scope>();
  modelScope->def = &model;
  declareMembers(model.members, *modelScope);

  if (model.forwards.empty()) {
    // A model cut short may have had its forward block in the lost part.
    if (!model.complete)
      return;
    diags.error(model.nameLoc,
                "model '" + model.name + "' has no 'forward' block");
    return;
  }
  for (size_t i = 1; i < model.forwards.size(); ++i) {
    diags.error(model.forwards[i].loc, "a model can have only one 'forward' "
                                       "block");
    diags.note(model.forwards[0].loc, "first 'forward' block is here");
  }
  if (model.forwards[0].hasParams) {
    diags.error(model.forwards[0].loc,
                "a model's forward takes no parameters; declare its inputs "
                "with 'input NAME: TYPE'");
    return;
  }
  unsigned errorsBefore = diags.errorReports();
  checkModelForward(model.forwards[0]);
  if (diags.errorReports() == 0 && errorsBefore == 0)
    warnUnused();
}

void Sema::warnUnused() {
  std::vector<std::pair<SourceLoc, std::string>> unused;
  for (const auto &[name, entry] : modelScope->names) {
    if (entry.kind == Entry::Kind::Member && !entry.used)
      unused.push_back({entry.loc, "member '" + name + "' is never used"});
    if (entry.kind == Entry::Kind::Input && entry.value >= 0 &&
        !valueUsed[entry.value])
      unused.push_back({entry.loc, "input '" + name + "' is never used"});
  }
  // A block's member is unused if no applied instance uses it.
  std::map<const ast::Member *, std::pair<std::string, bool>> members;
  for (const Scope *scope : instanceScopes) {
    if (!scope->applied)
      continue;
    for (const auto &[name, entry] : scope->names)
      if (entry.kind == Entry::Kind::Member && entry.decl)
        members.emplace(entry.decl, std::make_pair(name, false))
            .first->second.second |= entry.used;
  }
  for (const auto &[decl, nameAndUse] : members)
    if (!nameAndUse.second)
      unused.push_back({decl->loc, "member '" + nameAndUse.first +
                                       "' is never used in forward"});
  for (const auto &[name, block] : blocks)
    if (!blockUsed[block] && !block->imported)
      unused.push_back({block->nameLoc, "block '" + name + "' is never used"});
  std::sort(unused.begin(), unused.end(), [](const auto &a, const auto &b) {
    return std::tie(a.first.line, a.first.col) <
           std::tie(b.first.line, b.first.col);
  });
  for (const auto &[loc, message] : unused)
    diags.warning(loc, message);
}

} // namespace nncc
