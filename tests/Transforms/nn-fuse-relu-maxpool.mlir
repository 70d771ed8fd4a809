// nn-fuse-relu-maxpool (FuseReluMaxPool.cpp): ReLU before max pooling runs
// after it, forward and backward, where its output has no other use.
// RUN: nncc-opt %s --nn-fuse-relu-maxpool --split-input-file | FileCheck %s

// The training pair: forward and backward both swap; the full-size ReLU and
// its mask are gone.
// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[X:.+]]: tensor<?x2x4x4xf32>, %[[DP:.+]]: tensor<?x2x2x2xf32>)
// CHECK: %[[Q:.+]], %[[I:.+]] = nn.max_pool2d %[[X]] kernel [2, 2] stride [2, 2] padding [0, 0]
// CHECK: %[[P:.+]] = nn.relu %[[Q]] : tensor<?x2x2x2xf32>
// CHECK: %[[M:.+]] = nn.relu_grad %[[DP]], %[[P]] : tensor<?x2x2x2xf32>
// CHECK: %[[DX:.+]] = nn.max_pool2d_grad %[[M]], %[[I]] kernel [2, 2] stride [2, 2] padding [0, 0]
// CHECK-NOT: nn.relu
// CHECK: return %[[P]], %[[DX]]
func.func @train(%x: tensor<?x2x4x4xf32>, %dp: tensor<?x2x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>) {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  %p, %i = nn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x4x4xf32>
  %g = nn.max_pool2d_grad %dp, %i kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x2x2xf32>, tensor<?x2x2x2xi64> -> tensor<?x2x4x4xf32>
  %dx = nn.relu_grad %g, %r : tensor<?x2x4x4xf32>
  return %p, %dx : tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>
}

// -----

// Inference: the indices are unused; overlapping windows with padding swap
// too (the maximum commutes with ReLU for any window).
// CHECK-LABEL: func.func @predict
// CHECK: %[[Q:.+]], %{{.+}} = nn.max_pool2d %arg0 kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x2x5x5xf32>
// CHECK: %[[P:.+]] = nn.relu %[[Q]] : tensor<?x2x3x3xf32>
// CHECK: return %[[P]]
func.func @predict(%x: tensor<?x2x5x5xf32>) -> tensor<?x2x3x3xf32> {
  %r = nn.relu %x : tensor<?x2x5x5xf32>
  %p, %i = nn.max_pool2d %r kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x2x5x5xf32>
  return %p : tensor<?x2x3x3xf32>
}

// -----

// The ReLU output has another use (a probe, a second consumer): it stays.
// CHECK-LABEL: func.func @shared
// CHECK: %[[R:.+]] = nn.relu %arg0 : tensor<?x2x4x4xf32>
// CHECK: nn.max_pool2d %[[R]]
// CHECK: nn.add %[[R]], %[[R]]
func.func @shared(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>) {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  %p, %i = nn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x4x4xf32>
  %s = nn.add %r, %r : tensor<?x2x4x4xf32>
  return %p, %s : tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>
}

// -----

// The pooling's gradient is also used unmasked: routing it to the argmax of
// the input would change it, so nothing moves.
// CHECK-LABEL: func.func @unmasked
// CHECK: %[[R:.+]] = nn.relu %arg0 : tensor<?x2x4x4xf32>
// CHECK: nn.max_pool2d %[[R]]
// CHECK: nn.relu_grad %{{.+}}, %[[R]] : tensor<?x2x4x4xf32>
func.func @unmasked(%x: tensor<?x2x4x4xf32>, %dp: tensor<?x2x2x2xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  %p, %i = nn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x4x4xf32>
  %g = nn.max_pool2d_grad %dp, %i kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x2x2xf32>, tensor<?x2x2x2xi64> -> tensor<?x2x4x4xf32>
  %dx = nn.relu_grad %g, %r : tensor<?x2x4x4xf32>
  return %g, %dx : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}

// -----

// ReLU's mask of something other than the pooling's gradient: it stays.
// CHECK-LABEL: func.func @other_mask
// CHECK: %[[R:.+]] = nn.relu %arg0 : tensor<?x2x4x4xf32>
// CHECK: nn.max_pool2d %[[R]]
func.func @other_mask(%x: tensor<?x2x4x4xf32>, %d: tensor<?x2x4x4xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>) {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  %p, %i = nn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x4x4xf32>
  %dx = nn.relu_grad %d, %r : tensor<?x2x4x4xf32>
  return %p, %dx : tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>
}
