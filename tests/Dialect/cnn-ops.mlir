// Round trip of the convolution, pooling, normalisation, dropout and
// activation ops (and their backward ops): print, parse the printed form
// again, print. Pins each custom assembly format (optional bias, window
// attributes, eps/momentum/p/slope/dim spellings) and the result types the
// parser infers, before the back end is rewritten.
// RUN: %nncc-opt %s --split-input-file | %nncc-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x32x32xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[B:.+]]: tensor<16xf32>)
func.func @conv2d(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>)
    -> (tensor<?x16x32x32xf32>, tensor<?x16x14x14xf32>) {
  // CHECK: nn.conv2d %[[X]], %[[W]], %[[B]] stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>
  %0 = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>
  // Without a bias; the output size is (32 + 0 - 2 * 2 - 1) / 2 + 1 = 14.
  // CHECK: nn.conv2d %[[X]], %[[W]] stride [2, 2] padding [0, 0] dilation [2, 2] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>{{$}}
  %1 = nn.conv2d %x, %w stride [2, 2] padding [0, 0] dilation [2, 2] groups 1
         : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return %0, %1 : tensor<?x16x32x32xf32>, tensor<?x16x14x14xf32>
}

// -----

// Grouped (depthwise here) and asymmetric windows: the output is
// [(8 + 2 - 3) / 2 + 1, (6 + 0 - 1) / 1 + 1] = [4, 6].
// CHECK-LABEL: func.func @conv2d_groups
// CHECK-SAME: (%[[X:.+]]: tensor<?x4x8x6xf32>, %[[W:.+]]: tensor<8x1x3x1xf32>, %[[B:.+]]: tensor<8xf32>)
func.func @conv2d_groups(%x: tensor<?x4x8x6xf32>, %w: tensor<8x1x3x1xf32>, %b: tensor<8xf32>)
    -> tensor<?x8x4x6xf32> {
  // CHECK: %[[Y:.+]] = nn.conv2d %[[X]], %[[W]], %[[B]] stride [2, 1] padding [1, 0] dilation [1, 1] groups 4 : tensor<?x4x8x6xf32>, tensor<8x1x3x1xf32>, tensor<8xf32>
  %0 = nn.conv2d %x, %w, %b stride [2, 1] padding [1, 0] dilation [1, 1] groups 4
         : tensor<?x4x8x6xf32>, tensor<8x1x3x1xf32>, tensor<8xf32>
  // CHECK: return %[[Y]] : tensor<?x8x4x6xf32>
  return %0 : tensor<?x8x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_grads
// CHECK-SAME: (%[[G:.+]]: tensor<?x16x16x16xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[X:.+]]: tensor<?x3x32x32xf32>)
func.func @conv2d_grads(%g: tensor<?x16x16x16xf32>, %w: tensor<16x3x3x3xf32>, %x: tensor<?x3x32x32xf32>)
    -> (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) {
  // CHECK: nn.conv2d_grad_input %[[G]], %[[W]] stride [2, 2] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<?x3x32x32xf32>
  %0 = nn.conv2d_grad_input %g, %w stride [2, 2] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<?x3x32x32xf32>
  // CHECK: nn.conv2d_grad_weight %[[G]], %[[X]] stride [2, 2] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x16x16x16xf32>, tensor<?x3x32x32xf32> -> tensor<16x3x3x3xf32>
  %1 = nn.conv2d_grad_weight %g, %x stride [2, 2] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x16x16x16xf32>, tensor<?x3x32x32xf32> -> tensor<16x3x3x3xf32>
  // The result type [C] is inferred from dimension 1.
  // CHECK: nn.channel_sum %[[G]] : tensor<?x16x16x16xf32>{{$}}
  %2 = nn.channel_sum %g : tensor<?x16x16x16xf32>
  return %0, %1, %2 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>
}

// -----

// channel_sum takes any rank >= 2 (a linear layer's [N, C] too).
// CHECK-LABEL: func.func @channel_sum_2d
func.func @channel_sum_2d(%g: tensor<?x10xf32>) -> tensor<10xf32> {
  // CHECK: nn.channel_sum %{{.+}} : tensor<?x10xf32>{{$}}
  %0 = nn.channel_sum %g : tensor<?x10xf32>
  return %0 : tensor<10xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: (%[[X:.+]]: tensor<?x8x28x28xf32>)
func.func @max_pool2d(%x: tensor<?x8x28x28xf32>)
    -> (tensor<?x8x14x14xf32>, tensor<?x8x14x14xi64>, tensor<?x8x28x28xf32>, tensor<?x8x14x14xf32>) {
  // Both results are inferred: the pooled values and their i64 argmax.
  // CHECK: %[[Y:[^,]+]], %[[I:[^ ]+]] = nn.max_pool2d %[[X]] kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>{{$}}
  %y, %i = nn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
  // CHECK: %[[DX:.+]] = nn.max_pool2d_grad %[[Y]], %[[I]] kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x8x14x14xf32>, tensor<?x8x14x14xi64> -> tensor<?x8x28x28xf32>
  %dx = nn.max_pool2d_grad %y, %i kernel [2, 2] stride [2, 2] padding [0, 0]
          : tensor<?x8x14x14xf32>, tensor<?x8x14x14xi64> -> tensor<?x8x28x28xf32>
  // Overlapping, padded windows: (28 + 2 - 3) / 2 + 1 = 14.
  // CHECK: %[[Z:[^,]+]], %{{[^ ]+}} = nn.max_pool2d %[[X]] kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x8x28x28xf32>{{$}}
  %z, %j = nn.max_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x8x28x28xf32>
  // CHECK: return %[[Y]], %[[I]], %[[DX]], %[[Z]] :
  return %y, %i, %dx, %z : tensor<?x8x14x14xf32>, tensor<?x8x14x14xi64>, tensor<?x8x28x28xf32>, tensor<?x8x14x14xf32>
}

// -----

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: (%[[X:.+]]: tensor<?x64x8x8xf32>, %[[G:.+]]: tensor<?x64x1x1xf32>)
func.func @avg_pool2d(%x: tensor<?x64x8x8xf32>, %g: tensor<?x64x1x1xf32>)
    -> (tensor<?x64x1x1xf32>, tensor<?x64x4x4xf32>, tensor<?x64x8x8xf32>) {
  // The global pool of AdaptiveAvgPool2d(1).
  // CHECK: %[[Y:.+]] = nn.avg_pool2d %[[X]] kernel [8, 8] stride [1, 1] padding [0, 0] : tensor<?x64x8x8xf32>{{$}}
  %0 = nn.avg_pool2d %x kernel [8, 8] stride [1, 1] padding [0, 0] : tensor<?x64x8x8xf32>
  // CHECK: %[[Z:.+]] = nn.avg_pool2d %[[X]] kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x64x8x8xf32>{{$}}
  %1 = nn.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x64x8x8xf32>
  // CHECK: %[[DX:.+]] = nn.avg_pool2d_grad %[[G]] kernel [8, 8] stride [1, 1] padding [0, 0] : tensor<?x64x1x1xf32> -> tensor<?x64x8x8xf32>
  %2 = nn.avg_pool2d_grad %g kernel [8, 8] stride [1, 1] padding [0, 0]
         : tensor<?x64x1x1xf32> -> tensor<?x64x8x8xf32>
  // CHECK: return %[[Y]], %[[Z]], %[[DX]] : tensor<?x64x1x1xf32>, tensor<?x64x4x4xf32>, tensor<?x64x8x8xf32>
  return %0, %1, %2 : tensor<?x64x1x1xf32>, tensor<?x64x4x4xf32>, tensor<?x64x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.+]]: tensor<?x32x28x28xf32>, %[[W:.+]]: tensor<32xf32>, %[[B:.+]]: tensor<32xf32>, %[[RM:.+]]: tensor<32xf32>, %[[RV:.+]]: tensor<32xf32>, %[[G:.+]]: tensor<?x32x28x28xf32>)
func.func @batch_norm(%x: tensor<?x32x28x28xf32>, %w: tensor<32xf32>, %b: tensor<32xf32>,
                      %rm: tensor<32xf32>, %rv: tensor<32xf32>, %g: tensor<?x32x28x28xf32>)
    -> (tensor<?x32x28x28xf32>, tensor<32xf32>, tensor<32xf32>, tensor<?x32x28x28xf32>,
        tensor<?x32x28x28xf32>, tensor<32xf32>, tensor<32xf32>) {
  // Five inferred results: y, the batch mean and invstd, the new running stats.
  // CHECK: %[[Y:[^,]+]], %[[MEAN:[^,]+]], %[[INVSTD:[^,]+]], %[[RM2:[^,]+]], %[[RV2:[^ ]+]] = nn.batch_norm_train %[[X]], %[[W]], %[[B]], %[[RM]], %[[RV]] eps 1.000000e-05 momentum 1.000000e-01 : tensor<?x32x28x28xf32>, tensor<32xf32>{{$}}
  %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %x, %w, %b, %rm, %rv
      eps 1.0e-05 momentum 1.0e-01 : tensor<?x32x28x28xf32>, tensor<32xf32>
  // CHECK: %[[E:.+]] = nn.batch_norm_eval %[[X]], %[[W]], %[[B]], %[[RM]], %[[RV]] eps 1.000000e-03 : tensor<?x32x28x28xf32>, tensor<32xf32>{{$}}
  %e = nn.batch_norm_eval %x, %w, %b, %rm, %rv eps 1.0e-03 : tensor<?x32x28x28xf32>, tensor<32xf32>
  // CHECK: %[[DX:[^,]+]], %[[DW:[^,]+]], %[[DB:[^ ]+]] = nn.batch_norm_grad %[[G]], %[[X]], %[[W]], %[[MEAN]], %[[INVSTD]] : tensor<?x32x28x28xf32>, tensor<32xf32>{{$}}
  %dx, %dw, %db = nn.batch_norm_grad %g, %x, %w, %mean, %invstd : tensor<?x32x28x28xf32>, tensor<32xf32>
  // CHECK: return %[[Y]], %[[RM2]], %[[RV2]], %[[E]], %[[DX]], %[[DW]], %[[DB]] :
  return %y, %rm2, %rv2, %e, %dx, %dw, %db
      : tensor<?x32x28x28xf32>, tensor<32xf32>, tensor<32xf32>, tensor<?x32x28x28xf32>,
        tensor<?x32x28x28xf32>, tensor<32xf32>, tensor<32xf32>
}

// -----

// BatchNorm1d: [N, C] works as well as [N, C, H, W].
// CHECK-LABEL: func.func @batch_norm_1d
func.func @batch_norm_1d(%x: tensor<?x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>,
                         %rm: tensor<64xf32>, %rv: tensor<64xf32>) -> tensor<?x64xf32> {
  // CHECK: nn.batch_norm_train %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} eps 1.000000e-05 momentum 0.000000e+00 : tensor<?x64xf32>, tensor<64xf32>{{$}}
  %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %x, %w, %b, %rm, %rv
      eps 1.0e-05 momentum 0.0 : tensor<?x64xf32>, tensor<64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.+]]: tensor<?x128xf32>, %[[SEED:.+]]: i64, %[[G:.+]]: tensor<?x128xf32>)
func.func @dropout(%x: tensor<?x128xf32>, %seed: i64, %g: tensor<?x128xf32>)
    -> (tensor<?x128xf32>, tensor<?x128xf32>) {
  // CHECK: nn.dropout %[[X]], %[[SEED]] p 5.000000e-01 salt 3 : tensor<?x128xf32>
  %0 = nn.dropout %x, %seed p 5.0e-01 salt 3 : tensor<?x128xf32>
  // CHECK: nn.dropout_grad %[[G]], %[[SEED]] p 2.500000e-01 salt 7 : tensor<?x128xf32>
  %1 = nn.dropout_grad %g, %seed p 2.5e-01 salt 7 : tensor<?x128xf32>
  return %0, %1 : tensor<?x128xf32>, tensor<?x128xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[X:.+]]: tensor<?x128xf32>)
func.func @activations(%x: tensor<?x128xf32>)
    -> (tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>) {
  // CHECK: nn.sigmoid %[[X]] : tensor<?x128xf32>
  %0 = nn.sigmoid %x : tensor<?x128xf32>
  // CHECK: nn.tanh %[[X]] : tensor<?x128xf32>
  %1 = nn.tanh %x : tensor<?x128xf32>
  // CHECK: nn.gelu %[[X]] : tensor<?x128xf32>
  %2 = nn.gelu %x : tensor<?x128xf32>
  // CHECK: nn.silu %[[X]] : tensor<?x128xf32>
  %3 = nn.silu %x : tensor<?x128xf32>
  // CHECK: nn.leaky_relu %[[X]] slope 1.000000e-02 : tensor<?x128xf32>
  %4 = nn.leaky_relu %x slope 1.0e-02 : tensor<?x128xf32>
  return %0, %1, %2, %3, %4 : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>
}

// -----

// CHECK-LABEL: func.func @activation_grads
// CHECK-SAME: (%[[G:.+]]: tensor<?x8x4x4xf32>, %[[V:.+]]: tensor<?x8x4x4xf32>)
func.func @activation_grads(%g: tensor<?x8x4x4xf32>, %v: tensor<?x8x4x4xf32>)
    -> (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) {
  // CHECK: nn.sigmoid_grad %[[G]], %[[V]] : tensor<?x8x4x4xf32>
  %0 = nn.sigmoid_grad %g, %v : tensor<?x8x4x4xf32>
  // CHECK: nn.tanh_grad %[[G]], %[[V]] : tensor<?x8x4x4xf32>
  %1 = nn.tanh_grad %g, %v : tensor<?x8x4x4xf32>
  // CHECK: nn.gelu_grad %[[G]], %[[V]] : tensor<?x8x4x4xf32>
  %2 = nn.gelu_grad %g, %v : tensor<?x8x4x4xf32>
  // CHECK: nn.silu_grad %[[G]], %[[V]] : tensor<?x8x4x4xf32>
  %3 = nn.silu_grad %g, %v : tensor<?x8x4x4xf32>
  // CHECK: nn.leaky_relu_grad %[[G]], %[[V]] slope 2.000000e-01 : tensor<?x8x4x4xf32>
  %4 = nn.leaky_relu_grad %g, %v slope 2.0e-01 : tensor<?x8x4x4xf32>
  return %0, %1, %2, %3, %4 : tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<?x10xf32>, %[[G:.+]]: tensor<?x10xf32>)
func.func @softmax(%x: tensor<?x10xf32>, %g: tensor<?x10xf32>)
    -> (tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>) {
  // CHECK: %[[P:.+]] = nn.softmax %[[X]] dim 1 : tensor<?x10xf32>
  %0 = nn.softmax %x dim 1 : tensor<?x10xf32>
  // CHECK: %[[LP:.+]] = nn.log_softmax %[[X]] dim 0 : tensor<?x10xf32>
  %1 = nn.log_softmax %x dim 0 : tensor<?x10xf32>
  // CHECK: nn.softmax_grad %[[G]], %[[P]] dim 1 : tensor<?x10xf32>
  %2 = nn.softmax_grad %g, %0 dim 1 : tensor<?x10xf32>
  // CHECK: nn.log_softmax_grad %[[G]], %[[LP]] dim 0 : tensor<?x10xf32>
  %3 = nn.log_softmax_grad %g, %1 dim 0 : tensor<?x10xf32>
  return %0, %1, %2, %3 : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>
}
