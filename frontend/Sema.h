//===- Sema.h - semantic checks and Graph construction ----------*- C++ -*-===//
//
// Sema gives the AST its meaning, the way Python would run the equivalent
// PyTorch code: member definitions build Module trees (block instances get
// their own scope of hyper-parameters and members, and create parameters in
// registration order), then the model's forward runs with shape inference,
// inlining each block's forward where it is applied. Hyper-parameter
// expressions and `if` conditions are evaluated on the way; an untaken
// branch is not checked, as in Python.
//
// Errors poison the name they concern (an entry or local without a module,
// constant or value) instead of removing it, so one mistake is reported
// once and not again at every use.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_SEMA_H
#define NNCC_FRONTEND_SEMA_H

#include "frontend/AST.h"
#include "frontend/Const.h"
#include "frontend/Diagnostics.h"
#include "frontend/Graph.h"
#include "frontend/Layers.h"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nncc {

struct Scope;

/// A layer, Sequential, block instance or function application.
struct Module {
  const LayerInfo *layer = nullptr;       ///< null for a block instance
  const ast::Definition *block = nullptr; ///< a block instance's definition
  std::string path; ///< state_dict prefix, e.g. "layers.1"; a function's
                    ///< is its block's
  SourceLoc loc;    ///< the layer's name in its definition, or the call
  BoundArgs args;
  std::string text; ///< with its values, e.g. "Conv2d(1, 32, 3, padding=1)"
  /// Sequential: null for a child whose definition had errors; the layers
  /// before it are still checked against their inputs.
  std::vector<std::unique_ptr<Module>> children;
  std::unique_ptr<Scope> scope; ///< a block instance's names
  bool complete = true;         ///< false if anything inside had errors
  std::vector<int> params;      ///< indices into Graph::params
  std::vector<int> buffers;     ///< indices into Graph::buffers
};

/// A name defined in the body of the model or of a block instance.
struct Entry {
  enum class Kind { Constant, Member, Input };
  Kind kind = Kind::Member;
  SourceLoc loc;
  const ast::Member *decl = nullptr;
  std::optional<Const> constant;  ///< nullopt if its definition had errors
  std::unique_ptr<Module> module; ///< null if its definition had errors
  int value = -1;                 ///< an input's value; -1 after errors
  bool used = false;
  /// Defined in a branch whose condition had errors: it may be anything,
  /// so nothing is said about its uses.
  bool unknown = false;
};

/// The names of the model or of one block instance.
struct Scope {
  std::string path; ///< "" for the model, "layer1.0" for an instance
  const ast::Definition *def = nullptr;
  std::map<std::string, Entry> names;
  bool applied = false; ///< its forward ran at least once
};

/// A tensor handed to a layer, and where it came from for messages.
struct Operand {
  int value = -1;
  SourceLoc loc; ///< where the forward statement names it
  /// True if a forward statement names it; false if it is the output of
  /// the previous layer of a Sequential.
  bool direct = true;
  std::string name; ///< the name the statement uses for it, if any
};

class Sema {
public:
  Sema(std::string file, DiagnosticEngine &diags);
  ~Sema();

  std::optional<Graph> check(const ast::File &file);

private:
  /// What a result value is called: a user's name (display is what they
  /// wrote) or a generated one (display empty).
  struct ResultName {
    std::string name;
    std::string display;
  };
  /// A named value while a forward block or a body runs.
  struct Local {
    SourceLoc loc;
    int value = -1; ///< a tensor
    std::optional<Const> constant;
    bool poisoned = false;
  };
  /// Where names are looked up: a body (members, constants) or a forward
  /// block (also its locals: tensors and constants).
  struct Frame {
    Scope *scope = nullptr;
    bool inForward = false;
    bool isModel = false;
    std::map<std::string, Local> locals;
    /// Every assignment target of the forward block, defined yet or not.
    std::map<std::string, SourceLoc> targets;
    std::optional<SourceLoc> returnLoc, minimizeLoc;
    int result = -1; ///< a block's returned value
    /// A block's returned values when it returns several (`return a, b`).
    std::vector<int> results;
    /// The expression being evaluated is the whole right-hand side of an
    /// unpacking assignment, so a block may give several values.
    bool unpacking = false;
    ResultName resultName;   ///< what the caller calls that value
    bool incomplete = false; ///< a branch could not be chosen
  };
  /// A forward expression's value: a tensor or a constant.
  struct Val {
    int value = -1;
    Const constant;
    /// All of a block's outputs when it returns several (value is the
    /// first); only where Frame::unpacking allowed it.
    std::vector<int> tuple;
    bool isTensor() const { return value >= 0; }
  };
  /// Bounds Sema's recursion on any input; reports once when exceeded.
  class Nest {
  public:
    Nest(Sema &sema, const SourceLoc &loc);
    ~Nest() { --sema.nesting; }
    bool ok;

  private:
    Sema &sema;
  };

  // Sema.cpp: the file as a whole.
  void declareBlocks(const ast::File &file);
  void checkModel(const ast::Definition &model);
  void checkModelForward(const ast::ForwardBlock &forward);
  void warnUnused();
  const ast::Definition *findBlock(const std::string &name) const;
  bool countModule(const SourceLoc &loc);
  bool countNode(const SourceLoc &loc);

  // SemaMembers.cpp: bodies, inputs and member definitions.
  void declareMembers(const std::vector<ast::Member> &members, Scope &scope);
  void declareInput(const ast::Member &input, Scope &scope);
  std::optional<TensorType> resolveType(const ast::Type &type,
                                        const std::string &inputName);
  void declareMember(const ast::Member &member, Scope &scope);
  bool declareName(const Scope &scope, const std::string &name,
                   const SourceLoc &loc);
  void poisonNames(const std::vector<ast::Member> &members, Scope &scope);
  std::unique_ptr<Module> resolveModule(const ast::Expr &expr,
                                        const std::string &path, Scope &scope,
                                        bool inSequential);
  std::unique_ptr<Module> resolveSequential(const ast::Expr &expr,
                                            std::unique_ptr<Module> module,
                                            Scope &scope);
  std::unique_ptr<Module> instantiateBlock(const ast::Expr &expr,
                                           const ast::Definition &def,
                                           const std::string &path,
                                           Scope &scope);
  ArgEvaluator constEvaluator(Frame &frame);
  const ast::Expr *chooseBranch(const ast::Expr &expr, Scope &scope);

  // SemaRepeat.cpp: `for` repetition inside Sequential.
  std::optional<std::vector<int64_t>> evalRange(const ast::Expr &iterable,
                                                Scope &scope);
  bool expandRepetition(const ast::Expr &repeat, Module &sequential,
                        Scope &scope);

  // SemaExpr.cpp: expressions.
  std::optional<Val> eval(const ast::Expr &expr, Frame &frame,
                          const ResultName &name);
  std::optional<Const> evalConst(const ast::Expr &expr, Frame &frame);
  std::optional<bool> evalCondition(const ast::Expr &expr, Frame &frame);
  std::optional<Val> evalName(const ast::Expr &expr, Frame &frame);
  std::optional<Val> evalBinary(const ast::Expr &expr, Frame &frame,
                                const ResultName &name);
  std::optional<Val> evalCall(const ast::Expr &call, Frame &frame,
                              const ResultName &name);
  void reportUndefined(const ast::Expr &expr, Frame &frame, bool callee);
  std::optional<int> evalTensor(const ast::Expr &expr, Frame &frame);

  // SemaForward.cpp: statements.
  static void collectTargets(const std::vector<ast::Stmt> &stmts,
                             std::map<std::string, SourceLoc> &targets);
  bool execStmts(const std::vector<ast::Stmt> &stmts, Frame &frame);
  void execAssign(const ast::Stmt &stmt, Frame &frame);
  void execUnpack(const ast::Stmt &stmt, Frame &frame);
  void execReturn(const ast::Stmt &stmt, Frame &frame);
  void poisonTargets(const std::vector<ast::Stmt> &stmts, Frame &frame);
  ResultName localName(const Frame &frame, const std::string &name) const;

  // SemaApply.cpp: applications of modules, functions and '+'.
  /// Applies `module`; a block that returns several values fills `tuple`
  /// (then the result is the first) or, without one, is an error.
  std::optional<int> apply(Module &module, const std::vector<Operand> &operands,
                           const SourceLoc &callLoc, const ResultName &name,
                           std::vector<int> *tuple = nullptr);
  std::optional<int> applyBlock(Module &module,
                                const std::vector<Operand> &operands,
                                const SourceLoc &callLoc,
                                const ResultName &name,
                                std::vector<int> *tuple);
  std::optional<int> applyFunction(const ast::Expr &call,
                                   const LayerInfo &function, Frame &frame,
                                   const ResultName &name);
  std::optional<int> addTensors(const ast::Expr &expr, const Operand &lhs,
                                const Operand &rhs, Frame &frame,
                                const ResultName &name);
  int addValue(TensorType type, const ResultName &name, const Module *producer);

  // LayerArgs.cpp: arguments checked at the definition.
  bool checkLayerArgs(const Module &module);
  bool checkConvArgs(const Module &module);
  bool checkPoolArgs(const Module &module);
  bool checkInitArgs(const Module &module);
  bool checkPositive(const Module &module, const char *arg, bool pair,
                     int64_t min);

  // SemaParams.cpp: parameters and buffers, in state_dict order.
  void createParams(Module &module);
  int addParam(Module &module, const std::string &name,
               std::vector<int64_t> shape, InitKind init, int64_t fanIn,
               int64_t fanOut);
  void addBuffer(Module &module, const std::string &name,
                 std::vector<int64_t> shape, DType dtype, InitKind init);

  // LayerShapes.cpp and ConvShapes.cpp: result types of layers.
  std::optional<TensorType> inferResult(const Module &module,
                                        const std::vector<Operand> &operands,
                                        Node &node);
  std::optional<TensorType> inferFlatten(const Module &module,
                                         const Operand &input, Node &node);
  std::optional<TensorType> inferLinear(const Module &module,
                                        const Operand &input);
  std::optional<TensorType> inferSoftmax(const Module &module,
                                         const Operand &input, Node &node);
  std::optional<TensorType> inferLoss(const Module &module,
                                      const Operand &logits,
                                      const Operand &target, Node &node);
  std::optional<TensorType> inferConv(const Module &module,
                                      const Operand &input, Node &node);
  std::optional<TensorType> inferBatchNorm(const Module &module,
                                           const Operand &input, Node &node);
  std::optional<TensorType> inferPool(const Module &module,
                                      const Operand &input, Node &node);
  std::optional<TensorType> inferAdaptivePool(const Module &module,
                                              const Operand &input);
  bool checkImage(const Module &module, const Operand &input,
                  const char *channels);
  bool checkChannels(const Module &module, const Operand &input,
                     const char *arg, const char *what);
  std::optional<TensorType> spatialResult(const Module &module,
                                          const Operand &input,
                                          std::array<int64_t, 2> size,
                                          int64_t channels);
  /// Both report for their caller, whose line the diagnostic site names.
  void operandError(const Module &module, const Operand &operand,
                    const SourceLoc &layerLoc, const std::string &message,
                    const char *site = __builtin_FILE(),
                    unsigned siteLine = __builtin_LINE());
  void argumentError(const Module &module, const Operand &operand,
                     const SourceLoc &argLoc, const std::string &message,
                     const char *site = __builtin_FILE(),
                     unsigned siteLine = __builtin_LINE());
  std::string describeValue(int value) const;
  std::string describeSource(const Module &module,
                             const Operand &operand) const;
  const char *verb(int value, const char *named) const;
  std::string describe(const Operand &operand) const;
  const char *verb(const Operand &operand, const char *named) const;

  std::string file;
  DiagnosticEngine &diags;
  Graph graph;
  std::map<std::string, const ast::Definition *> blocks;
  std::map<const ast::Definition *, std::vector<ParamInfo>> signatures;
  std::map<const ast::Definition *, bool> blockUsed;
  /// Blocks whose parameter list had errors; their instances are poisoned.
  std::set<const ast::Definition *> brokenBlocks;
  std::unique_ptr<Scope> modelScope;
  /// Every block instance's scope, for warnings about unused members.
  std::vector<Scope *> instanceScopes;
  /// Modules made by function calls and `+`, owned here for messages.
  std::vector<std::unique_ptr<Module>> temporaries;
  /// Blocks being instantiated, innermost last: recursion is an error.
  std::vector<const ast::Definition *> instantiating;
  /// The module whose output each value is (null for inputs).
  std::vector<const Module *> producers;
  /// What each value is called in messages; empty for generated names.
  std::vector<std::string> displayNames;
  std::vector<bool> valueUsed;
  std::set<std::string> valueNames;
  std::map<std::string, int> nameSuffixes;
  bool freezing = false; ///< inside a `frozen` member's definition
  unsigned nesting = 0;
  unsigned modules = 0;
  bool tooLarge = false;
  bool tooDeep = false;
};

/// Static tensors larger than this are rejected: no model needs them, and
/// the limit keeps byte counts far from int64 overflow downstream.
constexpr int64_t kMaxElements = int64_t(1) << 40;

/// Layers a model may define, and layer applications in its Graph: far
/// beyond any real network, small enough to keep the checks fast on
/// hostile input (blocks that contain two of the next nested 30 deep).
constexpr unsigned kMaxModules = 100000;
constexpr size_t kMaxNodes = 100000;

/// How deep Sema's own recursion (expressions, blocks, applications) may go.
constexpr unsigned kMaxSemaNesting = 1000;

/// The number of elements per batch item of `shape` (the batch dimension
/// excluded), or nullopt if it exceeds kMaxElements.
std::optional<int64_t> elementsPerItem(const std::vector<int64_t> &shape);

/// Renders a type as the user writes it, e.g. "f32[N, 784]".
std::string formatType(const TensorType &type);

/// A layer as the user would write it, e.g. "Linear(784, 256)".
inline const std::string &formatLayer(const Module &module) {
  return module.text;
}

/// `prefix.name`, or `name` at the model's top level.
inline std::string qualify(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}

} // namespace nncc

#endif // NNCC_FRONTEND_SEMA_H
