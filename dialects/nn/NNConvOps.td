//===- NNConvOps.td - convolution and pooling ops ------------*- tablegen -*-===//
//
// NCHW tensors, PyTorch's argument semantics. Attributes are part of the
// assembly formats (not attr-dict) because MLIR 19 infers result types
// before attr-dict attributes reach the op's properties.
//
//===----------------------------------------------------------------------===//

def NN_Conv2dOp : NN_Op<"conv2d", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.Conv2d (cross-correlation, NCHW, OIHW weights)";
  let description = [{
    ```mlir
    %y = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1]
           groups 1 : tensor<?x1x28x28xf32>, tensor<32x1x3x3xf32>,
           tensor<32xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$weight,
                   Optional<NN_F32Tensor>:$bias, DenseI64ArrayAttr:$stride,
                   DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation,
                   I64Attr:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    `dilation` $dilation `groups` $groups attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def NN_Conv2dGradInputOp : NN_Op<"conv2d_grad_input"> {
  let summary = "Conv2d backward to the input (a transposed convolution)";
  let description = [{
    The result type is the forward input's (floor in the output size makes it
    ambiguous otherwise).

    ```mlir
    %dx = nn.conv2d_grad_input %dy, %w stride [1, 1] padding [1, 1]
            dilation [1, 1] groups 1 : tensor<?x32x28x28xf32>,
            tensor<32x1x3x3xf32> -> tensor<?x1x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$weight,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $grad `,` $weight `stride` $stride `padding` $padding `dilation` $dilation
    `groups` $groups attr-dict `:` type($grad) `,` type($weight) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NN_Conv2dGradWeightOp : NN_Op<"conv2d_grad_weight"> {
  let summary = "Conv2d backward to the weight: sum over the batch";
  let description = [{
    ```mlir
    %dw = nn.conv2d_grad_weight %dy, %x stride [1, 1] padding [1, 1]
            dilation [1, 1] groups 1 : tensor<?x32x28x28xf32>,
            tensor<?x1x28x28xf32> -> tensor<32x1x3x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$input,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $grad `,` $input `stride` $stride `padding` $padding `dilation` $dilation
    `groups` $groups attr-dict `:` type($grad) `,` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NN_ChannelSumOp : NN_Op<"channel_sum", [InferTypeOpAdaptor]> {
  let summary = "sum over every dimension but 1 (a conv or batch-norm bias's gradient)";
  let description = [{
    ```mlir
    %db = nn.channel_sum %dy : tensor<?x32x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NN_MaxPool2dOp : NN_Op<"max_pool2d", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.MaxPool2d; also returns each window's argmax";
  let description = [{
    `indices` holds, per output element, the flat index h * W + w of the
    window's maximum in its input plane (the first one, as PyTorch's CPU
    kernel picks; NaN wins), which the backward pass routes gradients to.

    ```mlir
    %y, %i = nn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0]
               : tensor<?x32x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_F32Tensor:$result, NN_I64Tensor:$indices);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($input)
  }];
}

def NN_MaxPool2dGradOp : NN_Op<"max_pool2d_grad"> {
  let summary = "MaxPool2d backward: each window's gradient to its argmax";
  let description = [{
    ```mlir
    %dx = nn.max_pool2d_grad %dy, %i kernel [2, 2] stride [2, 2]
            padding [0, 0] : tensor<?x32x14x14xf32>, tensor<?x32x14x14xi64>
            -> tensor<?x32x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_I64Tensor:$indices,
                   DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                   DenseI64ArrayAttr:$padding);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $grad `,` $indices `kernel` $kernel `stride` $stride `padding` $padding
    attr-dict `:` type($grad) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_AvgPool2dOp : NN_Op<"avg_pool2d", [InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.AvgPool2d (count_include_pad, floor mode)";
  let description = [{
    AdaptiveAvgPool2d(1) is an avg_pool2d whose kernel is the whole plane.

    ```mlir
    %y = nn.avg_pool2d %x kernel [8, 8] stride [1, 1] padding [0, 0]
           : tensor<?x64x8x8xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($input)
  }];
}

def NN_AvgPool2dGradOp : NN_Op<"avg_pool2d_grad"> {
  let summary = "AvgPool2d backward: each window's gradient spread evenly";
  let description = [{
    ```mlir
    %dx = nn.avg_pool2d_grad %dy kernel [8, 8] stride [1, 1] padding [0, 0]
            : tensor<?x64x1x1xf32> -> tensor<?x64x8x8xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $grad `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}
