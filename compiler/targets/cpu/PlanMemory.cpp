//===- PlanMemory.cpp - all buffers in one caller-provided workspace
//-------===//
//
// After bufferization every intermediate is a memref.alloc in the function's
// entry block. Sizes are products of static dims and the batch size, so the
// plan is computed once at run time in the prologue:
//   1. lifetime of a buffer = [its alloc, last use of it or of a view of it],
//      positions counted in the entry block (nested uses count at their
//      enclosing top-level op);
//   2. buffers whose lifetimes do not overlap share a slot (greedy interval
//      colouring); a slot is as big as its largest member, 64-byte aligned;
//   3. each alloc becomes a memref.view into a trailing `memref<?xi8>`
//      workspace argument; `@<f>_workspace_size(batch, threads)` repeats the
//      same size arithmetic for the header. Sizes may also depend on the
//      function's `nn.threads` argument: the per-worker scratch of parallel
//      loops (nn-parallel-loops) is `threads` slots.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace nncc {
#define GEN_PASS_DEF_NNPLANMEMORY
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {
constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  unsigned start = 0, end = 0;
  unsigned slot = 0;
};

/// Re-emits the computation of `v` (an index derived from constants, dynamic
/// dims of arguments, all of which are the batch size, and the `nn.threads`
/// argument, mapped in `map`) from `batch`.
FailureOr<Value> emitFromBatch(OpBuilder &b, Value v, Value batch,
                               IRMapping &map) {
  if (Value mapped = map.lookupOrNull(v))
    return mapped;
  Operation *def = v.getDefiningOp();
  if (!def)
    return failure();
  if (auto dim = dyn_cast<memref::DimOp>(def)) {
    if (!isa<BlockArgument>(dim.getSource()))
      return failure();
    map.map(v, batch);
    return batch;
  }
  if (def->getNumRegions() != 0 || !isPure(def))
    return failure();
  for (Value operand : def->getOperands())
    if (failed(emitFromBatch(b, operand, batch, map)))
      return failure();
  Operation *clone = b.clone(*def, map);
  return clone->getResult(cast<OpResult>(v).getResultNumber());
}

/// Bytes of `alloc`, rounded up to the alignment, computed from `batch`.
FailureOr<Value> emitAlignedSize(OpBuilder &b, memref::AllocOp alloc,
                                 Value batch, IRMapping &map) {
  Location loc = alloc.getLoc();
  MemRefType type = alloc.getType();
  // Sub-byte elements (i1) still take a byte each in memory.
  int64_t staticBytes = (type.getElementTypeBitWidth() + 7) / 8;
  for (int64_t d : type.getShape())
    if (!ShapedType::isDynamic(d))
      staticBytes *= d;
  Value size = b.create<arith::ConstantIndexOp>(loc, staticBytes);
  for (Value dynSize : alloc.getDynamicSizes()) {
    auto dyn = emitFromBatch(b, dynSize, batch, map);
    if (failed(dyn))
      return failure();
    size = b.create<arith::MulIOp>(loc, size, *dyn);
  }
  Value mask = b.create<arith::ConstantIndexOp>(loc, kAlignment - 1);
  Value notMask = b.create<arith::ConstantIndexOp>(loc, ~(kAlignment - 1));
  return b
      .create<arith::AndIOp>(loc, b.create<arith::AddIOp>(loc, size, mask),
                             notMask)
      .getResult();
}

/// The function's `nn.threads` argument, if it has one.
Value threadsArgument(func::FuncOp func) {
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (func.getArgAttr(i, nn::kThreadsAttr))
      return func.getArgument(i);
  return Value();
}

/// Slot sizes, slot offsets and the total, from `batch` and `threads` (what
/// the function's `threadsArg` stands for).
FailureOr<std::pair<SmallVector<Value>, Value>>
emitLayout(OpBuilder &b, Location loc, ArrayRef<Buffer> buffers,
           unsigned numSlots, Value batch, Value threadsArg, Value threads) {
  IRMapping map;
  if (threadsArg)
    map.map(threadsArg, threads);
  SmallVector<Value> slotSize(numSlots);
  for (const Buffer &buf : buffers) {
    auto size = emitAlignedSize(b, buf.alloc, batch, map);
    if (failed(size))
      return failure();
    Value &slot = slotSize[buf.slot];
    slot =
        slot ? b.create<arith::MaxUIOp>(loc, slot, *size).getResult() : *size;
  }
  SmallVector<Value> offsets;
  Value total = b.create<arith::ConstantIndexOp>(loc, 0);
  for (Value size : slotSize) {
    offsets.push_back(total);
    total = b.create<arith::AddIOp>(loc, total, size);
  }
  return std::make_pair(offsets, total);
}

/// The top-level op of `block` that contains `op`.
unsigned positionIn(Block &block, Operation *op,
                    const DenseMap<Operation *, unsigned> &position) {
  return position.lookup(block.findAncestorOpInBlock(*op));
}

LogicalResult planFunction(func::FuncOp func, ModuleOp module) {
  Block &entry = func.getBody().front();
  DenseMap<Operation *, unsigned> position;
  for (auto [i, op] : llvm::enumerate(entry))
    position[&op] = i;

  SmallVector<Buffer> buffers;
  WalkResult walk = func.walk([&](memref::AllocOp alloc) {
    if (alloc->getBlock() != &entry) {
      alloc.emitError("internal error: buffer allocated inside a loop; "
                      "the memory planner expects every buffer at the top "
                      "level (please report this)");
      return WalkResult::interrupt();
    }
    Buffer buf{alloc, position[alloc], position[alloc], 0};
    SmallVector<Value> aliases{alloc.getResult()};
    while (!aliases.empty()) {
      Value v = aliases.pop_back_val();
      for (Operation *user : v.getUsers()) {
        buf.end = std::max(buf.end, positionIn(entry, user, position));
        for (Value r : user->getResults())
          if (isa<BaseMemRefType>(r.getType()))
            aliases.push_back(r);
      }
    }
    buffers.push_back(buf);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  // Greedy interval colouring, in order of allocation.
  SmallVector<unsigned> slotEnd;
  for (Buffer &buf : buffers) {
    auto free =
        llvm::find_if(slotEnd, [&](unsigned e) { return e < buf.start; });
    if (free == slotEnd.end()) {
      buf.slot = slotEnd.size();
      slotEnd.push_back(buf.end);
    } else {
      buf.slot = free - slotEnd.begin();
      *free = buf.end;
    }
  }

  Location loc = func.getLoc();
  Value threadsArg = threadsArgument(func);
  // @<f>_workspace_size(batch, threads) -> bytes, for the header.
  OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
  auto sizeFunc = mb.create<func::FuncOp>(
      loc, (func.getName() + "_workspace_size").str(),
      mb.getFunctionType({mb.getIndexType(), mb.getIndexType()},
                         {mb.getIndexType()}));
  sizeFunc.setPrivate();
  OpBuilder fb = OpBuilder::atBlockBegin(sizeFunc.addEntryBlock());
  auto sizeLayout =
      emitLayout(fb, loc, buffers, slotEnd.size(), sizeFunc.getArgument(0),
                 threadsArg, sizeFunc.getArgument(1));
  if (failed(sizeLayout))
    return func.emitError("internal error: a buffer size does not depend "
                          "only on the batch size (please report this)");
  fb.create<func::ReturnOp>(loc, sizeLayout->second);

  MLIRContext *ctx = func.getContext();
  auto workspaceType =
      MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 8));
  func.insertArgument(
      func.getNumArguments(), workspaceType,
      DictionaryAttr::get(ctx,
                          {NamedAttribute(StringAttr::get(ctx, "nn.workspace"),
                                          UnitAttr::get(ctx))}),
      loc);
  Value workspace = entry.getArguments().back();

  // The batch size: dim 0 of any argument with a dynamic leading dim.
  OpBuilder b(ctx);
  b.setInsertionPointToStart(&entry);
  Value batch;
  for (BlockArgument arg : entry.getArguments().drop_back())
    if (auto type = dyn_cast<MemRefType>(arg.getType()))
      if (type.getRank() > 0 && type.isDynamicDim(0)) {
        batch = b.create<memref::DimOp>(loc, arg, 0);
        break;
      }
  if (!batch)
    batch = b.create<arith::ConstantIndexOp>(loc, 1);

  auto layout = emitLayout(b, loc, buffers, slotEnd.size(), batch, threadsArg,
                           threadsArg);
  if (failed(layout))
    return func.emitError("internal error: a buffer size does not depend "
                          "only on the batch size (please report this)");
  for (Buffer &buf : buffers) {
    OpBuilder at(buf.alloc);
    Value view = at.create<memref::ViewOp>(
        buf.alloc.getLoc(), buf.alloc.getType(), workspace,
        layout->first[buf.slot], buf.alloc.getDynamicSizes());
    for (Operation *user : llvm::make_early_inc_range(buf.alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    buf.alloc.replaceAllUsesWith(view);
    buf.alloc.erase();
  }

  return success();
}

struct NNPlanMemory : nncc::impl::NNPlanMemoryBase<NNPlanMemory> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    // Tasks of parallel loops have no buffers of their own: their scratch
    // lives in their parent's plan (nn-parallel-loops).
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && !func->hasAttr(nn::kTaskAttr))
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(planFunction(func, module)))
        return signalPassFailure();
  }
};
} // namespace
