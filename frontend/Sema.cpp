//===- Sema.cpp - check a model as a whole --------------------------------===//
//
// Declarations are checked in source order, so "redefinition" errors point
// at the later definition and their note at the earlier one. Warnings about
// unused names are only given for a model without errors: after an error
// the forward block may not have been understood, and the warning would be
// an echo.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include <algorithm>
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

std::optional<Graph> Sema::check(const ast::File &ast) {
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

bool Sema::declareName(const std::string &name, const SourceLoc &loc) {
  const SourceLoc *previous = nullptr;
  if (auto it = members.find(name); it != members.end())
    previous = &it->second.loc;
  if (auto it = values.find(name); it != values.end())
    previous = &it->second.loc;
  if (!previous)
    return true;
  diags.error(loc, "redefinition of '" + name + "'");
  diags.note(*previous, "previous definition of '" + name + "' is here");
  return false;
}

void Sema::checkModel(const ast::Model &model) {
  graph.name = model.name;
  graph.loc = model.nameLoc;

  // Inputs and members share one namespace; visit them in source order.
  struct Decl {
    SourceLoc loc;
    const ast::InputDecl *input;
    const ast::MemberDecl *member;
  };
  std::vector<Decl> decls;
  for (const ast::InputDecl &input : model.inputs)
    decls.push_back({input.loc, &input, nullptr});
  for (const ast::MemberDecl &member : model.members)
    decls.push_back({member.loc, nullptr, &member});
  std::stable_sort(decls.begin(), decls.end(),
                   [](const Decl &a, const Decl &b) {
                     return std::tie(a.loc.line, a.loc.col) <
                            std::tie(b.loc.line, b.loc.col);
                   });
  for (const Decl &decl : decls) {
    if (decl.input)
      declareInput(*decl.input);
    else
      declareMember(*decl.member);
  }

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
  unsigned errorsBefore = diags.errorCount();
  checkForward(model.forwards[0]);
  if (diags.errorCount() == 0 && errorsBefore == 0)
    warnUnused();
}

void Sema::warnUnused() {
  std::vector<std::pair<SourceLoc, std::string>> unused;
  for (const auto &[name, entry] : members)
    if (!entry.used)
      unused.push_back({entry.loc, "member '" + name + "' is never used"});
  for (const auto &[name, entry] : values)
    if (entry.isInput && !entry.used)
      unused.push_back({entry.loc, "input '" + name + "' is never used"});
  std::sort(unused.begin(), unused.end(), [](const auto &a, const auto &b) {
    return std::tie(a.first.line, a.first.col) <
           std::tie(b.first.line, b.first.col);
  });
  for (const auto &[loc, message] : unused)
    diags.warning(loc, message);
}

} // namespace nncc
