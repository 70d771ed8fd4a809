// RUN: %nncc-opt %s --split-input-file --nn-expose-abi | FileCheck %s

// Tensor arguments become memrefs read through `to_tensor restrict`; each
// result becomes a trailing memref argument (keeping its nn.output name) that
// the body writes with `materialize_in_destination restrict writable`.

// CHECK-LABEL: func.func @predict
// CHECK-SAME: (%[[W:.+]]: memref<10x784xf32> {nn.param = "fc.weight"}, %[[X:.+]]: memref<?x784xf32> {nn.input = "image"}, %[[OUT:.+]]: memref<?x10xf32> {nn.output = "logits"})
// CHECK-NOT: ->
// CHECK: %[[WT:.+]] = bufferization.to_tensor %[[W]] restrict : memref<10x784xf32>
// CHECK: %[[XT:.+]] = bufferization.to_tensor %[[X]] restrict : memref<?x784xf32>
// CHECK: %[[Y:.+]] = nn.linear %[[XT]], %[[WT]]
// CHECK: bufferization.materialize_in_destination %[[Y]] in restrict writable %[[OUT]] : (tensor<?x10xf32>, memref<?x10xf32>) -> ()
// CHECK-NEXT: return{{$}}
func.func @predict(%w: tensor<10x784xf32> {nn.param = "fc.weight"}, %x: tensor<?x784xf32> {nn.input = "image"})
    -> (tensor<?x10xf32> {nn.output = "logits"}) {
  %0 = nn.linear %x, %w : tensor<?x784xf32>, tensor<10x784xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// Several results keep their order; non-tensor arguments are left alone.

// CHECK-LABEL: func.func @eval_step
// CHECK-SAME: (%[[X:.+]]: memref<?x10xf32>, %[[T:.+]]: memref<?xi64>, %[[K:.+]]: index, %[[LOGITS:.+]]: memref<?x10xf32> {nn.output = "logits"}, %[[LOSS:.+]]: memref<f32> {nn.output = "loss"})
// CHECK: %[[XT:.+]] = bufferization.to_tensor %[[X]] restrict
// CHECK: %[[TT:.+]] = bufferization.to_tensor %[[T]] restrict
// CHECK: %[[L:.+]] = nn.cross_entropy %[[XT]], %[[TT]]
// CHECK: bufferization.materialize_in_destination %[[XT]] in restrict writable %[[LOGITS]]
// CHECK: bufferization.materialize_in_destination %[[L]] in restrict writable %[[LOSS]]
// CHECK-NEXT: return{{$}}
func.func @eval_step(%x: tensor<?x10xf32>, %t: tensor<?xi64>, %k: index)
    -> (tensor<?x10xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"}) {
  %0 = nn.cross_entropy %x, %t : tensor<?x10xf32>, tensor<?xi64>
  return %x, %0 : tensor<?x10xf32>, tensor<f32>
}

// -----

// Declarations have no body to rewrite.

// CHECK-LABEL: func.func private @external
// CHECK-SAME: (tensor<4xf32>) -> tensor<4xf32>
func.func private @external(tensor<4xf32>) -> tensor<4xf32>
