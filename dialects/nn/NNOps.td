//===- NNOps.td - the nn dialect -------------------------------*- tablegen -*-===//
//
// Layers as PyTorch defines them, on ranked tensors whose first dimension is
// the (dynamic) batch, and the dedicated backward ops their VJP rules emit.
// Every op is pure: parameters are function arguments, updates are results.
//
//===----------------------------------------------------------------------===//
#ifndef NN_OPS
#define NN_OPS

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "dialects/nn/NNInterfaces.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::nncc::nn";
  let summary = "Neural-network layers and their backward operations";
  let description = [{
    The nn dialect is what the frontend emits and what nn-autodiff
    differentiates. Ops mirror torch.nn layers (same argument names and
    semantics); `*_grad` ops are the backward halves that VJP rules build.
    Lowering to linalg happens in nn-to-linalg.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat(traits, [Pure])>;

def NN_F32Tensor : RankedTensorOf<[F32]>;
def NN_I64Tensor : RankedTensorOf<[I64]>;
def NN_Scalar : 0DTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Forward ops
//===----------------------------------------------------------------------===//

def NN_FlattenOp : NN_Op<"flatten", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.Flatten: merge dimensions start_dim..end_dim";
  let description = [{
    Collapses the dimensions `start_dim` to `end_dim` (inclusive, already
    normalised to non-negative indices) into one.

    ```mlir
    %1 = nn.flatten %0 dims 1 to 3 : tensor<?x1x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64Attr:$start_dim,
                   I64Attr:$end_dim);
  let results = (outs NN_F32Tensor:$result);
  // The dims are part of the format (not attr-dict) so the parser has them
  // when it infers the result type.
  let assemblyFormat =
      "$input `dims` $start_dim `to` $end_dim attr-dict `:` type($input)";
}

def NN_UnflattenOp : NN_Op<"unflatten",
    [DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "inverse of nn.flatten: split one dimension back";
  let description = [{
    Expands dimension `start_dim` of the input back into the dimensions
    `start_dim..end_dim` of the result type. The VJP of nn.flatten.

    ```mlir
    %1 = nn.unflatten %0 dims 1 to 3 : tensor<?x784xf32> -> tensor<?x1x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64Attr:$start_dim,
                   I64Attr:$end_dim);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `dims` $start_dim `to` $end_dim attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NN_LinearOp : NN_Op<"linear", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.Linear: y = x W^T + b";
  let description = [{
    `weight` is [out_features, in_features] as in PyTorch; `bias` is optional.

    ```mlir
    %y = nn.linear %x, %w, %b
           : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$weight,
                   Optional<NN_F32Tensor>:$bias);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def NN_ReluOp : NN_Op<"relu", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.ReLU: max(x, 0)";
  let description = [{
    ```mlir
    %1 = nn.relu %0 : tensor<?x256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NN_AddOp : NN_Op<"add", [SameOperandsAndResultType, Commutative,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "elementwise sum (residual additions, gradient accumulation)";
  let description = [{
    ```mlir
    %2 = nn.add %0, %1 : tensor<?x256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$lhs, NN_F32Tensor:$rhs);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def NN_CrossEntropyOp : NN_Op<"cross_entropy", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.CrossEntropyLoss with mean reduction";
  let description = [{
    Mean over the batch of `logsumexp(x_n) - (1-e) x_n[t_n] - e/C sum_c x_n[c]`
    where `e` is `label_smoothing`. Targets are class indices in [0, C).

    ```mlir
    %l = nn.cross_entropy %logits, %t {label_smoothing = 0.0 : f64}
           : tensor<?x10xf32>, tensor<?xi64>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$logits, NN_I64Tensor:$target,
                   DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let results = (outs NN_Scalar:$result);
  let assemblyFormat =
      "$logits `,` $target attr-dict `:` type($logits) `,` type($target)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Backward ops (built by VJP rules; not differentiable themselves)
//===----------------------------------------------------------------------===//

def NN_ReluGradOp : NN_Op<"relu_grad",
    [AllTypesMatch<["grad", "output", "result"]>]> {
  let summary = "ReLU backward: grad where output > 0, else 0";
  let description = [{
    Uses the forward *output*, as PyTorch's threshold_backward does.

    ```mlir
    %dx = nn.relu_grad %dy, %y : tensor<?x256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$output);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$grad `,` $output attr-dict `:` type($result)";
}

def NN_LinearGradInputOp : NN_Op<"linear_grad_input", [InferTypeOpAdaptor]> {
  let summary = "Linear backward to the input: dx = dy W";
  let description = [{
    ```mlir
    %dx = nn.linear_grad_input %dy, %w : tensor<?x128xf32>, tensor<128x256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$weight);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$grad `,` $weight attr-dict `:` type($grad) `,` type($weight)";
  let hasVerifier = 1;
}

def NN_LinearGradWeightOp : NN_Op<"linear_grad_weight", [InferTypeOpAdaptor]> {
  let summary = "Linear backward to the weight: dW = dy^T x";
  let description = [{
    Reduces over the batch dimension.

    ```mlir
    %dw = nn.linear_grad_weight %dy, %x : tensor<?x128xf32>, tensor<?x256xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$grad `,` $input attr-dict `:` type($grad) `,` type($input)";
  let hasVerifier = 1;
}

def NN_LinearGradBiasOp : NN_Op<"linear_grad_bias", [InferTypeOpAdaptor]> {
  let summary = "Linear backward to the bias: db = sum over the batch of dy";
  let description = [{
    ```mlir
    %db = nn.linear_grad_bias %dy : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad)";
}

def NN_CrossEntropyGradOp : NN_Op<"cross_entropy_grad",
    [AllTypesMatch<["logits", "result"]>]> {
  let summary = "CrossEntropyLoss backward to the logits";
  let description = [{
    `(softmax(x) - (1-e) onehot(t) - e/C) * grad / N` for mean reduction.

    ```mlir
    %dx = nn.cross_entropy_grad %x, %t, %dl {label_smoothing = 0.0 : f64}
            : tensor<?x10xf32>, tensor<?xi64>, tensor<f32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$logits, NN_I64Tensor:$target,
                   NN_Scalar:$grad,
                   DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $logits `,` $target `,` $grad attr-dict `:` type($logits) `,`
    type($target) `,` type($grad)
  }];
}

def NN_CountNonFiniteOp : NN_Op<"count_nonfinite"> {
  let summary = "how many NaN or infinite elements each tensor has";
  let description = [{
    Result element i is the number of elements of input i that are NaN or
    infinite, as f32. The probe entry point applies it to every layer's
    output to find where a non-finite loss came from; it has no gradient.

    ```mlir
    %n = nn.count_nonfinite %0, %1 : tensor<?x256xf32>, tensor<?x10xf32> -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_F32Tensor>:$inputs);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ProfileMarkOp
    : Op<NN_Dialect, "profile_mark", [MemoryEffects<[MemWrite]>]> {
  let summary = "where a profiled region of an entry point begins";
  let description = [{
    In a profiled build (`nncc --profile`), the code from here to the next
    mark belongs to region `region` of the module's `nn.profile_regions`
    (one nn op of one layer); region -1 ends the last one. The mark becomes
    a call of the execution context's `profile` hook (nncc_exec in abi.h),
    skipped when the context or its hook is NULL. It has side effects, so
    that no pass removes it or moves work across it.

    ```mlir
    nn.profile_mark 3
    ```
  }];
  let arguments = (ins I32Attr:$region);
  let assemblyFormat = "$region attr-dict";
}

include "dialects/nn/NNConvOps.td"
include "dialects/nn/NNNormOps.td"
include "dialects/nn/NNActivationOps.td"

#endif // NN_OPS
