//===- Phase.h - the stages `nncc --emit` can stop after ---------*- C++
//-*-===//
#ifndef NNCC_COMPILER_PIPELINE_PHASE_H
#define NNCC_COMPILER_PIPELINE_PHASE_H

namespace nncc {
/// In pipeline order. Up to Linalg the phases are the target-neutral front
/// half (compiler/pipeline); from Bufferized on they are the target's
/// (compiler/targets/<target>), which names what each one holds for it.
enum class Phase {
  AST,        ///< the checked model, printed by the frontend
  NN,         ///< nn dialect, forward + loss (MLIRGen)
  NNTrain,    ///< + backward (nn-autodiff)
  NNFused,    ///< + fusion at the nn level (nn-fuse-*)
  Linalg,     ///< linalg on tensors (nn-to-linalg)
  Bufferized, ///< CPU: tiled, vectorized, bufferized, memory planned, C entries
  LLVMDialect, ///< CPU: LLVM dialect
  LLVMIR,      ///< CPU: LLVM IR after O3
  Asm,
  Object,
  Header,
};
} // namespace nncc

#endif // NNCC_COMPILER_PIPELINE_PHASE_H
