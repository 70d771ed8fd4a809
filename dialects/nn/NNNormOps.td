//===- NNNormOps.td - batch normalisation and dropout --------*- tablegen -*-===//

def NN_BatchNormTrainOp : NN_Op<"batch_norm_train", [InferTypeOpAdaptor,
    AllTypesMatch<["weight", "bias", "running_mean", "running_var"]>,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "BatchNorm in training mode: batch statistics, running update";
  let description = [{
    Normalises over every dimension but 1 with the batch mean and biased
    variance; returns the output, the batch mean and 1/sqrt(var + eps) (for
    the backward pass) and the updated running mean and running variance
    (with the unbiased variance, as PyTorch).

    ```mlir
    %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %x, %w, %b, %rm, %rv
        eps 1.0e-05 momentum 1.0e-01 : tensor<?x32x28x28xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$weight,
                   NN_F32Tensor:$bias, NN_F32Tensor:$running_mean,
                   NN_F32Tensor:$running_var, F64Attr:$eps, F64Attr:$momentum);
  let results = (outs NN_F32Tensor:$result, NN_F32Tensor:$mean,
                  NN_F32Tensor:$invstd, NN_F32Tensor:$new_running_mean,
                  NN_F32Tensor:$new_running_var);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var `eps` $eps
    `momentum` $momentum attr-dict `:` type($input) `,` type($weight)
  }];
  let hasVerifier = 1;
}

def NN_BatchNormEvalOp : NN_Op<"batch_norm_eval", [InferTypeOpAdaptor,
    AllTypesMatch<["weight", "bias", "running_mean", "running_var"]>]> {
  let summary = "BatchNorm in eval mode: normalise with the running statistics";
  let description = [{
    ```mlir
    %y = nn.batch_norm_eval %x, %w, %b, %rm, %rv eps 1.0e-05
           : tensor<?x32x28x28xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$weight,
                   NN_F32Tensor:$bias, NN_F32Tensor:$running_mean,
                   NN_F32Tensor:$running_var, F64Attr:$eps);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var `eps` $eps
    attr-dict `:` type($input) `,` type($weight)
  }];
}

def NN_BatchNormGradOp : NN_Op<"batch_norm_grad", [InferTypeOpAdaptor,
    AllTypesMatch<["grad", "input"]>,
    AllTypesMatch<["weight", "mean", "invstd"]>]> {
  let summary = "BatchNorm backward (training mode)";
  let description = [{
    With xhat = (x - mean) * invstd and M elements per channel:
    db = sum dy, dw = sum dy * xhat, dx = w * invstd * (dy - db/M - xhat*dw/M).

    ```mlir
    %dx, %dw, %db = nn.batch_norm_grad %dy, %x, %w, %mean, %invstd
                      : tensor<?x32x28x28xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$input,
                   NN_F32Tensor:$weight, NN_F32Tensor:$mean,
                   NN_F32Tensor:$invstd);
  let results = (outs NN_F32Tensor:$grad_input, NN_F32Tensor:$grad_weight,
                  NN_F32Tensor:$grad_bias);
  let assemblyFormat = [{
    $grad `,` $input `,` $weight `,` $mean `,` $invstd attr-dict `:`
    type($input) `,` type($weight)
  }];
}

def NN_DropoutOp : NN_Op<"dropout", [AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.Dropout in training mode (inverted scaling)";
  let description = [{
    Keeps an element with probability 1 - p and scales it by 1/(1 - p). The
    mask is a pure function of (seed, salt, element index), so the backward
    pass recomputes it instead of storing it; `salt` tells layers apart.

    ```mlir
    %y = nn.dropout %x, %seed p 5.0e-01 salt 3 : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64:$seed, F64Attr:$p,
                   I64Attr:$salt);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $seed `p` $p `salt` $salt attr-dict `:` type($input)
  }];
}

def NN_DropoutGradOp : NN_Op<"dropout_grad",
    [AllTypesMatch<["grad", "result"]>]> {
  let summary = "Dropout backward: the same mask and scale on the gradient";
  let description = [{
    ```mlir
    %dx = nn.dropout_grad %dy, %seed p 5.0e-01 salt 3 : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, I64:$seed, F64Attr:$p,
                   I64Attr:$salt);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $grad `,` $seed `p` $p `salt` $salt attr-dict `:` type($grad)
  }];
}
