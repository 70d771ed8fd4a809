//===- NNDialect.h - the nn dialect and its ops ------------------*- C++
//-*-===//
#ifndef NNCC_DIALECTS_NN_NNDIALECT_H
#define NNCC_DIALECTS_NN_NNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/nn/NNDialect.h.inc"
#include "dialects/nn/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.h.inc"

namespace nncc::nn {
/// Argument and result attributes that tie nn functions to the ABI.
constexpr llvm::StringLiteral kParamAttr = "nn.param";   // state_dict name
constexpr llvm::StringLiteral kInputAttr = "nn.input";   // model input name
constexpr llvm::StringLiteral kFrozenAttr = "nn.frozen"; // no gradient
constexpr llvm::StringLiteral kInitAttr = "nn.init";     // init rule name
constexpr llvm::StringLiteral kFanInAttr = "nn.fan_in";
constexpr llvm::StringLiteral kFanOutAttr = "nn.fan_out";
constexpr llvm::StringLiteral kOutputAttr = "nn.output"; // logits, loss
constexpr llvm::StringLiteral kGradAttr = "nn.grad";     // gradient of param
constexpr llvm::StringLiteral kInitParamAttr = "nn.init_param"; // kaiming a..
constexpr llvm::StringLiteral kBufferAttr = "nn.buffer"; // state_dict name
/// A result that is the new value of the named buffer (updated in place).
constexpr llvm::StringLiteral kBufferUpdateAttr = "nn.buffer_update";
constexpr llvm::StringLiteral kSeedAttr = "nn.seed"; // dropout seed (i64)
/// Marks the training forward that nn-autodiff turns into @train_step.
constexpr llvm::StringLiteral kDifferentiateAttr = "nn.differentiate";
/// The execution context (nncc_exec *, !llvm.ptr) and its thread count
/// (index) of a function whose parallel loops run on the runtime's threads.
constexpr llvm::StringLiteral kExecAttr = "nn.exec";
constexpr llvm::StringLiteral kThreadsAttr = "nn.threads";
/// A parallel loop's body, outlined: `(ptr closure, i64 index, i32 worker)`.
constexpr llvm::StringLiteral kTaskAttr = "nn.task";
/// On the module of a profiled build: one dictionary per nn.profile_mark
/// region (entry, layer, op, flops, bytes, fixed_bytes), by region number.
constexpr llvm::StringLiteral kProfileRegionsAttr = "nn.profile_regions";
} // namespace nncc::nn

#endif // NNCC_DIALECTS_NN_NNDIALECT_H
