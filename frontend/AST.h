//===- AST.h - syntax tree of a model file ----------------------*- C++ -*-===//
//
// The parser's output: what the user wrote, with locations, and no meaning
// yet. One expression form (literals, names, calls with positional and
// keyword arguments) serves both layer definitions and forward statements,
// so later additions (blocks, repetition, hyper-parameter arithmetic) extend
// one rule instead of adding special cases.
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

struct Expr {
  enum class Kind { Int, Float, Bool, String, Name, Call };
  Kind kind = Kind::Name;
  SourceLoc loc;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text; ///< the name, the callee, or a string's value
  std::vector<Arg> args;
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

struct InputDecl {
  std::string name;
  SourceLoc loc;
  Type type;
};

/// `name = expr`: a module member of the model.
struct MemberDecl {
  std::string name;
  SourceLoc loc;
  std::unique_ptr<Expr> value; ///< null after a syntax error
};

struct Stmt {
  enum class Kind { Assign, Return, Minimize };
  Kind kind = Kind::Assign;
  SourceLoc loc;               ///< the target name or the keyword
  std::string target;          ///< Assign only
  std::unique_ptr<Expr> value; ///< null after a syntax error
};

struct ForwardBlock {
  SourceLoc loc;
  std::vector<Stmt> stmts;
  bool complete = true; ///< false if a syntax error dropped statements
};

struct Model {
  std::string name;
  SourceLoc loc; ///< the `model` keyword
  SourceLoc nameLoc;
  std::vector<InputDecl> inputs;
  std::vector<MemberDecl> members;
  std::vector<ForwardBlock> forwards;
  bool complete = true; ///< false if the body was cut short by an error
};

struct File {
  std::vector<Model> models;
};

} // namespace nncc::ast

#endif // NNCC_FRONTEND_AST_H
