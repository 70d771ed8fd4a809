//===- ParallelLoops.cpp - scf.forall loops onto the runtime's threads ----===//
//
// Generated code never starts a thread: every entry point takes an execution
// context (nncc_exec, abi.h) whose parallel_for runs a task function once per
// iteration on the caller's thread pool, as Halide's halide_do_par_for does.
// After bufferization, each outermost scf.forall becomes
//   1. a task `@<f>_par<k>(ptr closure, i64 index, i32 worker)` holding the
//      loop body; what the body uses from outside comes through `closure`, a
//      stack struct of memref descriptors and scalars; constants are cloned;
//   2. at the loop's place: the closure filled in, then
//      `exec->parallel_for(exec, @<f>_par<k>, closure, n)`, or, without an
//      execution context (exec == NULL), a plain loop calling the task with
//      worker 0;
//   3. per-worker scratch instead of the body's buffers: every memref.alloc
//      in the body becomes a view into one `threads x bytes` buffer at the
//      slot of the worker running the iteration, so iterations running at
//      once never share a temporary, and the memory plan sees one buffer.
// The function gains `%exec: !llvm.ptr {nn.exec}` and `%threads: index
// {nn.threads}` (the context's thread count, for the scratch's size), which
// nn-emit-c-interface passes from the C entry point.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "compiler/targets/cpu/ExecContext.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Affine/Transforms/Transforms.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

namespace nncc {
#define GEN_PASS_DEF_NNPARALLELLOOPS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {
constexpr int64_t kAlignment = 64;

/// The function's `nn.exec` and `nn.threads` arguments, added on first use.
std::pair<Value, Value> contextArguments(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  Block &entry = func.getBody().front();
  Value exec, threads;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (func.getArgAttr(i, nn::kExecAttr))
      exec = entry.getArgument(i);
    if (func.getArgAttr(i, nn::kThreadsAttr))
      threads = entry.getArgument(i);
  }
  if (exec)
    return {exec, threads};
  Location loc = func.getLoc();
  auto unit = [&](StringRef name) {
    return DictionaryAttr::get(
        ctx, {NamedAttribute(StringAttr::get(ctx, name), UnitAttr::get(ctx))});
  };
  unsigned n = func.getNumArguments();
  func.insertArgument(n, LLVM::LLVMPointerType::get(ctx), unit(nn::kExecAttr),
                      loc);
  func.insertArgument(n + 1, IndexType::get(ctx), unit(nn::kThreadsAttr), loc);
  return {entry.getArgument(n), entry.getArgument(n + 1)};
}

/// How a captured value travels in the closure.
Type closureFieldType(Type type, const LLVMTypeConverter &converter) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return converter.convertType(memref);
  if (isa<IndexType>(type))
    return IntegerType::get(type.getContext(), 64);
  if (type.isIntOrFloat())
    return type;
  return Type();
}

/// The batch size: dim 0 of the first argument whose leading dimension is
/// dynamic (created at the function's start), or null.
Value batchSize(func::FuncOp func) {
  Block &entry = func.getBody().front();
  for (BlockArgument arg : entry.getArguments())
    if (auto type = dyn_cast<MemRefType>(arg.getType()))
      if (type.getRank() > 0 && type.isDynamicDim(0)) {
        for (Operation *user : arg.getUsers())
          if (auto dim = dyn_cast<memref::DimOp>(user))
            if (dim->getBlock() == &entry &&
                getConstantIntValue(dim.getIndex()) == 0)
              return dim;
        OpBuilder b = OpBuilder::atBlockBegin(&entry);
        return b.create<memref::DimOp>(func.getLoc(), arg, 0);
      }
  return Value();
}

class LoopOutliner {
public:
  LoopOutliner(func::FuncOp func, const LLVMTypeConverter &converter)
      : func(func), converter(converter), ctx(func.getContext()) {}

  LogicalResult outline(scf::ForallOp loop, unsigned index);

private:
  func::FuncOp func;
  const LLVMTypeConverter &converter;
  MLIRContext *ctx;
};

LogicalResult LoopOutliner::outline(scf::ForallOp loop, unsigned index) {
  Location loc = loop.getLoc();
  if (loop.getRank() != 1 || !loop.getResults().empty())
    return loop.emitError("internal error: only 1-d scf.forall loops "
                          "without results run in parallel");
  auto [exec, threads] = contextArguments(func);
  Block &entry = func.getBody().front();

  // 1. Scratch: the body's buffers, laid out once per worker. A buffer
  // whose size varies with the iteration (a chunk or shard of the batch)
  // gets its largest size, bounded in terms of values outside the loop.
  OpBuilder b(loop);
  SmallVector<memref::AllocOp> allocs;
  SmallVector<Value> offsets;
  Value perWorker = b.create<arith::ConstantIndexOp>(loc, 0);
  auto outsideLoop = [&](Value v, std::optional<int64_t>,
                         ValueBoundsConstraintSet &) {
    return !loop->isAncestor(v.getParentBlock()->getParentOp());
  };
  auto align = [&](Value bytes) -> Value {
    return b.create<arith::AndIOp>(
        loc,
        b.create<arith::AddIOp>(
            loc, bytes, b.create<arith::ConstantIndexOp>(loc, kAlignment - 1)),
        b.create<arith::ConstantIndexOp>(loc, ~(kAlignment - 1)));
  };
  WalkResult walk = loop.getBody()->walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (!type.getLayout().isIdentity())
      return alloc.emitError("internal error: a buffer of a parallel loop "
                             "with a layout"),
             WalkResult::interrupt();
    Value bytes = b.create<arith::ConstantIndexOp>(
        loc, (type.getElementTypeBitWidth() + 7) / 8);
    unsigned dynamic = 0;
    for (int64_t d : type.getShape()) {
      Value extent;
      if (!ShapedType::isDynamic(d)) {
        extent = b.create<arith::ConstantIndexOp>(loc, d);
      } else {
        FailureOr<OpFoldResult> bound = affine::reifyIndexValueBound(
            b, loc, presburger::BoundType::UB,
            alloc.getDynamicSizes()[dynamic++], outsideLoop,
            /*closedUB=*/true);
        if (succeeded(bound)) {
          extent = getValueOrCreateConstantIndexOp(b, loc, *bound);
        } else {
          // Shards of the batch have bounds no affine analysis derives
          // (s * B / 8); but every dynamic extent in nncc's IR is a part of
          // the batch (shapes are static but for the batch), so the batch
          // bounds it.
          extent = batchSize(func);
          if (!extent)
            return alloc.emitError("internal error: no upper bound for the "
                                   "size of a parallel loop's buffer"),
                   WalkResult::interrupt();
        }
      }
      bytes = b.create<arith::MulIOp>(loc, bytes, extent);
    }
    allocs.push_back(alloc);
    offsets.push_back(perWorker);
    perWorker = b.create<arith::AddIOp>(loc, perWorker, align(bytes));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  Value scratch;
  if (!allocs.empty())
    scratch = b.create<memref::AllocOp>(
        loc, MemRefType::get({ShapedType::kDynamic}, b.getI8Type()),
        ValueRange{b.create<arith::MulIOp>(loc, threads, perWorker)});

  // 2. What the body reads from outside: scratch first, then the rest in
  // order of first use; constants are cloned instead.
  SmallVector<Value> captures;
  if (scratch) {
    captures.push_back(scratch);
    captures.push_back(perWorker);
    for (Value offset : offsets)
      if (!offset.getDefiningOp<arith::ConstantOp>())
        captures.push_back(offset);
  }
  llvm::SetVector<Value> outside;
  loop.getBody()->walk([&](Operation *op) {
    for (Value v : op->getOperands())
      if (!loop->isAncestor(v.getParentBlock()->getParentOp()))
        outside.insert(v);
  });
  // The bounds of a loop that is not normalized map iterations to ivs.
  for (OpFoldResult bound :
       {loop.getMixedLowerBound()[0], loop.getMixedStep()[0]})
    if (auto value = dyn_cast<Value>(bound))
      outside.insert(value);
  SmallVector<Operation *> constants;
  for (Value v : outside) {
    Operation *def = v.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else
      captures.push_back(v);
  }
  SmallVector<Type> fields;
  for (Value v : captures) {
    Type field = closureFieldType(v.getType(), converter);
    if (!field)
      return loop.emitError("internal error: a parallel loop uses a value of "
                            "type ")
             << v.getType() << " from outside";
    fields.push_back(field);
  }
  auto closureType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64), i32 = IntegerType::get(ctx, 32);

  // 3. The task.
  OpBuilder mb(func);
  auto taskType = mb.getFunctionType({ptrType, i64, i32}, {});
  auto task = mb.create<func::FuncOp>(
      loc, (func.getName() + "_par" + Twine(index)).str(), taskType);
  task.setPrivate();
  task->setAttr(nn::kTaskAttr, UnitAttr::get(ctx));
  OpBuilder tb = OpBuilder::atBlockBegin(task.addEntryBlock());
  Value closure = task.getArgument(0);
  IRMapping map;
  for (Operation *c : constants)
    tb.clone(*c, map);
  for (auto [i, v] : llvm::enumerate(captures)) {
    Value at = tb.create<LLVM::GEPOp>(
        loc, ptrType, closureType, closure,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
    Value field = tb.create<LLVM::LoadOp>(loc, fields[i], at);
    Value value = field;
    if (isa<MemRefType>(v.getType()))
      value = tb.create<UnrealizedConversionCastOp>(loc, v.getType(), field)
                  .getResult(0);
    else if (isa<IndexType>(v.getType()))
      value = tb.create<arith::IndexCastOp>(loc, v.getType(), field);
    map.map(v, value);
  }
  // Iteration i runs lb + i * step.
  Value iv = tb.create<arith::IndexCastOp>(loc, tb.getIndexType(),
                                           task.getArgument(1));
  if (!loop.isNormalized()) {
    auto inTask = [&](OpFoldResult v) -> Value {
      if (auto value = dyn_cast<Value>(v))
        return map.lookupOrDefault(value);
      return tb.create<arith::ConstantIndexOp>(
          loc, cast<IntegerAttr>(cast<Attribute>(v)).getInt());
    };
    iv = tb.create<arith::AddIOp>(
        loc, inTask(loop.getMixedLowerBound()[0]),
        tb.create<arith::MulIOp>(loc, iv, inTask(loop.getMixedStep()[0])));
  }
  map.map(loop.getInductionVar(0), iv);
  for (Operation &op : loop.getBody()->without_terminator())
    tb.clone(op, map);
  if (scratch) {
    // Every buffer of the body (cloned at any depth) becomes its view into
    // the worker's scratch slot.
    Value scratchInTask = map.lookup(scratch);
    for (auto [alloc, offset] : llvm::zip(allocs, offsets)) {
      auto cloned =
          map.lookup(alloc.getResult()).getDefiningOp<memref::AllocOp>();
      OpBuilder ab(cloned);
      Value worker = ab.create<arith::IndexCastOp>(loc, ab.getIndexType(),
                                                   task.getArgument(2));
      Value base = ab.create<arith::MulIOp>(loc, worker, map.lookup(perWorker));
      Value offsetInTask = map.lookupOrNull(offset);
      if (!offsetInTask)
        offsetInTask = ab.clone(*offset.getDefiningOp())->getResult(0);
      Value at = ab.create<arith::AddIOp>(loc, base, offsetInTask);
      Value view = ab.create<memref::ViewOp>(
          loc, alloc.getType(), scratchInTask, at, cloned.getDynamicSizes());
      cloned.replaceAllUsesWith(view);
      cloned.erase();
    }
  }
  task.walk([](memref::DeallocOp d) { d.erase(); });
  tb.create<func::ReturnOp>(loc);

  // 4. The loop's place: fill the closure, then dispatch.
  b.setInsertionPoint(loop);
  Value closureBuf;
  {
    OpBuilder eb = OpBuilder::atBlockBegin(&entry);
    Value entryOne =
        eb.create<LLVM::ConstantOp>(loc, i64, eb.getI64IntegerAttr(1));
    closureBuf = eb.create<LLVM::AllocaOp>(loc, ptrType, closureType, entryOne);
  }
  for (auto [i, v] : llvm::enumerate(captures)) {
    Value field = v;
    if (isa<MemRefType>(v.getType()))
      field =
          b.create<UnrealizedConversionCastOp>(loc, fields[i], v).getResult(0);
    else if (isa<IndexType>(v.getType()))
      field = b.create<arith::IndexCastOp>(loc, i64, v);
    Value at = b.create<LLVM::GEPOp>(
        loc, ptrType, closureType, closureBuf,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
    b.create<LLVM::StoreOp>(loc, field, at);
  }
  // Iterations: ceil(max(ub - lb, 0) / step).
  Value lb =
      getValueOrCreateConstantIndexOp(b, loc, loop.getMixedLowerBound()[0]);
  Value ub =
      getValueOrCreateConstantIndexOp(b, loc, loop.getMixedUpperBound()[0]);
  Value step = getValueOrCreateConstantIndexOp(b, loc, loop.getMixedStep()[0]);
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value span =
      b.create<arith::MaxSIOp>(loc, b.create<arith::SubIOp>(loc, ub, lb), zero);
  Value stepLess1 = b.create<arith::SubIOp>(
      loc, step, b.create<arith::ConstantIndexOp>(loc, 1));
  Value n = b.create<arith::DivUIOp>(
      loc, b.create<arith::AddIOp>(loc, span, stepLess1), step);
  Value n64 = b.create<arith::IndexCastOp>(loc, i64, n);
  Value null = b.create<LLVM::ZeroOp>(loc, ptrType);
  Value noContext =
      b.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, exec, null);
  b.create<scf::IfOp>(
      loc, noContext,
      [&](OpBuilder &tb, Location loc) {
        // No context: the iterations in order, on this thread.
        Value zero = tb.create<arith::ConstantIndexOp>(loc, 0);
        Value step = tb.create<arith::ConstantIndexOp>(loc, 1);
        Value worker0 =
            tb.create<LLVM::ConstantOp>(loc, i32, tb.getI32IntegerAttr(0));
        tb.create<scf::ForOp>(
            loc, zero, n, step, ValueRange{},
            [&](OpBuilder &fb, Location loc, Value i, ValueRange) {
              Value i64v = fb.create<arith::IndexCastOp>(loc, i64, i);
              fb.create<func::CallOp>(loc, task,
                                      ValueRange{closureBuf, i64v, worker0});
              fb.create<scf::YieldOp>(loc);
            });
        tb.create<scf::YieldOp>(loc);
      },
      [&](OpBuilder &eb, Location loc) {
        Value fnField = eb.create<LLVM::GEPOp>(
            loc, ptrType, execStructType(ctx), exec,
            ArrayRef<LLVM::GEPArg>{0, kExecParallelForField});
        Value fn = eb.create<LLVM::LoadOp>(loc, ptrType, fnField);
        Value taskRef = eb.create<func::ConstantOp>(loc, taskType,
                                                    SymbolRefAttr::get(task));
        Value taskPtr =
            eb.create<UnrealizedConversionCastOp>(loc, ptrType, taskRef)
                .getResult(0);
        auto calleeType = LLVM::LLVMFunctionType::get(
            LLVM::LLVMVoidType::get(ctx), {ptrType, ptrType, ptrType, i64});
        eb.create<LLVM::CallOp>(loc, calleeType,
                                ValueRange{fn, exec, taskPtr, closureBuf, n64});
        eb.create<scf::YieldOp>(loc);
      });
  loop.erase();
  return success();
}

/// `nn.profile_mark N` becomes `if (exec && exec->profile)
/// exec->profile(exec, N)`: a profiled build still runs without a context.
void lowerProfileMark(nn::ProfileMarkOp mark, Value exec) {
  MLIRContext *ctx = mark.getContext();
  Location loc = mark.getLoc();
  OpBuilder b(mark);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i32 = IntegerType::get(ctx, 32);
  Value null = b.create<LLVM::ZeroOp>(loc, ptrType);
  Value hasContext =
      b.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, exec, null);
  b.create<scf::IfOp>(loc, hasContext, [&](OpBuilder &tb, Location loc) {
    Value field =
        tb.create<LLVM::GEPOp>(loc, ptrType, execStructType(ctx), exec,
                               ArrayRef<LLVM::GEPArg>{0, kExecProfileField});
    Value hook = tb.create<LLVM::LoadOp>(loc, ptrType, field);
    Value hasHook =
        tb.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, hook, null);
    tb.create<scf::IfOp>(loc, hasHook, [&](OpBuilder &hb, Location loc) {
      Value region = hb.create<LLVM::ConstantOp>(
          loc, i32, hb.getI32IntegerAttr(mark.getRegion()));
      auto hookType = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                                  {ptrType, i32});
      hb.create<LLVM::CallOp>(loc, hookType, ValueRange{hook, exec, region});
      hb.create<scf::YieldOp>(loc);
    });
    tb.create<scf::YieldOp>(loc);
  });
  mark.erase();
}

/// Whether an op of a region's code does work: loops and structured ops
/// (they have regions), calls, and writes to memory, not the allocations,
/// views and constants that fusion leaves behind.
bool doesWork(Operation &op) {
  if (op.getNumRegions() > 0 || isa<func::CallOp, LLVM::CallOp>(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return !effects || effects.hasEffect<MemoryEffects::Write>();
}

/// Marks the regions of `nn.profile_regions` whose code fusion moved into a
/// later region (nothing but allocations and views between their mark and
/// the next) as `fused`, so that the report does not show them as
/// infinitely fast.
void markFusedRegions(ModuleOp module, ArrayRef<nn::ProfileMarkOp> marks) {
  auto regions = module->getAttrOfType<ArrayAttr>(nn::kProfileRegionsAttr);
  if (!regions || marks.empty())
    return;
  SmallVector<Attribute> updated(regions.begin(), regions.end());
  for (nn::ProfileMarkOp mark : marks) {
    int32_t region = mark.getRegion();
    if (region < 0 || size_t(region) >= updated.size())
      continue;
    bool work = false;
    for (Operation *op = mark->getNextNode();
         op && !isa<nn::ProfileMarkOp>(op) && !work; op = op->getNextNode())
      work = doesWork(*op);
    NamedAttrList fields(cast<DictionaryAttr>(updated[region]));
    fields.set("fused", BoolAttr::get(module.getContext(), !work));
    updated[region] = fields.getDictionary(module.getContext());
  }
  module->setAttr(nn::kProfileRegionsAttr,
                  ArrayAttr::get(module.getContext(), updated));
}

struct NNParallelLoops : nncc::impl::NNParallelLoopsBase<NNParallelLoops> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    LLVMTypeConverter converter(&getContext());
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      if (func.isExternal() || func->hasAttr(nn::kTaskAttr))
        continue;
      SmallVector<scf::ForallOp> loops;
      func.walk([&](scf::ForallOp loop) {
        if (!loop->getParentOfType<scf::ForallOp>())
          loops.push_back(loop);
      });
      SmallVector<nn::ProfileMarkOp> marks(func.getOps<nn::ProfileMarkOp>());
      if (loops.empty() && marks.empty())
        continue;
      // The function gains arguments: its callers would no longer match.
      if (!SymbolTable::symbolKnownUseEmpty(func, module)) {
        func.emitError("internal error: a function with parallel loops or "
                       "profile marks is called from another function; only "
                       "entry points may use the execution context");
        return signalPassFailure();
      }
      Value exec = contextArguments(func).first;
      markFusedRegions(module, marks);
      for (nn::ProfileMarkOp mark : marks)
        lowerProfileMark(mark, exec);
      LoopOutliner outliner(func, converter);
      for (auto [i, loop] : llvm::enumerate(loops))
        if (failed(outliner.outline(loop, i)))
          return signalPassFailure();
    }
  }
};
} // namespace
