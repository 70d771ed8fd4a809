// RUN: %nncc-opt %s --split-input-file --nn-to-linalg | FileCheck %s

// Linear: the bias is broadcast into the accumulator (zeros without a bias),
// the [out, in] weight is transposed and one row-major matmul remains.

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.+]]: tensor<?x784xf32>, %[[W:.+]]: tensor<256x784xf32>, %[[B:.+]]: tensor<256xf32>)
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<256xf32>) outs(%{{.+}} : tensor<?x256xf32>) dimensions = [0]
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<256x784xf32>) outs(%{{.+}} : tensor<784x256xf32>) permutation = [1, 0]
// CHECK: %[[Y:.+]] = linalg.matmul ins(%[[X]], %[[WT]] : tensor<?x784xf32>, tensor<784x256xf32>) outs(%[[ACC]] : tensor<?x256xf32>)
// CHECK: %[[ZEROS:.+]] = linalg.fill
// CHECK: %[[WT2:.+]] = linalg.transpose ins(%[[W]]
// CHECK: %[[Y2:.+]] = linalg.matmul ins(%[[X]], %[[WT2]] : {{.+}}) outs(%[[ZEROS]] :
// CHECK: return %[[Y]], %[[Y2]]
// CHECK-NOT: nn.
func.func @linear(%x: tensor<?x784xf32>, %w: tensor<256x784xf32>, %b: tensor<256xf32>)
    -> (tensor<?x256xf32>, tensor<?x256xf32>) {
  %0 = nn.linear %x, %w, %b : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
  %1 = nn.linear %x, %w : tensor<?x784xf32>, tensor<256x784xf32>
  return %0, %1 : tensor<?x256xf32>, tensor<?x256xf32>
}

// -----

// dx = dy W, dW = dy^T x (the batch is the reduction), db = sum_n dy.

// CHECK-LABEL: func.func @linear_grads
// CHECK-SAME: (%[[G:.+]]: tensor<?x256xf32>, %[[W:.+]]: tensor<256x784xf32>, %[[X:.+]]: tensor<?x784xf32>)
// CHECK: %[[DX:.+]] = linalg.matmul ins(%[[G]], %[[W]] : tensor<?x256xf32>, tensor<256x784xf32>) outs(%{{.+}} : tensor<?x784xf32>)
// CHECK: %[[GT:.+]] = linalg.transpose ins(%[[G]] : tensor<?x256xf32>) outs(%{{.+}} : tensor<256x?xf32>) permutation = [1, 0]
// CHECK: %[[DW:.+]] = linalg.matmul ins(%[[GT]], %[[X]] : tensor<256x?xf32>, tensor<?x784xf32>) outs(%{{.+}} : tensor<256x784xf32>)
// The bias gradient sums over the batch, reassociably (LLVM vectorizes it).
// CHECK: %[[DB:.+]] = linalg.reduce { arith.addf {fastmath = #arith.fastmath<reassoc>} } ins(%[[G]] : tensor<?x256xf32>) outs(%{{.+}} : tensor<256xf32>) dimensions = [0]
// CHECK: return %[[DX]], %[[DW]], %[[DB]]
func.func @linear_grads(%g: tensor<?x256xf32>, %w: tensor<256x784xf32>, %x: tensor<?x784xf32>)
    -> (tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>) {
  %0 = nn.linear_grad_input %g, %w : tensor<?x256xf32>, tensor<256x784xf32>
  %1 = nn.linear_grad_weight %g, %x : tensor<?x256xf32>, tensor<?x784xf32>
  %2 = nn.linear_grad_bias %g : tensor<?x256xf32>
  return %0, %1, %2 : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
}

// -----

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.+]]: tensor<?x256xf32>, %[[G:.+]]: tensor<?x256xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<?x256xf32>)
// CHECK: arith.maximumf
// relu_grad keeps dy where the forward *output* is positive.
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[Y]] : tensor<?x256xf32>, tensor<?x256xf32>)
// CHECK-NEXT: ^bb0(%[[DY_S:.+]]: f32, %[[Y_S:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[POS:.+]] = arith.cmpf ogt, %[[Y_S]], %{{.+}} : f32
// CHECK: arith.select %[[POS]], %[[DY_S]], %{{.+}} : f32
// CHECK: linalg.generic {{.+}} ins(%[[Y]], %[[DX]] : tensor<?x256xf32>, tensor<?x256xf32>)
// CHECK: arith.addf
func.func @elementwise(%x: tensor<?x256xf32>, %g: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %0 = nn.relu %x : tensor<?x256xf32>
  %1 = nn.relu_grad %g, %0 : tensor<?x256xf32>
  %2 = nn.add %0, %1 : tensor<?x256xf32>
  return %2 : tensor<?x256xf32>
}

// -----

// CHECK-LABEL: func.func @reshape
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<?x1x28x28xf32> into tensor<?x784xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0], [1, 2, 3]] output_shape [%{{.+}}, 1, 28, 28] : tensor<?x784xf32> into tensor<?x1x28x28xf32>
func.func @reshape(%x: tensor<?x1x28x28xf32>) -> tensor<?x1x28x28xf32> {
  %0 = nn.flatten %x dims 1 to 3 : tensor<?x1x28x28xf32>
  %1 = nn.unflatten %0 dims 1 to 3 : tensor<?x784xf32> -> tensor<?x1x28x28xf32>
  return %1 : tensor<?x1x28x28xf32>
}

// -----

// Loss: row max and sum of exp (reductions over classes), then a reduction of
// the rows into a 0-d accumulator and the division by the batch size. The
// gradient recomputes both row statistics and is one parallel generic.

// CHECK-LABEL: func.func @cross_entropy
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>, %[[T:.+]]: tensor<?xi64>)
// CHECK: %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : {{.+}}) outs(%{{.+}} : tensor<?xf32>)
// CHECK: math.exp
// CHECK: %[[TOTAL:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[MAX]], %[[SUM]], %[[T]] : {{.+}}) outs(%{{.+}} : tensor<f32>)
// CHECK: tensor.extract %[[X]]
// CHECK: math.log
// CHECK: %[[N:.+]] = arith.sitofp
// CHECK: %[[LOSS:.+]] = linalg.generic {{.+}} ins(%[[TOTAL]] : tensor<f32>)
// CHECK: arith.divf %{{.+}}, %[[N]]
// CHECK: %[[MAX2:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}
// CHECK: %[[SUM2:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX2]], %[[SUM2]], %[[T]] : {{.+}}) outs(%{{.+}} : tensor<?x10xf32>)
// CHECK: linalg.index 1
// CHECK: arith.cmpi eq
// CHECK: return %[[LOSS]], %[[DX]]
func.func @cross_entropy(%x: tensor<?x10xf32>, %t: tensor<?xi64>) -> (tensor<f32>, tensor<?x10xf32>) {
  %0 = nn.cross_entropy %x, %t : tensor<?x10xf32>, tensor<?xi64>
  %1 = nn.cross_entropy_grad %x, %t, %0 : tensor<?x10xf32>, tensor<?xi64>, tensor<f32>
  return %0, %1 : tensor<f32>, tensor<?x10xf32>
}

// -----

// Label smoothing adds a row sum of the logits and weights it by e / C.

// CHECK-LABEL: func.func @label_smoothing
// CHECK: math.exp
// CHECK: %[[ROWSUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<?x10xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK: linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}}, %{{.+}}, %{{.+}}, %[[ROWSUM]] :
// CHECK-DAG: arith.constant 0.899999976 : f32
// CHECK-DAG: arith.constant 0.00999999977 : f32
func.func @label_smoothing(%x: tensor<?x10xf32>, %t: tensor<?xi64>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %t {label_smoothing = 0.1 : f64} : tensor<?x10xf32>, tensor<?xi64>
  return %0 : tensor<f32>
}

// -----

// One reduction per input counts its NaN and infinite elements; the counts
// are packed in order.
// CHECK-LABEL: func.func @count_nonfinite
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]
// CHECK:   arith.cmpf uno
// CHECK:   math.absf
// CHECK:   arith.cmpf oeq
// CHECK:   arith.select
// CHECK: linalg.generic {{.*}}iterator_types = []
// CHECK: tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xf32>
func.func @count_nonfinite(%a: tensor<?x256xf32>, %b: tensor<f32>) -> tensor<2xf32> {
  %0 = nn.count_nonfinite %a, %b : tensor<?x256xf32>, tensor<f32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
