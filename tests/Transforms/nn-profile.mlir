// nn-profile (Profile.cpp): in train_step, eval_step and predict, an
// nn.profile_mark before every nn op that does work (views such as
// nn.flatten and nn.unflatten take none), numbered in order over the three
// entries, and a mark -1 before each return. The module's nn.profile_regions
// describes region i: its entry, layer (the op's location name), op, FLOPs
// per sample (2 per multiply-add, for convolutions and linear layers only),
// bytes per sample of the batched tensors it reads and writes, and the
// bytes of its fixed-size tensors (parameters, their gradients). Other
// functions (probe) are left alone.
// RUN: %nncc-opt %s --nn-profile | FileCheck %s

// Region 0, the convolution: 32 output elements per sample x (1 x 3 x 3)
// multiply-adds = 576 FLOPs; image (36) and output (32) elements are 272
// bytes per sample, weight (18) and bias (2) 80 fixed bytes.
// CHECK: module attributes {nn.profile_regions = [
// CHECK-SAME: {bytes = 272 : i64, entry = "train_step", fixed_bytes = 80 : i64, flops = 576 : i64, layer = "features.0", op = "conv2d"}
// ReLU: 32 elements in and out, no FLOPs counted.
// CHECK-SAME: {bytes = 256 : i64, entry = "train_step", fixed_bytes = 0 : i64, flops = 0 : i64, layer = "features.1", op = "relu"}
// Linear 32 -> 3: 96 multiply-adds; weight and bias 396 fixed bytes.
// CHECK-SAME: {bytes = 140 : i64, entry = "train_step", fixed_bytes = 396 : i64, flops = 192 : i64, layer = "features.3", op = "linear"}
// The input gradient: as many multiply-adds as the forward convolution.
// CHECK-SAME: {bytes = 272 : i64, entry = "train_step", fixed_bytes = 72 : i64, flops = 576 : i64, layer = "features.0", op = "conv2d_grad_input"}
// The weight gradient likewise; its result is fixed-size.
// CHECK-SAME: {bytes = 272 : i64, entry = "train_step", fixed_bytes = 72 : i64, flops = 576 : i64, layer = "features.0", op = "conv2d_grad_weight"}
// CHECK-SAME: {bytes = 272 : i64, entry = "predict", fixed_bytes = 80 : i64, flops = 576 : i64, layer = "features.0", op = "conv2d"}]

// CHECK-LABEL: func.func @train_step
// CHECK: nn.profile_mark 0
// CHECK-NEXT: %[[Y:.+]] = nn.conv2d
// CHECK-NEXT: nn.profile_mark 1
// CHECK-NEXT: %[[R:.+]] = nn.relu %[[Y]]
// CHECK-NEXT: %[[F:.+]] = nn.flatten %[[R]]
// CHECK-NEXT: nn.profile_mark 2
// CHECK-NEXT: nn.linear %[[F]]
// CHECK-NEXT: nn.profile_mark 3
// CHECK-NEXT: nn.conv2d_grad_input
// CHECK-NEXT: nn.profile_mark 4
// CHECK-NEXT: nn.conv2d_grad_weight
// CHECK-NEXT: nn.profile_mark -1
// CHECK-NEXT: return
func.func @train_step(%x: tensor<?x1x6x6xf32>, %w: tensor<2x1x3x3xf32>,
                      %b: tensor<2xf32>, %lw: tensor<3x32xf32>,
                      %lb: tensor<3xf32>, %g: tensor<?x2x4x4xf32>)
    -> (tensor<?x3xf32>, tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>) {
  %y = nn.conv2d %x, %w, %b stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>, tensor<2xf32> loc("features.0")
  %r = nn.relu %y : tensor<?x2x4x4xf32> loc("features.1")
  %f = nn.flatten %r dims 1 to 3 : tensor<?x2x4x4xf32> loc("features.2")
  %l = nn.linear %f, %lw, %lb : tensor<?x32xf32>, tensor<3x32xf32>, tensor<3xf32> loc("features.3")
  %gx = nn.conv2d_grad_input %g, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x2x4x4xf32>, tensor<2x1x3x3xf32> -> tensor<?x1x6x6xf32> loc("features.0")
  %gw = nn.conv2d_grad_weight %g, %x stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x2x4x4xf32>, tensor<?x1x6x6xf32> -> tensor<2x1x3x3xf32> loc("features.0")
  return %l, %gx, %gw : tensor<?x3xf32>, tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>
}

// CHECK-LABEL: func.func @predict
// CHECK: nn.profile_mark 5
// CHECK-NEXT: nn.conv2d
// CHECK-NEXT: nn.profile_mark -1
// CHECK-NEXT: return
func.func @predict(%x: tensor<?x1x6x6xf32>, %w: tensor<2x1x3x3xf32>,
                   %b: tensor<2xf32>) -> tensor<?x2x4x4xf32> {
  %y = nn.conv2d %x, %w, %b stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>, tensor<2xf32> loc("features.0")
  return %y : tensor<?x2x4x4xf32>
}

// CHECK-LABEL: func.func @probe
// CHECK-NOT: nn.profile_mark
// CHECK: return
func.func @probe(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  return %r : tensor<?x2x4x4xf32>
}
