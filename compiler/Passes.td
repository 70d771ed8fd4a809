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

def NNFuseReluMaxPool : Pass<"nn-fuse-relu-maxpool", "mlir::func::FuncOp"> {
  let summary = "Run ReLU after max pooling, on the pooled tensor";
  let description = [{
    Before: `%r = nn.relu %x`, `%p, %i = nn.max_pool2d %r`, and in the
    backward `nn.relu_grad (nn.max_pool2d_grad %dp, %i), %r`. After:
    `%q, %j = nn.max_pool2d %x`, `%p = nn.relu %q`, and
    `nn.max_pool2d_grad (nn.relu_grad %dp, %p), %j`. ReLU commutes with the
    window's maximum, so the forward is exact; the backward is bit-identical
    to PyTorch's (a window whose maximum is not positive gets a zero gradient
    either way). ReLU and its mask touch the pooled elements only. Applies
    where the ReLU's output has no other use.
  }];
}

def NNProfile : Pass<"nn-profile", "mlir::ModuleOp"> {
  let summary = "Cut the entry points into profiled regions, one per nn op";
  let description = [{
    For `nncc --profile`. Before: @train_step, @eval_step and @predict as
    nn-autodiff leaves them. After: an `nn.profile_mark N` before every nn op
    that does work (flatten and unflatten are views and have none), numbered
    across the module, and `nn.profile_mark -1` before each return; the
    module's `nn.profile_regions` holds one dictionary per region: entry,
    layer (the op's location name), op, flops (2 per multiply-add of a
    convolution or linear layer, per sample), bytes (of the tensors it reads
    and writes that have the batch dimension, per sample) and fixed_bytes
    (of the others).
  }];
}

//===----------------------------------------------------------------------===//
// nn to linalg
//===----------------------------------------------------------------------===//

def NNToLinalg : Pass<"nn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower nn ops to linalg on tensors (destination-passing style)";
  let description = [{
    Before: nn.linear, nn.relu, nn.cross_entropy, ... After: linalg named ops
    (matmul, transpose, broadcast, reduce) and linalg.generic on tensors,
    tensor.collapse_shape/expand_shape for reshapes. No nn op remains but
    the marks of a profiled build (nn.profile_mark).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::scf::SCFDialect"];
}

//===----------------------------------------------------------------------===//
// CPU code generation
//===----------------------------------------------------------------------===//

def NNFuseElementwise : Pass<"nn-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse chains of elementwise linalg ops into one loop nest";
  let description = [{
    Before: a linalg.generic whose only user is an elementwise linalg.generic
    over the same iteration space (batch norm's normalisation, then ReLU;
    ReLU's backward mask, then batch norm's backward). After: one
    linalg.generic computing both per element, the intermediate tensor gone.
    Producers with other users, or with reductions, are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NNCollapseDims : Pass<"nn-collapse-dims", "mlir::func::FuncOp"> {
  let summary = "Give elementwise linalg ops one long contiguous inner loop";
  let description = [{
    Before: an elementwise linalg.generic on tensors of rank 3 or more
    ([N, C, H, W]), whose innermost loop is the width (14 or 28 in the
    reference nets, too short to vectorize well). After: the same generic
    over [N, C*H*W] when every operand is indexed by all of the dimensions
    after the batch (ReLU, its mask), else over [N, C, H*W] when they are
    contiguous in every operand (batch norm's per-channel operands), the
    operands and results reshaped (views, no copies). The batch stays the
    leading dimension for nn-batch-parallel. Generics that read
    linalg.index (dropout's hash of the element position) are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def NNBatchParallel : Pass<"nn-batch-parallel", "mlir::func::FuncOp"> {
  let summary = "Split linalg ops that are parallel over the batch into chunks";
  let description = [{
    Before: a linalg op (on tensors, not inside a loop) whose first loop runs
    over the dynamic batch and is parallel, a linalg.matmul with at least 48
    rows (a Linear weight gradient's), or a tensor.pad of the batch's planes.
    After: an `scf.forall` over chunks of ceil(batch / 32) rows (for a
    matmul rounded up to a multiple of 24, whole register tiles), each
    running the op on its rows of the operands indexed by the first loop and
    the whole of the others (tensor.parallel_insert_slice into the result);
    nn-parallel-loops later runs the chunks on the caller's threads. Ops that
    reduce over the batch are left as they are.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

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
           "most columns of the output per tile (a multiple of vector-width)">,
    Option<"vectorWidth", "vector-width", "int64_t", "16",
           "f32 lanes of the target's vector registers (AVX-512 16, AVX2 8)">,
    Option<"accumulators", "accumulators", "int64_t", "24",
           "vector registers the output tile may take (of 32 with AVX-512, "
           "16 with AVX2, some are left for the operands)">,
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

def NNEraseSelfCopies : Pass<"nn-erase-self-copies", "mlir::func::FuncOp"> {
  let summary = "Erase copies of a buffer onto itself";
  let description = [{
    Before (bufferized, after CSE): `linalg.copy ins(%v) outs(%v)`, what
    bufferizing a parallel chunk's in-place result leaves. After: gone; a
    copy between different views, even of overlapping memory, stays.
  }];
}

def NNParallelLoops : Pass<"nn-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Run scf.forall loops on the runtime's threads";
  let description = [{
    Before (bufferized): `scf.forall (%i) in (%n) { body }`. After: the body
    outlined into `func @<f>_par<k>(ptr closure, i64 index, i32 worker)`
    (marked `nn.task`), and at the loop's place the closure (memref
    descriptors and scalars the body uses) filled in and
    `exec->parallel_for(exec, @<f>_par<k>, closure, n)` called, or, with no
    execution context, a loop calling the task with worker 0. The body's
    buffers become views into per-worker scratch (`threads` slots). Each
    `nn.profile_mark N` becomes a call of `exec->profile(exec, N)` when the
    context and its hook are not NULL. The function gains `%exec: !llvm.ptr
    {nn.exec}` and `%threads: index {nn.threads}`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def NNPlanMemory : Pass<"nn-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place every buffer in one caller-provided workspace";
  let description = [{
    Before: memref.alloc ops (sizes may depend on the batch). After: each
    alloc is a memref.view at a 64-byte aligned offset into a new trailing
    `%workspace: memref<?xi8>` argument, buffers whose lifetimes do not
    overlap share space, and `@<f>_workspace_size(batch, threads)` returns
    the bytes needed (sizes may depend on the `nn.threads` argument).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def NNEmitCInterface : Pass<"nn-emit-c-interface", "mlir::ModuleOp"> {
  let summary = "Add the C entry points the generated header declares";
  let description = [{
    Before: private memref functions @train_step, @eval_step, @predict. After:
    public functions `<model>_train_step(const float *params, float *grads,
    ..., void *workspace, const nncc_exec *exec, ...)` taking plain pointers,
    which slice the flat parameter/gradient arrays by the tensor table's
    offsets and call the memref functions, passing the execution context and
    its thread count to those that take them. A profiled build (the module
    has `nn.profile_regions`) also gets its region table as a constant
    global and `<model>_profile_regions(const nncc_profile_region **)`.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"model\"",
           "symbol prefix of the C entry points">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // NNCC_PASSES
