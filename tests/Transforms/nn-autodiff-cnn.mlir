// The VJP rules of the convolution, pooling, batch-norm, dropout and
// activation ops (NNGradients.cpp) as nn-autodiff uses them: which backward
// op each forward op becomes, with which operands (forward input or output,
// argmax indices, batch statistics, seed), and which gradients are skipped
// (no conv2d_grad_input for the data input, no channel_sum without a bias).
// RUN: %nncc-opt %s --split-input-file --nn-autodiff | FileCheck %s

// A convolution of the data with a bias: the weight gradient correlates dy
// with the input, the bias gradient sums dy per channel, and the data input
// gets no gradient.

// CHECK-LABEL: func.func @conv2d_bias
// CHECK-SAME: %[[W:[^:]+]]: tensor<10x1x3x3xf32> {nn.param = "conv.weight"}, %[[B:[^:]+]]: tensor<10xf32> {nn.param = "conv.bias"}, %[[X:[^:]+]]: tensor<?x1x4x4xf32> {nn.input = "image"}
// CHECK-SAME: -> (tensor<f32> {nn.output = "loss"}, tensor<10x1x3x3xf32> {nn.grad = "conv.weight"}, tensor<10xf32> {nn.grad = "conv.bias"})
// CHECK: %[[DFLAT:.+]] = nn.cross_entropy_grad
// CHECK: %[[DY:.+]] = nn.unflatten %[[DFLAT]] dims 1 to 3 : tensor<?x10xf32> -> tensor<?x10x1x1xf32>
// CHECK-NOT: nn.conv2d_grad_input
// CHECK-DAG: %[[DW:.+]] = nn.conv2d_grad_weight %[[DY]], %[[X]] stride [2, 2] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x10x1x1xf32>, tensor<?x1x4x4xf32> -> tensor<10x1x3x3xf32>
// CHECK-DAG: %[[DB:.+]] = nn.channel_sum %[[DY]] : tensor<?x10x1x1xf32>
// CHECK-NOT: nn.conv2d_grad_input
// CHECK: return %{{.+}}, %[[DW]], %[[DB]] :
func.func @conv2d_bias(%w: tensor<10x1x3x3xf32> {nn.param = "conv.weight"}, %b: tensor<10xf32> {nn.param = "conv.bias"},
                       %x: tensor<?x1x4x4xf32> {nn.input = "image"}, %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w, %b stride [2, 2] padding [0, 0] dilation [1, 1] groups 1
         : tensor<?x1x4x4xf32>, tensor<10x1x3x3xf32>, tensor<10xf32>
  %1 = nn.flatten %0 dims 1 to 3 : tensor<?x10x1x1xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// Two bias-free convolutions: the second one's input is an activation, so it
// gets a (transposed-convolution) input gradient with the layer's own window
// attributes; the first one's input is data and gets none. No channel_sum.

// CHECK-LABEL: func.func @conv2d_chain
// CHECK-SAME: %[[W1:[^:]+]]: tensor<8x1x3x3xf32> {nn.param = "c1.weight"}, %[[W2:[^:]+]]: tensor<10x4x2x2xf32> {nn.param = "c2.weight"}, %[[X:[^:]+]]: tensor<?x1x4x4xf32> {nn.input = "image"}
// CHECK: %[[H:.+]] = nn.relu
// CHECK: nn.cross_entropy_grad
// CHECK: %[[DY:.+]] = nn.unflatten
// CHECK-DAG: %[[DH:.+]] = nn.conv2d_grad_input %[[DY]], %[[W2]] stride [1, 1] padding [0, 0] dilation [2, 2] groups 2 : tensor<?x10x2x2xf32>, tensor<10x4x2x2xf32> -> tensor<?x8x4x4xf32>
// CHECK-DAG: %[[DW2:.+]] = nn.conv2d_grad_weight %[[DY]], %[[H]] stride [1, 1] padding [0, 0] dilation [2, 2] groups 2 : tensor<?x10x2x2xf32>, tensor<?x8x4x4xf32> -> tensor<10x4x2x2xf32>
// CHECK: %[[DZ:.+]] = nn.relu_grad %[[DH]], %[[H]]
// CHECK-NOT: nn.conv2d_grad_input
// CHECK: %[[DW1:.+]] = nn.conv2d_grad_weight %[[DZ]], %[[X]] stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x8x4x4xf32>, tensor<?x1x4x4xf32> -> tensor<8x1x3x3xf32>
// CHECK-NOT: nn.channel_sum
// CHECK: return %{{.+}}, %[[DW1]], %[[DW2]] :
func.func @conv2d_chain(%w1: tensor<8x1x3x3xf32> {nn.param = "c1.weight"}, %w2: tensor<10x4x2x2xf32> {nn.param = "c2.weight"},
                        %x: tensor<?x1x4x4xf32> {nn.input = "image"}, %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w1 stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x1x4x4xf32>, tensor<8x1x3x3xf32>
  %1 = nn.relu %0 : tensor<?x8x4x4xf32>
  %2 = nn.conv2d %1, %w2 stride [1, 1] padding [0, 0] dilation [2, 2] groups 2
         : tensor<?x8x4x4xf32>, tensor<10x4x2x2xf32>
  %3 = nn.flatten %2 dims 1 to 3 : tensor<?x10x2x2xf32>
  %4 = nn.cross_entropy %3, %t : tensor<?x40xf32>, tensor<?xi64>
  return %4 : tensor<f32>
}

// -----

// A frozen weight with a trainable bias: only the bias gradient.

// CHECK-LABEL: func.func @conv2d_frozen_weight
// CHECK-SAME: -> (tensor<f32> {nn.output = "loss"}, tensor<10xf32> {nn.grad = "conv.bias"})
// CHECK: %[[DY:.+]] = nn.unflatten
// CHECK-NOT: nn.conv2d_grad
// CHECK: %[[DB:.+]] = nn.channel_sum %[[DY]]
// CHECK-NOT: nn.conv2d_grad
// CHECK: return %{{.+}}, %[[DB]] :
func.func @conv2d_frozen_weight(%w: tensor<10x1x3x3xf32> {nn.param = "conv.weight", nn.frozen}, %b: tensor<10xf32> {nn.param = "conv.bias"},
                                %x: tensor<?x1x3x3xf32> {nn.input = "image"}, %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w, %b stride [1, 1] padding [0, 0] dilation [1, 1] groups 1
         : tensor<?x1x3x3xf32>, tensor<10x1x3x3xf32>, tensor<10xf32>
  %1 = nn.flatten %0 dims 1 to 3 : tensor<?x10x1x1xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// Batch norm in training mode: one batch_norm_grad from dy, the forward
// input, the weight and the saved batch mean and invstd; its dx feeds the
// convolution below, its dw and db are the parameter gradients. The running
// statistics are buffers, not differentiated.

// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME: %[[W:[^:]+]]: tensor<2x1x1x1xf32> {nn.param = "conv.weight"}, %[[GAMMA:[^:]+]]: tensor<2xf32> {nn.param = "bn.weight"}, %[[BETA:[^:]+]]: tensor<2xf32> {nn.param = "bn.bias"}
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x1x2x2xf32> {nn.input = "image"}
// CHECK-SAME: -> (tensor<f32> {nn.output = "loss"}, tensor<2xf32> {nn.buffer_update = "bn.running_mean"}, tensor<2xf32> {nn.buffer_update = "bn.running_var"}, tensor<2x1x1x1xf32> {nn.grad = "conv.weight"}, tensor<2xf32> {nn.grad = "bn.weight"}, tensor<2xf32> {nn.grad = "bn.bias"})
// CHECK: %[[H:.+]] = nn.conv2d
// CHECK: %{{[^,]+}}, %[[MEAN:[^,]+]], %[[INVSTD:[^,]+]], %[[RM2:[^,]+]], %[[RV2:[^ ]+]] = nn.batch_norm_train %[[H]], %[[GAMMA]], %[[BETA]]
// CHECK: %[[DY:.+]] = nn.unflatten
// CHECK: %[[DH:[^,]+]], %[[DGAMMA:[^,]+]], %[[DBETA:[^ ]+]] = nn.batch_norm_grad %[[DY]], %[[H]], %[[GAMMA]], %[[MEAN]], %[[INVSTD]] : tensor<?x2x2x2xf32>, tensor<2xf32>
// CHECK: %[[DW:.+]] = nn.conv2d_grad_weight %[[DH]], %[[X]]
// CHECK: return %{{.+}}, %[[RM2]], %[[RV2]], %[[DW]], %[[DGAMMA]], %[[DBETA]] :
func.func @batch_norm_train(%w: tensor<2x1x1x1xf32> {nn.param = "conv.weight"}, %gamma: tensor<2xf32> {nn.param = "bn.weight"},
                            %beta: tensor<2xf32> {nn.param = "bn.bias"}, %rm: tensor<2xf32> {nn.buffer = "bn.running_mean"},
                            %rv: tensor<2xf32> {nn.buffer = "bn.running_var"}, %x: tensor<?x1x2x2xf32> {nn.input = "image"},
                            %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<f32> {nn.output = "loss"}, tensor<2xf32> {nn.buffer_update = "bn.running_mean"},
        tensor<2xf32> {nn.buffer_update = "bn.running_var"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1
         : tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>
  %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %0, %gamma, %beta, %rm, %rv
      eps 1.0e-05 momentum 1.0e-01 : tensor<?x2x2x2xf32>, tensor<2xf32>
  %1 = nn.flatten %y dims 1 to 3 : tensor<?x2x2x2xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x8xf32>, tensor<?xi64>
  return %2, %rm2, %rv2 : tensor<f32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Batch norm of the data itself: batch_norm_grad is still built (for the
// affine parameters); nothing consumes its input gradient.

// CHECK-LABEL: func.func @batch_norm_of_data
// CHECK-SAME: %[[GAMMA:[^:]+]]: tensor<8xf32> {nn.param = "bn.weight"}, %[[BETA:[^:]+]]: tensor<8xf32> {nn.param = "bn.bias"}
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x8xf32> {nn.input = "features"}
// CHECK: %{{[^,]+}}, %[[MEAN:[^,]+]], %[[INVSTD:[^,]+]], %{{[^,]+}}, %{{[^ ]+}} = nn.batch_norm_train %[[X]], %[[GAMMA]], %[[BETA]]
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %{{[^,]+}}, %[[DGAMMA:[^,]+]], %[[DBETA:[^ ]+]] = nn.batch_norm_grad %[[DY]], %[[X]], %[[GAMMA]], %[[MEAN]], %[[INVSTD]] : tensor<?x8xf32>, tensor<8xf32>
// CHECK-NEXT: return %{{.+}}, %[[DGAMMA]], %[[DBETA]] :
func.func @batch_norm_of_data(%gamma: tensor<8xf32> {nn.param = "bn.weight"}, %beta: tensor<8xf32> {nn.param = "bn.bias"},
                              %rm: tensor<8xf32> {nn.buffer = "bn.running_mean"}, %rv: tensor<8xf32> {nn.buffer = "bn.running_var"},
                              %x: tensor<?x8xf32> {nn.input = "features"}, %t: tensor<?xi64> {nn.input = "label"})
    -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv
      eps 1.0e-05 momentum 1.0e-01 : tensor<?x8xf32>, tensor<8xf32>
  %0 = nn.cross_entropy %y, %t : tensor<?x8xf32>, tensor<?xi64>
  return %0 : tensor<f32>
}

// -----

// Max pooling routes dy through the saved argmax (result #1) with the
// forward window; the result type is the pooled input's.

// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: %[[W:[^:]+]]: tensor<4x1x3x3xf32> {nn.param = "conv.weight"}, %[[X:[^:]+]]: tensor<?x1x4x4xf32> {nn.input = "image"}
// CHECK: %[[H:.+]] = nn.conv2d
// CHECK: %{{[^,]+}}, %[[I:[^ ]+]] = nn.max_pool2d %[[H]] kernel [3, 3] stride [2, 2] padding [1, 1]
// CHECK: %[[DY:.+]] = nn.unflatten
// CHECK: %[[DH:.+]] = nn.max_pool2d_grad %[[DY]], %[[I]] kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x4x2x2xf32>, tensor<?x4x2x2xi64> -> tensor<?x4x4x4xf32>
// CHECK: %[[DW:.+]] = nn.conv2d_grad_weight %[[DH]], %[[X]]
// CHECK: return %{{.+}}, %[[DW]] :
func.func @max_pool2d(%w: tensor<4x1x3x3xf32> {nn.param = "conv.weight"}, %x: tensor<?x1x4x4xf32> {nn.input = "image"},
                      %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x1x4x4xf32>, tensor<4x1x3x3xf32>
  %y, %i = nn.max_pool2d %0 kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x4x4x4xf32>
  %1 = nn.flatten %y dims 1 to 3 : tensor<?x4x2x2xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x16xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// Max pooling directly on data: no gradient is needed, none is built.

// CHECK-LABEL: func.func @max_pool2d_of_data
// CHECK-NOT: nn.max_pool2d_grad
// CHECK: return
func.func @max_pool2d_of_data(%w: tensor<10x4xf32> {nn.param = "fc.weight"}, %x: tensor<?x1x4x4xf32> {nn.input = "image"},
                              %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %y, %i = nn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x1x4x4xf32>
  %0 = nn.flatten %y dims 1 to 3 : tensor<?x1x2x2xf32>
  %1 = nn.linear %0, %w : tensor<?x4xf32>, tensor<10x4xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// Average pooling spreads dy over the forward window.

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: %[[W:[^:]+]]: tensor<10x1x3x3xf32> {nn.param = "conv.weight"}, %[[X:[^:]+]]: tensor<?x1x4x4xf32> {nn.input = "image"}
// CHECK: %[[H:.+]] = nn.conv2d
// CHECK: %[[P:.+]] = nn.avg_pool2d %[[H]] kernel [4, 4] stride [1, 1] padding [0, 0]
// CHECK: %[[DY:.+]] = nn.unflatten
// CHECK: %[[DH:.+]] = nn.avg_pool2d_grad %[[DY]] kernel [4, 4] stride [1, 1] padding [0, 0] : tensor<?x10x1x1xf32> -> tensor<?x10x4x4xf32>
// CHECK: %[[DW:.+]] = nn.conv2d_grad_weight %[[DH]], %[[X]]
// CHECK: return %{{.+}}, %[[DW]] :
func.func @avg_pool2d(%w: tensor<10x1x3x3xf32> {nn.param = "conv.weight"}, %x: tensor<?x1x4x4xf32> {nn.input = "image"},
                      %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x1x4x4xf32>, tensor<10x1x3x3xf32>
  %1 = nn.avg_pool2d %0 kernel [4, 4] stride [1, 1] padding [0, 0] : tensor<?x10x4x4xf32>
  %2 = nn.flatten %1 dims 1 to 3 : tensor<?x10x1x1xf32>
  %3 = nn.cross_entropy %2, %t : tensor<?x10xf32>, tensor<?xi64>
  return %3 : tensor<f32>
}

// -----

// Dropout recomputes its mask: dropout_grad takes the same seed, p and salt;
// the seed gets no gradient.

// CHECK-LABEL: func.func @dropout
// CHECK-SAME: %[[W1:[^:]+]]: tensor<16x8xf32> {nn.param = "fc1.weight"}, %[[W2:[^:]+]]: tensor<10x16xf32> {nn.param = "fc2.weight"}, %[[X:[^:]+]]: tensor<?x8xf32> {nn.input = "features"}
// CHECK-SAME: %[[SEED:[^:]+]]: i64 {nn.seed}
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %[[DD:.+]] = nn.linear_grad_input %[[DY]], %[[W2]]
// CHECK: %[[DH:.+]] = nn.dropout_grad %[[DD]], %[[SEED]] p 2.500000e-01 salt 5 : tensor<?x16xf32>
// CHECK: %[[DW1:.+]] = nn.linear_grad_weight %[[DH]], %[[X]]
// CHECK: return %{{.+}}, %[[DW1]], %{{.+}} :
func.func @dropout(%w1: tensor<16x8xf32> {nn.param = "fc1.weight"}, %w2: tensor<10x16xf32> {nn.param = "fc2.weight"},
                   %x: tensor<?x8xf32> {nn.input = "features"}, %t: tensor<?xi64> {nn.input = "label"}, %seed: i64 {nn.seed})
    -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w1 : tensor<?x8xf32>, tensor<16x8xf32>
  %1 = nn.dropout %0, %seed p 2.5e-01 salt 5 : tensor<?x16xf32>
  %2 = nn.linear %1, %w2 : tensor<?x16xf32>, tensor<10x16xf32>
  %3 = nn.cross_entropy %2, %t : tensor<?x10xf32>, tensor<?xi64>
  return %3 : tensor<f32>
}

// -----

// Sigmoid and tanh differentiate from their output...

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: %[[W:[^:]+]]: tensor<10x8xf32> {nn.param = "fc.weight"}, %[[X:[^:]+]]: tensor<?x8xf32>
// CHECK: %[[Y:.+]] = nn.sigmoid
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad %[[Y]]
// CHECK: %[[DZ:.+]] = nn.sigmoid_grad %[[DY]], %[[Y]] : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]], %[[X]]
func.func @sigmoid(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                   %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.sigmoid %0 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @tanh
// CHECK-SAME: %[[W:[^:]+]]: tensor<10x8xf32> {nn.param = "fc.weight"}, %[[X:[^:]+]]: tensor<?x8xf32>
// CHECK: %[[Y:.+]] = nn.tanh
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad %[[Y]]
// CHECK: %[[DZ:.+]] = nn.tanh_grad %[[DY]], %[[Y]] : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]], %[[X]]
func.func @tanh(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.tanh %0 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// ... GELU, SiLU and LeakyReLU from their input (LeakyReLU keeps its slope).

// CHECK-LABEL: func.func @gelu
// CHECK: %[[Z:.+]] = nn.linear
// CHECK: nn.gelu %[[Z]]
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %[[DZ:.+]] = nn.gelu_grad %[[DY]], %[[Z]] : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]]
func.func @gelu(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.gelu %0 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @silu
// CHECK: %[[Z:.+]] = nn.linear
// CHECK: nn.silu %[[Z]]
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %[[DZ:.+]] = nn.silu_grad %[[DY]], %[[Z]] : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]]
func.func @silu(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.silu %0 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @leaky_relu
// CHECK: %[[Z:.+]] = nn.linear
// CHECK: nn.leaky_relu %[[Z]] slope 2.000000e-01
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad
// CHECK: %[[DZ:.+]] = nn.leaky_relu_grad %[[DY]], %[[Z]] slope 2.000000e-01 : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]]
func.func @leaky_relu(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                      %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.leaky_relu %0 slope 2.0e-01 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// Softmax and log-softmax differentiate from their output along their dim.

// CHECK-LABEL: func.func @softmax
// CHECK: %[[P:.+]] = nn.softmax %{{.+}} dim 1
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad %[[P]]
// CHECK: %[[DZ:.+]] = nn.softmax_grad %[[DY]], %[[P]] dim 1 : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]]
func.func @softmax(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                   %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.softmax %0 dim 1 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[LP:.+]] = nn.log_softmax %{{.+}} dim 0
// CHECK: %[[DY:.+]] = nn.cross_entropy_grad %[[LP]]
// CHECK: %[[DZ:.+]] = nn.log_softmax_grad %[[DY]], %[[LP]] dim 0 : tensor<?x10xf32>
// CHECK: nn.linear_grad_weight %[[DZ]]
func.func @log_softmax(%w: tensor<10x8xf32> {nn.param = "fc.weight"}, %x: tensor<?x8xf32> {nn.input = "features"},
                       %t: tensor<?xi64> {nn.input = "label"}) -> (tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
  %0 = nn.linear %x, %w : tensor<?x8xf32>, tensor<10x8xf32>
  %1 = nn.log_softmax %0 dim 0 : tensor<?x10xf32>
  %2 = nn.cross_entropy %1, %t : tensor<?x10xf32>, tensor<?xi64>
  return %2 : tensor<f32>
}
