//===- AbiLayout.cpp - where each tensor lives in the flat arrays ---------===//
#include "compiler/pipeline/AbiLayout.h"
#include "dialects/nn/NNDialect.h"

using namespace mlir;
using namespace nncc;

AbiLayout AbiLayout::of(func::FuncOp func) {
  AbiLayout layout;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto name = func.getArgAttrOfType<StringAttr>(i, nn::kParamAttr);
    if (!name)
      continue;
    TensorSlot slot;
    slot.name = name.str();
    auto type = cast<ShapedType>(func.getArgument(i).getType());
    slot.shape.assign(type.getShape().begin(), type.getShape().end());
    slot.numel = type.getNumElements();
    slot.offset = layout.paramCount;
    if (auto init = func.getArgAttrOfType<StringAttr>(i, nn::kInitAttr))
      slot.init = init.str();
    if (auto fan = func.getArgAttrOfType<IntegerAttr>(i, nn::kFanInAttr))
      slot.fanIn = fan.getInt();
    if (auto fan = func.getArgAttrOfType<IntegerAttr>(i, nn::kFanOutAttr))
      slot.fanOut = fan.getInt();
    slot.frozen = static_cast<bool>(func.getArgAttr(i, nn::kFrozenAttr));
    layout.paramCount = llvm::alignTo(slot.offset + slot.numel, kAlignElems);
    layout.params.push_back(std::move(slot));
  }
  return layout;
}

int64_t AbiLayout::offsetOf(StringRef name) const {
  for (const TensorSlot &slot : params)
    if (slot.name == name)
      return slot.offset;
  llvm::report_fatal_error("internal error: no tensor named " + name);
}
