//===- EraseSelfCopies.cpp - copies of a buffer onto itself ---------------===//
//
// A parallel loop's chunk writes its result in place, into its slice of the
// destination; bufferizing the tensor.parallel_insert_slice that hands the
// slice back then copies the slice onto itself. After CSE the two views are
// one value, and the copy is a full read and write of the tensor that
// changes nothing: on the reference cnn, a dozen of them per training step.
// Such copies are erased. (linalg.copy has no folder for this in MLIR 19;
// memref.copy does, but generated code must not call MLIR's copy runtime,
// so copies are linalg.copy.)
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace nncc {
#define GEN_PASS_DEF_NNERASESELFCOPIES
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace {
struct NNEraseSelfCopies
    : nncc::impl::NNEraseSelfCopiesBase<NNEraseSelfCopies> {
  void runOnOperation() override {
    SmallVector<linalg::CopyOp> selfCopies;
    getOperation().walk([&](linalg::CopyOp copy) {
      if (copy.hasPureBufferSemantics() &&
          copy.getInputs()[0] == copy.getOutputs()[0])
        selfCopies.push_back(copy);
    });
    for (linalg::CopyOp copy : selfCopies)
      copy.erase();
  }
};
} // namespace
