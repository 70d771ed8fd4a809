//===- Sema.h - semantic checks and Graph construction ----------*- C++ -*-===//
//
// Sema resolves what the AST means: member definitions become Module trees
// with bound arguments and PyTorch-named parameters, forward statements
// apply them to values with shape inference, and the result is a Graph.
//
// Errors poison the name they concern (a member or value entry without a
// module or value id) instead of removing it, so one mistake is reported
// once and not again at every use.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_SEMA_H
#define NNCC_FRONTEND_SEMA_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Graph.h"
#include "frontend/Layers.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nncc {

/// A layer instance as defined in the model; Sequential has children.
struct Module {
  const LayerInfo *layer = nullptr;
  std::string path; ///< state_dict prefix, e.g. "layers.1"
  SourceLoc loc;    ///< the layer's name in its definition
  BoundArgs args;
  /// Null for a child whose definition had errors; the layers before it
  /// are still checked against their inputs.
  std::vector<std::unique_ptr<Module>> children;
  bool complete = true;    ///< false if any child (at any depth) is missing
  std::vector<int> params; ///< indices into Graph::params
};

/// A tensor handed to a layer, and where it came from for messages.
struct Operand {
  int value = -1;
  SourceLoc loc; ///< where the forward statement names it
  /// True if the forward statement names it; false if it is the output of
  /// the previous layer of a Sequential.
  bool direct = true;
};

class Sema {
public:
  Sema(std::string file, DiagnosticEngine &diags)
      : file(std::move(file)), diags(diags) {}

  std::optional<Graph> check(const ast::File &file);

private:
  struct MemberEntry {
    SourceLoc loc;
    std::unique_ptr<Module> module; ///< null if the definition had errors
    bool used = false;
  };
  struct ValueEntry {
    SourceLoc loc;
    int value = -1; ///< -1 if the definition had errors
    bool isInput = false;
    bool used = false;
  };

  // Sema.cpp: the model as a whole.
  void checkModel(const ast::Model &model);
  bool declareName(const std::string &name, const SourceLoc &loc);
  void warnUnused();

  // SemaMembers.cpp: inputs and member definitions.
  void declareInput(const ast::InputDecl &input);
  std::optional<TensorType> resolveType(const ast::Type &type,
                                        const std::string &inputName);
  void declareMember(const ast::MemberDecl &member);
  std::unique_ptr<Module> resolveModule(const ast::Expr &expr,
                                        const std::string &path,
                                        bool inSequential);
  bool checkLayerArgs(const Module &module);
  void createParams(Module &module);

  // SemaForward.cpp: forward statements.
  void checkForward(const ast::ForwardBlock &block);
  void checkStmt(const ast::Stmt &stmt);
  std::optional<int> evalValue(const ast::Expr &expr, const std::string &name);
  std::optional<int> evalCall(const ast::Expr &call, const std::string &name);
  std::optional<int> apply(Module &module, const std::vector<Operand> &operands,
                           const SourceLoc &callLoc, const std::string &name);
  int addValue(TensorType type, const std::string &name, const Module *producer,
               bool userNamed);

  // LayerShapes.cpp: result types of layers, reporting mismatches.
  std::optional<TensorType> inferResult(const Module &module,
                                        const std::vector<Operand> &operands,
                                        Node &node);
  std::optional<TensorType> inferFlatten(const Module &module,
                                         const Operand &input, Node &node);
  std::optional<TensorType> inferLinear(const Module &module,
                                        const Operand &input);
  std::optional<TensorType> inferLoss(const Module &module,
                                      const Operand &logits,
                                      const Operand &target, Node &node);
  void operandError(const Module &module, const Operand &operand,
                    const SourceLoc &layerLoc, const std::string &message);
  void argumentError(const Module &module, const Operand &operand,
                     const SourceLoc &argLoc, const std::string &message);
  std::string describeValue(int value) const;
  const char *verb(int value, const char *named) const;

  std::string file;
  DiagnosticEngine &diags;
  Graph graph;
  std::map<std::string, MemberEntry> members;
  std::map<std::string, ValueEntry> values;
  /// The module whose output each value is (null for inputs), for messages.
  std::vector<const Module *> producers;
  /// Whether each value carries the user's name (an input or an assignment
  /// target) rather than a generated "<path>.out".
  std::vector<bool> userNamed;
  std::set<std::string> valueNames;
  /// Every assignment target of the forward block, defined yet or not.
  std::map<std::string, SourceLoc> forwardTargets;
  std::optional<SourceLoc> returnLoc, minimizeLoc;
};

/// Static tensors larger than this are rejected: no model needs them, and
/// the limit keeps byte counts far from int64 overflow downstream.
constexpr int64_t kMaxElements = int64_t(1) << 40;

/// The number of elements per batch item of `shape` (the batch dimension
/// excluded), or nullopt if it exceeds kMaxElements.
std::optional<int64_t> elementsPerItem(const std::vector<int64_t> &shape);

/// Renders a type as the user writes it, e.g. "f32[N, 784]".
std::string formatType(const TensorType &type);

/// A layer as the user would write it, e.g. "Linear(784, 256)".
std::string formatLayer(const Module &module);

} // namespace nncc

#endif // NNCC_FRONTEND_SEMA_H
