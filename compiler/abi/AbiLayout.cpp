//===- AbiLayout.cpp - where each tensor lives in the flat arrays ---------===//
#include "compiler/abi/AbiLayout.h"
#include "dialects/nn/NNDialect.h"

using namespace mlir;
using namespace nncc;

static TensorSlot slotOf(func::FuncOp func, unsigned i, StringAttr name,
                         int64_t &count) {
  TensorSlot slot;
  slot.name = name.str();
  auto type = cast<ShapedType>(func.getArgument(i).getType());
  slot.shape.assign(type.getShape().begin(), type.getShape().end());
  slot.numel = type.getNumElements();
  slot.isI64 = type.getElementType().isInteger(64);
  slot.offset = count;
  if (auto init = func.getArgAttrOfType<StringAttr>(i, nn::kInitAttr))
    slot.init = init.str();
  if (auto fan = func.getArgAttrOfType<IntegerAttr>(i, nn::kFanInAttr))
    slot.fanIn = fan.getInt();
  if (auto fan = func.getArgAttrOfType<IntegerAttr>(i, nn::kFanOutAttr))
    slot.fanOut = fan.getInt();
  if (auto p = func.getArgAttrOfType<FloatAttr>(i, nn::kInitParamAttr))
    slot.initParam = p.getValueAsDouble();
  slot.frozen = static_cast<bool>(func.getArgAttr(i, nn::kFrozenAttr));
  int64_t slots = slot.numel * (slot.isI64 ? 2 : 1);
  count = llvm::alignTo(slot.offset + slots, AbiLayout::kAlignElems);
  return slot;
}

AbiLayout AbiLayout::of(func::FuncOp func) {
  AbiLayout layout;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (auto name = func.getArgAttrOfType<StringAttr>(i, nn::kParamAttr))
      layout.params.push_back(slotOf(func, i, name, layout.paramCount));
    else if (auto name = func.getArgAttrOfType<StringAttr>(i, nn::kBufferAttr))
      layout.buffers.push_back(slotOf(func, i, name, layout.bufferCount));
  }
  return layout;
}

static int64_t offsetIn(ArrayRef<TensorSlot> table, StringRef name) {
  for (const TensorSlot &slot : table)
    if (slot.name == name)
      return slot.offset;
  llvm::report_fatal_error("internal error: no tensor named " + name);
}

int64_t AbiLayout::paramOffset(StringRef name) const {
  return offsetIn(params, name);
}

int64_t AbiLayout::bufferOffset(StringRef name) const {
  return offsetIn(buffers, name);
}
