//===- ExposeABI.cpp - caller-owned memrefs at the function boundary
//-------===//
//
// The generated entry points never allocate: the caller passes every input
// and every output array. Here each tensor argument becomes a memref read
// through `to_tensor restrict`, and each result an extra memref argument
// written by `materialize_in_destination ... restrict writable`, which lets
// one-shot bufferization compute results in place in the caller's arrays.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_NNEXPOSEABI
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

static MemRefType memrefFor(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

static void exposeFunction(func::FuncOp func) {
  OpBuilder builder(func.getContext());
  Block &entry = func.getBody().front();
  builder.setInsertionPointToStart(&entry);
  for (BlockArgument arg : entry.getArguments()) {
    if (!isa<RankedTensorType>(arg.getType()))
      continue;
    Type tensorType = arg.getType();
    arg.setType(memrefFor(tensorType));
    auto tensor = builder.create<bufferization::ToTensorOp>(
        arg.getLoc(), tensorType, arg, /*restrict=*/true, /*writable=*/false);
    arg.replaceAllUsesExcept(tensor, tensor);
  }

  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  SmallVector<unsigned> indices(ret.getNumOperands(), entry.getNumArguments());
  SmallVector<Type> types;
  SmallVector<Location> locs;
  for (Value v : ret.getOperands()) {
    types.push_back(memrefFor(v.getType()));
    locs.push_back(v.getLoc());
  }
  func.insertArguments(indices, types, resultAttrs, locs);
  builder.setInsertionPoint(ret);
  unsigned firstOut = entry.getNumArguments() - ret.getNumOperands();
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    builder.create<bufferization::MaterializeInDestinationOp>(
        ret.getLoc(), TypeRange{}, v, entry.getArgument(firstOut + i),
        /*restrict=*/true, /*writable=*/true);
  builder.create<func::ReturnOp>(ret.getLoc());
  ret.erase();
  func.setType(builder.getFunctionType(entry.getArgumentTypes(), {}));
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
}

/// Gives every use of a tensor.empty its own op. CSE merges identical
/// empties, and MLIR 19's empty-tensor elimination then lets two results
/// that shared one empty write into the same caller array.
static void untieEmptyTensors(func::FuncOp func) {
  SmallVector<tensor::EmptyOp> shared;
  func.walk([&](tensor::EmptyOp op) {
    if (!op->hasOneUse() && !op->use_empty())
      shared.push_back(op);
  });
  for (tensor::EmptyOp op : shared) {
    OpBuilder b(op);
    for (OpOperand &use :
         llvm::make_early_inc_range(llvm::drop_begin(op->getUses())))
      use.set(b.clone(*op)->getResult(0));
  }
}

namespace {
struct NNExposeABI : nncc::impl::NNExposeABIBase<NNExposeABI> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal()) {
        exposeFunction(func);
        untieEmptyTensors(func);
      }
  }
};
} // namespace
