// Round trip of the nn ops: print, parse the printed form again, print.
// RUN: %nncc-opt %s --split-input-file | %nncc-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.+]]: tensor<?x784xf32>, %[[W:.+]]: tensor<256x784xf32>, %[[B:.+]]: tensor<256xf32>)
func.func @linear(%x: tensor<?x784xf32>, %w: tensor<256x784xf32>,
                  %b: tensor<256xf32>) -> (tensor<?x256xf32>, tensor<?x256xf32>) {
  // CHECK: nn.linear %[[X]], %[[W]], %[[B]] : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
  %0 = nn.linear %x, %w, %b : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
  // CHECK: nn.linear %[[X]], %[[W]] : tensor<?x784xf32>, tensor<256x784xf32>{{$}}
  %1 = nn.linear %x, %w : tensor<?x784xf32>, tensor<256x784xf32>
  return %0, %1 : tensor<?x256xf32>, tensor<?x256xf32>
}

// -----

// CHECK-LABEL: func.func @linear_grads
// CHECK-SAME: (%[[G:.+]]: tensor<?x128xf32>, %[[W:.+]]: tensor<128x256xf32>, %[[X:.+]]: tensor<?x256xf32>)
func.func @linear_grads(%g: tensor<?x128xf32>, %w: tensor<128x256xf32>, %x: tensor<?x256xf32>)
    -> (tensor<?x256xf32>, tensor<128x256xf32>, tensor<128xf32>) {
  // CHECK: nn.linear_grad_input %[[G]], %[[W]] : tensor<?x128xf32>, tensor<128x256xf32>
  %0 = nn.linear_grad_input %g, %w : tensor<?x128xf32>, tensor<128x256xf32>
  // CHECK: nn.linear_grad_weight %[[G]], %[[X]] : tensor<?x128xf32>, tensor<?x256xf32>
  %1 = nn.linear_grad_weight %g, %x : tensor<?x128xf32>, tensor<?x256xf32>
  // CHECK: nn.linear_grad_bias %[[G]] : tensor<?x128xf32>
  %2 = nn.linear_grad_bias %g : tensor<?x128xf32>
  return %0, %1, %2 : tensor<?x256xf32>, tensor<128x256xf32>, tensor<128xf32>
}

// -----

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.+]]: tensor<?x256xf32>, %[[G:.+]]: tensor<?x256xf32>)
func.func @elementwise(%x: tensor<?x256xf32>, %g: tensor<?x256xf32>) -> tensor<?x256xf32> {
  // CHECK: %[[Y:.+]] = nn.relu %[[X]] : tensor<?x256xf32>
  %0 = nn.relu %x : tensor<?x256xf32>
  // CHECK: %[[DX:.+]] = nn.relu_grad %[[G]], %[[Y]] : tensor<?x256xf32>
  %1 = nn.relu_grad %g, %0 : tensor<?x256xf32>
  // CHECK: nn.add %[[Y]], %[[DX]] : tensor<?x256xf32>
  %2 = nn.add %0, %1 : tensor<?x256xf32>
  return %2 : tensor<?x256xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.+]]: tensor<?x1x28x28xf32>)
func.func @flatten(%x: tensor<?x1x28x28xf32>) -> tensor<?x784xf32> {
  // The result type is inferred: [N, 1*28*28].
  // CHECK: nn.flatten %[[X]] dims 1 to 3 : tensor<?x1x28x28xf32>
  %0 = nn.flatten %x dims 1 to 3 : tensor<?x1x28x28xf32>
  return %0 : tensor<?x784xf32>
}

// -----

// CHECK-LABEL: func.func @unflatten
// CHECK-SAME: (%[[X:.+]]: tensor<?x784xf32>)
func.func @unflatten(%x: tensor<?x784xf32>) -> tensor<?x1x28x28xf32> {
  // CHECK: nn.unflatten %[[X]] dims 1 to 3 : tensor<?x784xf32> -> tensor<?x1x28x28xf32>
  %0 = nn.unflatten %x dims 1 to 3
         : tensor<?x784xf32> -> tensor<?x1x28x28xf32>
  return %0 : tensor<?x1x28x28xf32>
}

// -----

// CHECK-LABEL: func.func @cross_entropy
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>, %[[T:.+]]: tensor<?xi64>)
func.func @cross_entropy(%x: tensor<?x10xf32>, %t: tensor<?xi64>)
    -> (tensor<f32>, tensor<f32>, tensor<?x10xf32>) {
  // The default label_smoothing (0.0) is elided.
  // CHECK: %[[L:.+]] = nn.cross_entropy %[[X]], %[[T]] : tensor<?x10xf32>, tensor<?xi64>{{$}}
  %0 = nn.cross_entropy %x, %t : tensor<?x10xf32>, tensor<?xi64>
  // CHECK: nn.cross_entropy %[[X]], %[[T]] {label_smoothing = 1.000000e-01 : f64} : tensor<?x10xf32>, tensor<?xi64>
  %1 = nn.cross_entropy %x, %t {label_smoothing = 0.1 : f64} : tensor<?x10xf32>, tensor<?xi64>
  // CHECK: nn.cross_entropy_grad %[[X]], %[[T]], %[[L]] {label_smoothing = 1.000000e-01 : f64} : tensor<?x10xf32>, tensor<?xi64>, tensor<f32>
  %2 = nn.cross_entropy_grad %x, %t, %0 {label_smoothing = 0.1 : f64}
         : tensor<?x10xf32>, tensor<?xi64>, tensor<f32>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<?x10xf32>
}

// -----

// CHECK-LABEL: func.func @count_nonfinite
func.func @count_nonfinite(%a: tensor<?x256xf32>, %b: tensor<f32>) -> tensor<2xf32> {
  // CHECK: nn.count_nonfinite %{{.*}}, %{{.*}} : tensor<?x256xf32>, tensor<f32> -> tensor<2xf32>
  %0 = nn.count_nonfinite %a, %b : tensor<?x256xf32>, tensor<f32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
