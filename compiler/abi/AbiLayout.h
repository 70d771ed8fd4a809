//===- AbiLayout.h - where each tensor lives in the flat arrays -*- C++ -*-===//
//
// The single source of the parameter table: the C entry points slice the
// flat arrays with these offsets and the header prints the same table.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_COMPILER_ABI_ABILAYOUT_H
#define NNCC_COMPILER_ABI_ABILAYOUT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace nncc {
struct TensorSlot {
  std::string name; ///< state_dict name
  std::vector<int64_t> shape;
  int64_t offset = 0; ///< 4-byte slots
  int64_t numel = 0;
  std::string init;
  int64_t fanIn = 0, fanOut = 0;
  double initParam = 0.0;
  bool frozen = false;
  bool isI64 = false; ///< takes two slots per element
};

struct AbiLayout {
  /// Each tensor starts at a multiple of this many elements (64 bytes), so
  /// vector loads of a tensor's rows are aligned.
  static constexpr int64_t kAlignElems = 16;
  std::vector<TensorSlot> params, buffers;
  int64_t paramCount = 0, bufferCount = 0; ///< slots, with padding

  /// The layout of the `nn.param` and `nn.buffer` arguments of `func`, in
  /// argument order.
  static AbiLayout of(mlir::func::FuncOp func);
  int64_t paramOffset(llvm::StringRef name) const;
  int64_t bufferOffset(llvm::StringRef name) const;
};
} // namespace nncc

#endif // NNCC_COMPILER_ABI_ABILAYOUT_H
