//===- NNInterfaces.td - gradient interface of the nn dialect -*- tablegen -*-===//
//
// Every differentiable nn op says how to pull a cotangent back through itself.
// nn-autodiff walks the forward function backwards and asks each op for its
// vector-Jacobian product; the rules themselves live in NNGradients.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef NN_INTERFACES
#define NN_INTERFACES

include "mlir/IR/OpBase.td"

def NN_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::nncc::nn";
  let description = [{
    An op whose vector-Jacobian product can be written as nn ops. Given the
    cotangent of each result (a null Value when a result has none), build the
    cotangent of every operand for which `needGrad` is true; return one Value
    per operand, null where no gradient is needed or defined (e.g. labels).
  }];
  let methods = [
    InterfaceMethod<"Builds the cotangents of the operands.",
      "::llvm::SmallVector<::mlir::Value>", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ValueRange":$resultGrads,
           "::llvm::ArrayRef<bool>":$needGrad)>
  ];
}

#endif // NN_INTERFACES
