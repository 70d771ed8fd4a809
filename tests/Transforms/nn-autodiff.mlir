// RUN: %nncc-opt %s --split-input-file --nn-autodiff --verify-diagnostics | FileCheck %s

// Linear → ReLU → Linear → loss: each layer's VJP, in reverse; no gradient
// for the data input (no linear_grad_input on the first layer); one result
// per trainable parameter, in argument order, named after it.

// CHECK-LABEL: func.func @mlp
// CHECK-SAME: %[[W1:[^:]+]]: tensor<256x784xf32> {nn.param = "fc1.weight"}
// CHECK-SAME: %[[W2:[^:]+]]: tensor<10x256xf32> {nn.param = "fc2.weight"}, %[[X:[^:]+]]: tensor<?x784xf32> {nn.input = "image"}, %[[T:[^:]+]]: tensor<?xi64>
// CHECK-SAME: -> (tensor<?x10xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"}, tensor<256x784xf32> {nn.grad = "fc1.weight"}, tensor<256xf32> {nn.grad = "fc1.bias"}, tensor<10x256xf32> {nn.grad = "fc2.weight"})
// CHECK-NOT: nn.differentiate
// CHECK: %[[H:.+]] = nn.relu
// CHECK: %[[Y:.+]] = nn.linear %[[H]], %[[W2]]
// CHECK: %[[LOSS:.+]] = nn.cross_entropy
// CHECK: %[[ONE:.+]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad %[[Y]], %[[T]], %[[ONE]] {label_smoothing = 1.000000e-01 : f64}
// CHECK-DAG: %[[DH:.+]] = nn.linear_grad_input %[[DY]], %[[W2]]
// CHECK-DAG: %[[DW2:.+]] = nn.linear_grad_weight %[[DY]], %[[H]]
// CHECK: %[[DZ:.+]] = nn.relu_grad %[[DH]], %[[H]]
// CHECK-NOT: nn.linear_grad_input
// CHECK-DAG: %[[DW1:.+]] = nn.linear_grad_weight %[[DZ]], %[[X]]
// CHECK-DAG: %[[DB1:.+]] = nn.linear_grad_bias %[[DZ]]
// CHECK-NOT: nn.linear_grad_input
// CHECK: return %[[Y]], %[[LOSS]], %[[DW1]], %[[DB1]], %[[DW2]] :
func.func @mlp(%w1: tensor<256x784xf32> {nn.param = "fc1.weight"}, %b1: tensor<256xf32> {nn.param = "fc1.bias"},
               %w2: tensor<10x256xf32> {nn.param = "fc2.weight"}, %x: tensor<?x784xf32> {nn.input = "image"},
               %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<?x10xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w1, %b1 : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>
  %1 = nn.relu %0 : tensor<?x256xf32>
  %2 = nn.linear %1, %w2 : tensor<?x256xf32>, tensor<10x256xf32>
  %3 = nn.cross_entropy %2, %t {label_smoothing = 0.1 : f64} : tensor<?x10xf32>, tensor<?xi64>
  return %2, %3 : tensor<?x10xf32>, tensor<f32>
}

// -----

// Fan-out: %h feeds both the residual add and the second layer, so its
// cotangent is the sum of both contributions.

// CHECK-LABEL: func.func @residual
// CHECK-SAME: %[[W1:[^:]+]]: tensor<64x64xf32> {nn.param = "a.weight"}, %[[W2:[^:]+]]: tensor<64x64xf32> {nn.param = "b.weight"}, %[[W3:[^:]+]]: tensor<10x64xf32>
// CHECK: %[[H:.+]] = nn.linear %{{.+}}, %[[W1]]
// CHECK: %[[R:.+]] = nn.linear %[[H]], %[[W2]]
// CHECK: %[[S:.+]] = nn.add %[[H]], %[[R]]
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %[[DS:.+]] = nn.linear_grad_input %[[DY]], %[[W3]]
// CHECK: %[[DFROMR:.+]] = nn.linear_grad_input %[[DS]], %[[W2]]
// CHECK: %[[DH:.+]] = nn.add %[[DS]], %[[DFROMR]]
// CHECK: %[[DW1:.+]] = nn.linear_grad_weight %[[DH]], %{{.+}}
// CHECK: return {{.+}}, %[[DW1]], {{.+}}, {{.+}} :
func.func @residual(%w1: tensor<64x64xf32> {nn.param = "a.weight"}, %w2: tensor<64x64xf32> {nn.param = "b.weight"},
                    %w3: tensor<10x64xf32> {nn.param = "c.weight"}, %x: tensor<?x64xf32> {nn.input = "image"},
                    %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %h = nn.linear %x, %w1 : tensor<?x64xf32>, tensor<64x64xf32>
  %r = nn.linear %h, %w2 : tensor<?x64xf32>, tensor<64x64xf32>
  %s = nn.add %h, %r : tensor<?x64xf32>
  %y = nn.linear %s, %w3 : tensor<?x64xf32>, tensor<10x64xf32>
  %l = nn.cross_entropy %y, %t : tensor<?x10xf32>, tensor<?xi64>
  return %l : tensor<f32>
}

// -----

// A frozen encoder gets no gradient code and no gradient result; a parameter
// the loss does not use gets a zero gradient.

// CHECK-LABEL: func.func @frozen
// CHECK-SAME: tensor<64x784xf32> {nn.frozen, nn.param = "enc.weight"}
// CHECK-SAME: -> (tensor<f32> {nn.output = "loss"}, tensor<10x64xf32> {nn.grad = "head.weight"}, tensor<10xf32> {nn.grad = "extra.bias"})
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK-NOT: nn.linear_grad_input
// CHECK: %[[DHEAD:.+]] = nn.linear_grad_weight %[[DY]]
// CHECK-NOT: nn.relu_grad
// CHECK-NOT: nn.linear_grad
// CHECK: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : tensor<10xf32>
// CHECK: return %{{.+}}, %[[DHEAD]], %[[ZERO]] :
func.func @frozen(%enc: tensor<64x784xf32> {nn.param = "enc.weight", nn.frozen}, %head: tensor<10x64xf32> {nn.param = "head.weight"},
                  %extra: tensor<10xf32> {nn.param = "extra.bias"}, %x: tensor<?x784xf32> {nn.input = "image"},
                  %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %enc : tensor<?x784xf32>, tensor<64x784xf32>
  %1 = nn.relu %0 : tensor<?x64xf32>
  %2 = nn.linear %1, %head : tensor<?x64xf32>, tensor<10x64xf32>
  %3 = nn.cross_entropy %2, %t : tensor<?x10xf32>, tensor<?xi64>
  return %3 : tensor<f32>
}

// -----

// An active op without a gradient rule is an error, not a silent zero.

func.func @no_rule(%w: tensor<10x64xf32> {nn.param = "fc.weight"}, %x: tensor<?x64xf32> {nn.input = "image"},
                   %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  // expected-error @+1 {{cannot differentiate 'arith.mulf': it has no gradient rule}}
  %s = arith.mulf %w, %w : tensor<10x64xf32>
  %0 = nn.linear %x, %s : tensor<?x64xf32>, tensor<10x64xf32>
  %1 = nn.cross_entropy %0, %t : tensor<?x10xf32>, tensor<?xi64>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{nn.differentiate function has no loss result}}
func.func @no_loss(%w: tensor<10x64xf32> {nn.param = "fc.weight"}, %x: tensor<?x64xf32> {nn.input = "image"})
    -> (tensor<?x10xf32> {nn.output = "logits"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x64xf32>, tensor<10x64xf32>
  return %0 : tensor<?x10xf32>
}
