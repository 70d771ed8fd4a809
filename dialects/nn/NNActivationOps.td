//===- NNActivationOps.td - activations and (log-)softmax ----*- tablegen -*-===//

class NN_UnaryOp<string mnemonic, string torchName, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [SameOperandsAndResultType,
        DeclareOpInterfaceMethods<NN_GradientOpInterface>])> {
  let summary = "torch.nn." # torchName;
  let description = [{
    Elementwise, as PyTorch defines it.
  }];
  let arguments = (ins NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NN_SigmoidOp : NN_UnaryOp<"sigmoid", "Sigmoid">;
def NN_TanhOp : NN_UnaryOp<"tanh", "Tanh">;
def NN_GeluOp : NN_UnaryOp<"gelu", "GELU (erf form)">;
def NN_SiluOp : NN_UnaryOp<"silu", "SiLU: x * sigmoid(x)">;

def NN_LeakyReluOp : NN_Op<"leaky_relu", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.LeakyReLU";
  let description = [{
    ```mlir
    %y = nn.leaky_relu %x slope 1.0e-02 : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, F64Attr:$slope);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input `slope` $slope attr-dict `:` type($input)";
}

// Backward of an elementwise activation: `value` is the forward input or
// output, whichever the derivative is cheaper from (see each op).
class NN_UnaryGradOp<string mnemonic, string what>
    : NN_Op<mnemonic, [AllTypesMatch<["grad", "value", "result"]>]> {
  let summary = what;
  let description = [{
    Elementwise: the incoming gradient times the activation's derivative.
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$value);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$grad `,` $value attr-dict `:` type($result)";
}

def NN_SigmoidGradOp : NN_UnaryGradOp<"sigmoid_grad",
    "Sigmoid backward from the output y: dy * y * (1 - y)">;
def NN_TanhGradOp : NN_UnaryGradOp<"tanh_grad",
    "Tanh backward from the output y: dy * (1 - y^2)">;
def NN_GeluGradOp : NN_UnaryGradOp<"gelu_grad",
    "GELU backward from the input x: dy * (Phi(x) + x phi(x))">;
def NN_SiluGradOp : NN_UnaryGradOp<"silu_grad",
    "SiLU backward from the input x: dy * s * (1 + x (1 - s)), s = sigmoid(x)">;

def NN_LeakyReluGradOp : NN_Op<"leaky_relu_grad",
    [AllTypesMatch<["grad", "input", "result"]>]> {
  let summary = "LeakyReLU backward from the input: dy, or dy * slope if x <= 0";
  let description = [{
    ```mlir
    %dx = nn.leaky_relu_grad %dy, %x slope 1.0e-02 : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$input, F64Attr:$slope);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$grad `,` $input `slope` $slope attr-dict `:` type($result)";
}

def NN_SoftmaxOp : NN_Op<"softmax", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.Softmax(dim)";
  let description = [{
    ```mlir
    %p = nn.softmax %x dim 1 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64Attr:$dim);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_LogSoftmaxOp : NN_Op<"log_softmax", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<NN_GradientOpInterface>]> {
  let summary = "torch.nn.LogSoftmax(dim)";
  let description = [{
    ```mlir
    %p = nn.log_softmax %x dim 1 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64Attr:$dim);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_SoftmaxGradOp : NN_Op<"softmax_grad",
    [AllTypesMatch<["grad", "output", "result"]>]> {
  let summary = "Softmax backward from the output y: y * (dy - sum(dy * y))";
  let description = [{
    ```mlir
    %dx = nn.softmax_grad %dy, %y dim 1 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$output, I64Attr:$dim);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$grad `,` $output `dim` $dim attr-dict `:` type($result)";
}

def NN_LogSoftmaxGradOp : NN_Op<"log_softmax_grad",
    [AllTypesMatch<["grad", "output", "result"]>]> {
  let summary = "LogSoftmax backward from the output y: dy - exp(y) * sum(dy)";
  let description = [{
    ```mlir
    %dx = nn.log_softmax_grad %dy, %y dim 1 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$grad, NN_F32Tensor:$output, I64Attr:$dim);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$grad `,` $output `dim` $dim attr-dict `:` type($result)";
}
