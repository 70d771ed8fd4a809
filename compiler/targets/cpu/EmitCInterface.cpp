//===- EmitCInterface.cpp - the C entry points of the generated header ----===//
//
// Builds `<prefix>_train_step(const float *params, float *grads, ...)` and
// friends around the memref functions. Each pointer becomes a memref
// descriptor (aligned pointer = base + the tensor table's offset, sizes from
// the batch, row-major strides) passed through an unrealized cast that the
// LLVM lowering folds away. The layout rule lives in AbiLayout so the header
// generator states exactly the offsets used here.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "compiler/abi/AbiLayout.h"
#include "compiler/targets/cpu/ExecContext.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_NNEMITCINTERFACE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {
/// A memref descriptor over `ptr + offset` elements with the batch size as
/// every dynamic dimension.
Value descriptorAt(OpBuilder &b, Location loc, Value base, int64_t offset,
                   MemRefType type, Value batch) {
  MLIRContext *ctx = b.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = b.getI64Type();
  Value ptr = base;
  if (offset != 0) {
    // An i64 index: flat arrays may exceed 2^31 elements.
    Value index = b.create<LLVM::ConstantOp>(loc, b.getI64Type(),
                                             b.getI64IntegerAttr(offset));
    // Offsets count 4-byte slots, whatever the element type.
    ptr = b.create<LLVM::GEPOp>(loc, ptrType, b.getF32Type(), base,
                                ValueRange{index});
  }
  SmallVector<Type> fields{ptrType, ptrType, i64};
  int64_t rank = type.getRank();
  if (rank > 0) {
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
  }
  auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  Value desc = b.create<LLVM::UndefOp>(loc, structType);
  auto constant = [&](int64_t v) {
    return b.create<LLVM::ConstantOp>(loc, i64, b.getI64IntegerAttr(v));
  };
  desc = b.create<LLVM::InsertValueOp>(loc, desc, ptr, ArrayRef<int64_t>{0});
  desc = b.create<LLVM::InsertValueOp>(loc, desc, ptr, ArrayRef<int64_t>{1});
  desc = b.create<LLVM::InsertValueOp>(loc, desc, constant(0),
                                       ArrayRef<int64_t>{2});
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    int64_t size = type.getDimSize(i);
    Value sizeValue = ShapedType::isDynamic(size) ? batch : constant(size);
    desc = b.create<LLVM::InsertValueOp>(loc, desc, sizeValue,
                                         ArrayRef<int64_t>{3, i});
    desc = b.create<LLVM::InsertValueOp>(loc, desc, constant(stride),
                                         ArrayRef<int64_t>{4, i});
    stride *= ShapedType::isDynamic(size) ? 1 : size;
  }
  return b.create<UnrealizedConversionCastOp>(loc, type, desc).getResult(0);
}

/// (x + 63) & ~63 on i64.
Value alignUp64(OpBuilder &b, Location loc, Value x) {
  auto c = [&](int64_t v) {
    return b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(v));
  };
  return b.create<arith::AndIOp>(loc, b.create<arith::AddIOp>(loc, x, c(63)),
                                 c(~int64_t(63)));
}

/// The execution context's thread count as an index: 1 without a context
/// (exec == NULL) or for a count below 1.
Value threadsOf(OpBuilder &b, Location loc, Value exec) {
  MLIRContext *ctx = b.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i32 = b.getI32Type();
  auto execType = execStructType(ctx);
  Value one = b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(1));
  Value isNull = b.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, exec,
                                        b.create<LLVM::ZeroOp>(loc, ptr));
  auto ifOp = b.create<scf::IfOp>(
      loc, isNull,
      [&](OpBuilder &tb, Location loc) { tb.create<scf::YieldOp>(loc, one); },
      [&](OpBuilder &eb, Location loc) {
        Value field = eb.create<LLVM::GEPOp>(
            loc, ptr, execType, exec,
            ArrayRef<LLVM::GEPArg>{0, kExecThreadsField});
        Value n = eb.create<LLVM::LoadOp>(loc, i32, field);
        eb.create<scf::YieldOp>(
            loc, eb.create<arith::MaxSIOp>(loc, n, one).getResult());
      });
  return b.create<arith::IndexCastOp>(loc, b.getIndexType(), ifOp.getResult(0));
}

/// Pointer arguments of an entry point, in the order the ABI fixes.
struct CSignature {
  SmallVector<std::string> names;
  SmallVector<Type> types;
  int params = -1, grads = -1, buffers = -1, batch = -1, seed = -1,
      workspace = -1, exec = -1;
  llvm::StringMap<int> inputs, outputs;
};

CSignature cSignatureOf(func::FuncOp func, bool hasGrads, bool hasSeed) {
  MLIRContext *ctx = func.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  CSignature sig;
  auto add = [&](StringRef name, Type type) {
    sig.names.push_back(name.str());
    sig.types.push_back(type);
    return static_cast<int>(sig.types.size() - 1);
  };
  sig.params = add("params", ptr);
  if (hasGrads)
    sig.grads = add("grads", ptr);
  sig.buffers = add("buffers", ptr);
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, nn::kInputAttr))
      sig.inputs[name] = add(name, ptr);
  sig.batch = add("batch", IntegerType::get(ctx, 64));
  if (hasSeed)
    sig.seed = add("seed", IntegerType::get(ctx, 64));
  sig.workspace = add("workspace", ptr);
  sig.exec = add("exec", ptr);
  // Outputs: loss first (when present), then the prediction.
  for (StringRef wanted : {"loss", ""})
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (auto name = func.getArgAttrOfType<StringAttr>(i, nn::kOutputAttr))
        if ((wanted == "loss") == (name.getValue() == "loss"))
          sig.outputs[name] = add(name, ptr);
  return sig;
}

void emitEntryPoint(func::FuncOp impl, StringRef prefix,
                    const AbiLayout &layout) {
  bool hasGrads = impl.getName() == "train_step";
  // The probe replays a training step's forward, dropout masks included.
  bool hasSeed = hasGrads || impl.getName() == "probe";
  CSignature sig = cSignatureOf(impl, hasGrads, hasSeed);
  OpBuilder b =
      OpBuilder::atBlockEnd(cast<ModuleOp>(impl->getParentOp()).getBody());
  Location loc = impl.getLoc();
  auto wrapper =
      b.create<func::FuncOp>(loc, (prefix + "_" + impl.getName()).str(),
                             b.getFunctionType(sig.types, {}));
  for (auto [i, name] : llvm::enumerate(sig.names))
    wrapper.setArgAttr(i, "nn.c_name", b.getStringAttr(name));
  b.setInsertionPointToStart(wrapper.addEntryBlock());
  Value batchI64 = wrapper.getArgument(sig.batch);
  Value batch = b.create<arith::IndexCastOp>(loc, b.getIndexType(), batchI64);
  Value exec = wrapper.getArgument(sig.exec);
  Value threads = threadsOf(b, loc, exec);
  // What the memory plan asks for at this batch size and thread count.
  auto sizeFn = (impl.getName() + "_workspace_size").str();
  Value planBytes = b.create<func::CallOp>(loc, sizeFn, b.getIndexType(),
                                           ValueRange{batch, threads})
                        .getResult(0);
  Value planBytesI64 =
      b.create<arith::IndexCastOp>(loc, b.getI64Type(), planBytes);
  // New running statistics are written to a staging area after the plan
  // and copied into `buffers` after the step: bufferization may use an
  // output as scratch before it reads the input it would alias.
  auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
  Value staging = b.create<LLVM::GEPOp>(
      loc, ptrType, b.getI8Type(), wrapper.getArgument(sig.workspace),
      ValueRange{alignUp64(b, loc, planBytesI64)});
  SmallVector<std::pair<int64_t, int64_t>> stagedSlots; // offset, slots

  SmallVector<Value> operands;
  for (unsigned i = 0; i < impl.getNumArguments(); ++i) {
    if (impl.getArgAttr(i, nn::kSeedAttr)) {
      operands.push_back(wrapper.getArgument(sig.seed));
      continue;
    }
    if (impl.getArgAttr(i, nn::kExecAttr)) {
      operands.push_back(exec);
      continue;
    }
    if (impl.getArgAttr(i, nn::kThreadsAttr)) {
      operands.push_back(threads);
      continue;
    }
    auto type = cast<MemRefType>(impl.getArgument(i).getType());
    auto attr = [&](StringRef key) {
      return impl.getArgAttrOfType<StringAttr>(i, key);
    };
    Value base;
    int64_t offset = 0;
    if (auto name = attr(nn::kParamAttr)) {
      base = wrapper.getArgument(sig.params);
      offset = layout.paramOffset(name);
    } else if (auto name = attr(nn::kGradAttr)) {
      base = wrapper.getArgument(sig.grads);
      offset = layout.paramOffset(name);
    } else if (auto name = attr(nn::kBufferAttr)) {
      base = wrapper.getArgument(sig.buffers);
      offset = layout.bufferOffset(name);
    } else if (auto name = attr(nn::kBufferUpdateAttr)) {
      base = staging;
      offset = layout.bufferOffset(name);
      int64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
      stagedSlots.push_back({offset, type.getNumElements() * bytes / 4});
    } else if (auto name = attr(nn::kInputAttr)) {
      base = wrapper.getArgument(sig.inputs[name]);
    } else if (auto name = attr(nn::kOutputAttr)) {
      base = wrapper.getArgument(sig.outputs[name]);
    } else {
      // The workspace.
      base = wrapper.getArgument(sig.workspace);
      operands.push_back(descriptorAt(b, loc, base, 0, type, planBytesI64));
      continue;
    }
    operands.push_back(descriptorAt(b, loc, base, offset, type, batchI64));
  }
  b.create<func::CallOp>(loc, impl, operands);
  for (auto [offset, slots] : stagedSlots) {
    auto at = [&](Value base) {
      return b.create<LLVM::GEPOp>(
          loc, ptrType, b.getF32Type(), base,
          ValueRange{b.create<LLVM::ConstantOp>(loc, b.getI64Type(),
                                                b.getI64IntegerAttr(offset))});
    };
    Value length = b.create<LLVM::ConstantOp>(loc, b.getI64Type(),
                                              b.getI64IntegerAttr(slots * 4));
    b.create<LLVM::MemcpyOp>(loc, at(wrapper.getArgument(sig.buffers)),
                             at(staging), length, /*isVolatile=*/false);
  }
  b.create<func::ReturnOp>(loc);
  impl.setPrivate();
}

/// `<prefix>_workspace_size(i64 batch, i32 threads) -> i64`: the most any
/// entry needs with an execution context of `threads` (below 1: 1).
void emitWorkspaceSize(ModuleOp module, StringRef prefix,
                       ArrayRef<func::FuncOp> sizeFns, int64_t stagingBytes) {
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  auto i64 = b.getI64Type();
  auto func =
      b.create<func::FuncOp>(loc, (prefix + "_workspace_size").str(),
                             b.getFunctionType({i64, b.getI32Type()}, {i64}));
  func.setArgAttr(0, "nn.c_name", b.getStringAttr("batch"));
  func.setArgAttr(1, "nn.c_name", b.getStringAttr("threads"));
  b.setInsertionPointToStart(func.addEntryBlock());
  Value batch =
      b.create<arith::IndexCastOp>(loc, b.getIndexType(), func.getArgument(0));
  Value threads = b.create<arith::IndexCastOp>(
      loc, b.getIndexType(),
      b.create<arith::MaxSIOp>(
          loc, func.getArgument(1),
          b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(1))));
  Value most = b.create<arith::ConstantIndexOp>(loc, 0);
  for (func::FuncOp sizeFn : sizeFns) {
    Value bytes =
        b.create<func::CallOp>(loc, sizeFn, ValueRange{batch, threads})
            .getResult(0);
    if (sizeFn.getName() == "train_step_workspace_size") {
      // Plan, aligned, then the staging area of the running statistics.
      Value aligned = b.create<arith::AndIOp>(
          loc,
          b.create<arith::AddIOp>(loc, bytes,
                                  b.create<arith::ConstantIndexOp>(loc, 63)),
          b.create<arith::ConstantIndexOp>(loc, ~int64_t(63)));
      bytes = b.create<arith::AddIOp>(
          loc, aligned, b.create<arith::ConstantIndexOp>(loc, stagingBytes));
    }
    most = b.create<arith::MaxUIOp>(loc, most, bytes);
  }
  b.create<func::ReturnOp>(
      loc, b.create<arith::IndexCastOp>(loc, i64, most).getResult());
}

/// A profiled build's region table (nn-profile's `nn.profile_regions`) as
/// the object's `nncc_profile_region` array (abi.h), and
/// `int32_t <prefix>_profile_regions(const nncc_profile_region **regions)`
/// returning it and its length.
void emitProfileRegions(ModuleOp module, StringRef prefix, ArrayAttr regions) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto f64 = b.getF64Type();
  auto i32 = b.getI32Type();

  // Each distinct string once, NUL-terminated.
  llvm::StringMap<std::string> strings;
  auto stringGlobal = [&](StringRef text) -> StringRef {
    auto [it, inserted] = strings.try_emplace(text, "");
    if (inserted) {
      it->second = (prefix + "_profile_str" + Twine(strings.size() - 1)).str();
      std::string bytes = text.str();
      bytes.push_back('\0');
      b.create<LLVM::GlobalOp>(
          loc, LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size()),
          /*isConstant=*/true, LLVM::Linkage::Internal, it->second,
          b.getStringAttr(bytes));
    }
    return it->second;
  };
  for (Attribute region : regions) {
    auto dict = cast<DictionaryAttr>(region);
    for (StringRef key : {"entry", "layer", "op"})
      stringGlobal(dict.getAs<StringAttr>(key).getValue());
  }

  auto entryType = LLVM::LLVMStructType::getLiteral(
      ctx, {ptr, ptr, ptr, i32, f64, f64, f64});
  auto tableType = LLVM::LLVMArrayType::get(entryType, regions.size());
  std::string tableName = (prefix + "_profile_table").str();
  auto table =
      b.create<LLVM::GlobalOp>(loc, tableType, /*isConstant=*/true,
                               LLVM::Linkage::Internal, tableName, Attribute());
  {
    OpBuilder ib =
        OpBuilder::atBlockBegin(&table.getInitializerRegion().emplaceBlock());
    Value value = ib.create<LLVM::UndefOp>(loc, tableType);
    for (auto [i, region] : llvm::enumerate(regions)) {
      auto dict = cast<DictionaryAttr>(region);
      int64_t index = static_cast<int64_t>(i);
      int64_t field = 0;
      for (StringRef key : {"entry", "layer", "op"}) {
        Value address = ib.create<LLVM::AddressOfOp>(
            loc, ptr, stringGlobal(dict.getAs<StringAttr>(key).getValue()));
        value = ib.create<LLVM::InsertValueOp>(
            loc, value, address, ArrayRef<int64_t>{index, field++});
      }
      auto fused = dict.getAs<BoolAttr>("fused");
      Value fusedValue = ib.create<LLVM::ConstantOp>(
          loc, i32, ib.getI32IntegerAttr(fused && fused.getValue() ? 1 : 0));
      value = ib.create<LLVM::InsertValueOp>(loc, value, fusedValue,
                                             ArrayRef<int64_t>{index, field++});
      for (StringRef key : {"flops", "bytes", "fixed_bytes"}) {
        Value number = ib.create<LLVM::ConstantOp>(
            loc, f64,
            ib.getF64FloatAttr(double(dict.getAs<IntegerAttr>(key).getInt())));
        value = ib.create<LLVM::InsertValueOp>(
            loc, value, number, ArrayRef<int64_t>{index, field++});
      }
    }
    ib.create<LLVM::ReturnOp>(loc, value);
  }

  auto func = b.create<func::FuncOp>(loc, (prefix + "_profile_regions").str(),
                                     b.getFunctionType({ptr}, {i32}));
  func.setArgAttr(0, "nn.c_name", b.getStringAttr("regions"));
  b.setInsertionPointToStart(func.addEntryBlock());
  Value address = b.create<LLVM::AddressOfOp>(loc, ptr, tableName);
  b.create<LLVM::StoreOp>(loc, address, func.getArgument(0));
  b.create<func::ReturnOp>(
      loc, b.create<arith::ConstantOp>(
                loc, b.getI32IntegerAttr(static_cast<int32_t>(regions.size())))
               .getResult());
}

struct NNEmitCInterface : nncc::impl::NNEmitCInterfaceBase<NNEmitCInterface> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto train = module.lookupSymbol<func::FuncOp>("train_step");
    if (!train) {
      module.emitError("internal error: no @train_step to expose");
      return signalPassFailure();
    }
    AbiLayout layout = AbiLayout::of(train);
    SmallVector<func::FuncOp> sizeFns;
    for (StringRef name : {"train_step", "eval_step", "predict", "probe"}) {
      auto func = module.lookupSymbol<func::FuncOp>(name);
      // MLIRGen always emits @probe; a module written by hand may leave it
      // out (the header then has no probe either).
      if (!func && name == "probe")
        continue;
      if (!func) {
        module.emitError("internal error: no @") << name;
        return signalPassFailure();
      }
      auto sizeFn =
          module.lookupSymbol<func::FuncOp>((name + "_workspace_size").str());
      if (!sizeFn) {
        func.emitError("internal error: no workspace size function; "
                       "nn-plan-memory must run first");
        return signalPassFailure();
      }
      emitEntryPoint(func, prefix, layout);
      sizeFns.push_back(sizeFn);
    }
    emitWorkspaceSize(module, prefix, sizeFns, layout.bufferCount * 4);
    if (auto regions =
            module->getAttrOfType<ArrayAttr>(nn::kProfileRegionsAttr))
      emitProfileRegions(module, prefix, regions);
  }
};
} // namespace
