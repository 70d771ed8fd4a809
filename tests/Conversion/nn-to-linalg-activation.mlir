// nn-to-linalg of the activations, softmax and log-softmax and their
// gradients (ActivationToLinalg.cpp), pinned before the back end is
// rewritten: each elementwise op is one parallel linalg.generic with the
// formula PyTorch's CPU kernel uses (and the operand its backward reads:
// output for sigmoid/tanh/softmax, input for gelu/silu/leaky_relu); softmax
// subtracts the max along `dim` before the sum of exponentials.
// RUN: %nncc-opt %s --split-input-file --nn-to-linalg | FileCheck %s

// sigmoid(x) = 1 / (1 + exp(-x)); backward from the output: dy * y * (1 - y).

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[G:.+]]: tensor<?x8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[NEG:.+]] = arith.negf %[[XS]] : f32
// CHECK-NEXT: %[[E:.+]] = math.exp %[[NEG]] : f32
// CHECK: %[[DEN:.+]] = arith.addf %{{.+}}, %[[E]] : f32
// CHECK: %[[S:.+]] = arith.divf %{{.+}}, %[[DEN]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[Y]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[YS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: %[[OMY:.+]] = arith.subf %{{.+}}, %[[YS]] : f32
// CHECK-NEXT: %[[D:.+]] = arith.mulf %[[YS]], %[[OMY]] : f32
// CHECK-NEXT: %[[R:.+]] = arith.mulf %[[DYS]], %[[D]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @sigmoid(%x: tensor<?x8xf32>, %g: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.sigmoid %x : tensor<?x8xf32>
  %1 = nn.sigmoid_grad %g, %0 : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// tanh: math.tanh; backward from the output: dy * (1 - y^2).

// CHECK-LABEL: func.func @tanh
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[G:.+]]: tensor<?x8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[T:.+]] = math.tanh %[[XS]] : f32
// CHECK-NEXT: linalg.yield %[[T]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[Y]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[YS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[SQ:.+]] = arith.mulf %[[YS]], %[[YS]] : f32
// CHECK: %[[D:.+]] = arith.subf %{{.+}}, %[[SQ]] : f32
// CHECK-NEXT: %[[R:.+]] = arith.mulf %[[DYS]], %[[D]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @tanh(%x: tensor<?x8xf32>, %g: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.tanh %x : tensor<?x8xf32>
  %1 = nn.tanh_grad %g, %0 : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// gelu (erf form) = x/2 * (1 + erf(x / sqrt(2))); backward from the input:
// dy * (Phi(x) + x * phi(x)), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).

// CHECK-LABEL: func.func @gelu
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[G:.+]]: tensor<?x8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[RSQRT2:.+]] = arith.constant 0.707106769 : f32
// CHECK-NEXT: %[[XR:.+]] = arith.mulf %[[XS]], %[[RSQRT2]] : f32
// CHECK-NEXT: %[[ERF:.+]] = math.erf %[[XR]] : f32
// CHECK: %[[HALF:.+]] = arith.mulf %[[XS]], %{{.+}} : f32
// CHECK: %[[ONEPERF:.+]] = arith.addf %{{.+}}, %[[ERF]] : f32
// CHECK-NEXT: arith.mulf %[[HALF]], %[[ONEPERF]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[X]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[XS2:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: math.erf
// CHECK: %[[CDF:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK: %[[SQ:.+]] = arith.mulf %[[XS2]], %[[XS2]] : f32
// CHECK: %[[E:.+]] = math.exp %{{.+}} : f32
// CHECK: %[[INVSQRT2PI:.+]] = arith.constant 0.398942292 : f32
// CHECK: %[[PDF:.+]] = arith.mulf %[[INVSQRT2PI]], %[[E]] : f32
// CHECK: %[[XPDF:.+]] = arith.mulf %[[XS2]], %[[PDF]] : f32
// CHECK: %[[D:.+]] = arith.addf %[[CDF]], %[[XPDF]] : f32
// CHECK: arith.mulf %[[DYS]], %[[D]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @gelu(%x: tensor<?x8xf32>, %g: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.gelu %x : tensor<?x8xf32>
  %1 = nn.gelu_grad %g, %x : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// silu(x) = x * sigmoid(x); backward from the input: dy * s * (1 + x (1 - s)).

// CHECK-LABEL: func.func @silu
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[G:.+]]: tensor<?x8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: math.exp
// CHECK: %[[S:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK-NEXT: %[[R:.+]] = arith.mulf %[[XS]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[X]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[XS2:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: arith.negf %[[XS2]] : f32
// CHECK: %[[S2:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: %[[OMS:.+]] = arith.subf %{{.+}}, %[[S2]] : f32
// CHECK-NEXT: %[[XOMS:.+]] = arith.mulf %[[XS2]], %[[OMS]] : f32
// CHECK: %[[INNER:.+]] = arith.addf %{{.+}}, %[[XOMS]] : f32
// CHECK-NEXT: %[[D:.+]] = arith.mulf %[[S2]], %[[INNER]] : f32
// CHECK-NEXT: arith.mulf %[[DYS]], %[[D]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @silu(%x: tensor<?x8xf32>, %g: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.silu %x : tensor<?x8xf32>
  %1 = nn.silu_grad %g, %x : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// leaky_relu: x if x > 0, else x * slope; the gradient tests the input too
// (x <= 0, NaN included, scales dy by the slope).

// CHECK-LABEL: func.func @leaky_relu
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[G:.+]]: tensor<?x8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: %[[POS:.+]] = arith.cmpf ogt, %[[XS]], %{{.+}} : f32
// CHECK: %[[SLOPE:.+]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[SCALED:.+]] = arith.mulf %[[XS]], %[[SLOPE]] : f32
// CHECK: arith.select %[[POS]], %[[XS]], %[[SCALED]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} ins(%[[G]], %[[X]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[XS2:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: %[[POS2:.+]] = arith.cmpf ogt, %[[XS2]], %{{.+}} : f32
// CHECK: %[[SLOPE2:.+]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[SCALED2:.+]] = arith.mulf %[[DYS]], %[[SLOPE2]] : f32
// CHECK: arith.select %[[POS2]], %[[DYS]], %[[SCALED2]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @leaky_relu(%x: tensor<?x8xf32>, %g: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.leaky_relu %x slope 2.0e-01 : tensor<?x8xf32>
  %1 = nn.leaky_relu_grad %g, %x slope 2.0e-01 : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// softmax along dim 1: row max (from -inf), shifted = x - max, row sum of
// exp(shifted), y = exp(shifted) / sum. Backward from the output:
// y * (dy - sum(dy * y)).

// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>, %[[G:.+]]: tensor<?x10xf32>)
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAXINIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<?xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x10xf32>) outs(%[[MAXINIT]] : tensor<?xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SHIFTED:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK: arith.subf
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[SHIFTED]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[SHIFTED]], %[[SUM]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[SS:[^:]+]]: f32, %[[TOT:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[E:.+]] = math.exp %[[SS]] : f32
// CHECK-NEXT: arith.divf %[[E]], %[[TOT]] : f32
// CHECK: %[[DOT:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[G]], %[[Y]] : tensor<?x10xf32>, tensor<?x10xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[YS:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT: %[[PROD:.+]] = arith.mulf %[[DYS]], %[[YS]] : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[PROD]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[G]], %[[Y]], %[[DOT]] :
// CHECK-NEXT: ^bb0(%[[DYS2:[^:]+]]: f32, %[[YS2:[^:]+]]: f32, %[[DOTS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[DIFF:.+]] = arith.subf %[[DYS2]], %[[DOTS]] : f32
// CHECK-NEXT: arith.mulf %[[YS2]], %[[DIFF]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @softmax(%x: tensor<?x10xf32>, %g: tensor<?x10xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>) {
  %0 = nn.softmax %x dim 1 : tensor<?x10xf32>
  %1 = nn.softmax_grad %g, %0 dim 1 : tensor<?x10xf32>
  return %0, %1 : tensor<?x10xf32>, tensor<?x10xf32>
}

// -----

// log_softmax: the same statistics, y = shifted - log(sum). Backward from the
// output: dy - exp(y) * sum(dy).

// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>, %[[G:.+]]: tensor<?x10xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x10xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SHIFTED:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[MAX]] :
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[SHIFTED]] : tensor<?x10xf32>)
// CHECK: math.exp
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[SHIFTED]], %[[SUM]] :
// CHECK-NEXT: ^bb0(%[[SS:[^:]+]]: f32, %[[TOT:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[LOG:.+]] = math.log %[[TOT]] : f32
// CHECK-NEXT: arith.subf %[[SS]], %[[LOG]] : f32
// CHECK: %[[GSUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[G]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[DYS:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT: arith.addf %[[DYS]], %[[ACC]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[G]], %[[Y]], %[[GSUM]] :
// CHECK-NEXT: ^bb0(%[[DYS2:[^:]+]]: f32, %[[YS:[^:]+]]: f32, %[[GS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[P:.+]] = math.exp %[[YS]] : f32
// CHECK-NEXT: %[[PG:.+]] = arith.mulf %[[P]], %[[GS]] : f32
// CHECK-NEXT: arith.subf %[[DYS2]], %[[PG]] : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @log_softmax(%x: tensor<?x10xf32>, %g: tensor<?x10xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>) {
  %0 = nn.log_softmax %x dim 1 : tensor<?x10xf32>
  %1 = nn.log_softmax_grad %g, %0 dim 1 : tensor<?x10xf32>
  return %0, %1 : tensor<?x10xf32>, tensor<?x10xf32>
}

// -----

// Along dim 0 the batch is reduced: the statistics are static [10] tensors.

// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @softmax_dim0
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<10xf32>)
// CHECK: %[[SHIFTED:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] :
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[SHIFTED]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<10xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[SHIFTED]], %[[SUM]] : tensor<?x10xf32>, tensor<10xf32>)
// CHECK: return %[[Y]]
func.func @softmax_dim0(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %0 = nn.softmax %x dim 0 : tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}
