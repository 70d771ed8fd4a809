//===- Passes.td - nncc's passes -----------------------------*- tablegen -*-===//
#ifndef NNCC_PASSES
#define NNCC_PASSES

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// nn level
//===----------------------------------------------------------------------===//

def NNAutodiff : Pass<"nn-autodiff", "mlir::ModuleOp"> {
  let summary = "Build @train_step from the training forward by reverse mode";
  let description = [{
    Before: `func @train_step(params, inputs) -> (logits, loss)` marked
    `nn.differentiate`. After: the same function also returns d loss / d p for
    every parameter that is not `nn.frozen`, built from each op's VJP rule
    (GradientOpInterface). Only values that depend on a trainable parameter
    get cotangents, so no gradient code exists for data or frozen layers.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// nn to linalg
//===----------------------------------------------------------------------===//

def NNToLinalg : Pass<"nn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower nn ops to linalg on tensors (destination-passing style)";
  let description = [{
    Before: nn.linear, nn.relu, nn.cross_entropy, ... After: linalg named ops
    (matmul, transpose, broadcast, reduce) and linalg.generic on tensors,
    tensor.collapse_shape/expand_shape for reshapes. No nn op remains.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::scf::SCFDialect"];
}

//===----------------------------------------------------------------------===//
// CPU code generation
//===----------------------------------------------------------------------===//

def NNTileAndVectorize : Pass<"nn-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tile contractions into register blocks and vectorize them";
  let description = [{
    Before: linalg.matmul on tensors (nn-to-linalg lowers every Linear
    contraction to one), batch dimension dynamic. After: scf.for nests over
    static register tiles (the batch loop is peeled so full tiles are
    static, the remainder tiled by 1) whose accumulators are loop-carried
    vectors updated by vector.fma. Other linalg ops are left for loops.
  }];
  let options = [
    Option<"registerRows", "register-rows", "int64_t", "6",
           "rows of the output kept in registers per tile">,
    Option<"registerCols", "register-cols", "int64_t", "128",
           "most columns of the output per tile (a multiple of 16)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::tensor::TensorDialect"];
}

def NNExposeABI : Pass<"nn-expose-abi", "mlir::ModuleOp"> {
  let summary = "Turn tensor arguments and results into caller-owned memrefs";
  let description = [{
    Before: `func @f(%x: tensor<?x784xf32>) -> tensor<?x10xf32>`.
    After: `func @f(%x: memref<?x784xf32>, %out: memref<?x10xf32>)` whose
    body reads arguments through bufferization.to_tensor and writes results
    with bufferization.materialize_in_destination, so one-shot bufferization
    computes results straight into the caller's arrays.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def NNPlanMemory : Pass<"nn-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place every buffer in one caller-provided workspace";
  let description = [{
    Before: memref.alloc ops (sizes may depend on the batch). After: each
    alloc is a memref.view at a 64-byte aligned offset into a new trailing
    `%workspace: memref<?xi8>` argument, buffers whose lifetimes do not
    overlap share space, and `@<f>_workspace_size(i64 batch) -> i64` returns
    the bytes needed.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def NNEmitCInterface : Pass<"nn-emit-c-interface", "mlir::ModuleOp"> {
  let summary = "Add the C entry points the generated header declares";
  let description = [{
    Before: private memref functions @train_step, @eval_step, @predict. After:
    public functions `<model>_train_step(const float *params, float *grads,
    ...)` taking plain pointers, which slice the flat parameter/gradient
    arrays by the tensor table's offsets and call the memref functions.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"model\"",
           "symbol prefix of the C entry points">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // NNCC_PASSES
