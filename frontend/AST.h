//===- AST.h - syntax tree of a model file ----------------------*- C++ -*-===//
//
// The parser's output: what the user wrote, with locations, and no meaning
// yet. One expression form (literals, names, calls, tuples, operators)
// serves layer definitions, hyper-parameter arithmetic and forward
// statements alike; models and blocks share one definition form.
//
// A construct whose syntax was wrong is kept with a null expression (or a
// poisoned type) so that semantic checks know its name exists and do not
// report "undefined" errors that are only echoes of the syntax error.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_AST_H
#define NNCC_FRONTEND_AST_H

#include "frontend/Graph.h"

#include <memory>
#include <string>
#include <vector>

namespace nncc::ast {

struct Expr;

struct Arg {
  std::string keyword; ///< empty for a positional argument
  SourceLoc keywordLoc;
  std::unique_ptr<Expr> value;
};

enum class UnaryOp { Neg, Plus, Not };
enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
};

/// The operator as written, e.g. "//".
const char *spell(BinaryOp op);
const char *spell(UnaryOp op);

struct Expr {
  enum class Kind {
    Int,
    Float,
    Bool,
    None,
    String,
    Name,
    Call,
    Tuple,
    Unary,
    Binary,
    Conditional,  ///< `lhs if cond else rhs`
    Comprehension ///< `lhs for text in rhs`, an argument of Sequential
  };
  Kind kind = Kind::Name;
  SourceLoc loc; ///< where the expression starts (a Unary's operator)
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text;      ///< the name, the callee, a literal's spelling
  std::vector<Arg> args; ///< a call's arguments, a tuple's elements
  UnaryOp unaryOp = UnaryOp::Neg;
  BinaryOp binaryOp = BinaryOp::Add;
  std::unique_ptr<Expr> lhs, rhs; ///< Unary: lhs only
  std::unique_ptr<Expr> cond;     ///< Conditional: the condition
  SourceLoc opLoc;                ///< a Binary's operator, the `if`/`for`
  unsigned height = 1;            ///< of the tree; bounded by the parser
  /// The lexer already reported this literal; nothing more should be said.
  bool malformed = false;
};

struct Dim {
  bool isName = false;
  int64_t value = 0;
  std::string name;
  SourceLoc loc;
};

struct Type {
  std::string dtype;
  SourceLoc loc;
  std::vector<Dim> dims;
  bool poisoned = false; ///< a syntax error inside the type
};

/// An item of a model or block body, in source order.
struct Member {
  enum class Kind { Input, Define, If };
  Kind kind = Kind::Define;
  SourceLoc loc; ///< the name, or the `if`
  std::string name;
  bool frozen = false;
  SourceLoc frozenLoc;
  std::unique_ptr<Expr> value; ///< Define: the definition; If: condition.
                               ///< Null after a syntax error.
  Type type;                   ///< Input
  std::vector<Member> thenBody, elseBody; ///< If
};

struct Stmt {
  enum class Kind { Assign, Return, Minimize, If };
  Kind kind = Kind::Assign;
  SourceLoc loc;      ///< the target name or the keyword
  std::string target; ///< Assign only
  /// `a, b = block(x)`: every target with its location (then `target` is
  /// the first); empty for a single target.
  std::vector<std::pair<std::string, SourceLoc>> unpack;
  std::unique_ptr<Expr> value; ///< If: the condition; null after an error
  std::vector<Stmt> thenBody, elseBody; ///< If
};

/// A block parameter `name` or `name = default`; a forward parameter.
struct Param {
  std::string name;
  SourceLoc loc;
  std::unique_ptr<Expr> defaultValue;
};

struct ForwardBlock {
  SourceLoc loc;
  bool hasParams = false; ///< `forward(x)` rather than `forward`
  std::vector<Param> params;
  std::vector<Stmt> stmts;
  bool complete = true; ///< false if a syntax error dropped statements
};

/// `model NAME { ... }` or `block NAME(params) { ... }`.
struct Definition {
  bool isBlock = false;
  std::string name;
  SourceLoc loc; ///< the `model` or `block` keyword
  SourceLoc nameLoc;
  std::vector<Param> params; ///< blocks only
  bool paramsComplete = true;
  std::vector<Member> members;
  std::vector<ForwardBlock> forwards;
  bool complete = true;  ///< false if the body was cut short by an error
  bool imported = false; ///< from another file: not warned about if unused
};

/// `import "path.nn"` (a file, relative to the importing one) or `import
/// std` (the standard library).
struct Import {
  SourceLoc loc; ///< the `import` keyword
  SourceLoc targetLoc;
  std::string target; ///< the path as written, or the library's name
  bool isLibrary = false;
};

struct File {
  std::vector<Import> imports;
  std::vector<Definition> models;
  std::vector<Definition> blocks;
};

} // namespace nncc::ast

#endif // NNCC_FRONTEND_AST_H
