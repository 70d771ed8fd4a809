// nn-collapse-dims (CollapseDims.cpp): an elementwise linalg.generic on
// tensors of rank >= 3 whose operands all index every dimension after the
// batch runs over [N, C*H*W]; one with per-channel operands over
// [N, C, H*W]; the operands are collapsed (tensor.collapse_shape), the
// result expanded back. Reductions, generics that read linalg.index and
// rank-2 generics are left alone.
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-collapse-dims))' | FileCheck %s

#all = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>

// ReLU: one loop over the 36 elements of each image.
// CHECK-DAG: #[[$MAP2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4x3x3xf32>)
// CHECK: %[[XC:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<?x4x3x3xf32> into tensor<?x36xf32>
// CHECK: %[[OC:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<?x4x3x3xf32> into tensor<?x36xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$MAP2]], #[[$MAP2]]], iterator_types = ["parallel", "parallel"]} ins(%[[XC]] : tensor<?x36xf32>) outs(%[[OC]] : tensor<?x36xf32>)
// CHECK: arith.maximumf
// CHECK: %[[E:.+]] = tensor.expand_shape %[[R]] {{\[}}[0], [1, 2, 3]] output_shape [%{{.+}}, 4, 3, 3] : tensor<?x36xf32> into tensor<?x4x3x3xf32>
// CHECK: return %[[E]]
func.func @relu(%x: tensor<?x4x3x3xf32>) -> tensor<?x4x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x4x3x3xf32>
  %e = tensor.empty(%n) : tensor<?x4x3x3xf32>
  %r = linalg.generic {indexing_maps = [#all, #all], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<?x4x3x3xf32>) outs(%e : tensor<?x4x3x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x4x3x3xf32>
  return %r : tensor<?x4x3x3xf32>
}

// -----

#all = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>

// Batch norm's scale: the channel stays a loop of its own, the 3 x 3
// positions become one.
// CHECK-DAG: #[[$ALL3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$CHAN3:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4x3x3xf32>, %[[S:[^:]+]]: tensor<4xf32>)
// CHECK: %[[XC:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : tensor<?x4x3x3xf32> into tensor<?x4x9xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$CHAN3]], #[[$ALL3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[XC]], %[[S]] : tensor<?x4x9xf32>, tensor<4xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1], [2, 3]]
func.func @scale(%x: tensor<?x4x3x3xf32>, %s: tensor<4xf32>) -> tensor<?x4x3x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4x3x3xf32>
  %e = tensor.empty(%n) : tensor<?x4x3x3xf32>
  %r = linalg.generic {indexing_maps = [#all, #chan, #all], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<?x4x3x3xf32>, tensor<4xf32>) outs(%e : tensor<?x4x3x3xf32>) {
  ^bb0(%v: f32, %k: f32, %o: f32):
    %m = arith.mulf %v, %k : f32
    linalg.yield %m : f32
  } -> tensor<?x4x3x3xf32>
  return %r : tensor<?x4x3x3xf32>
}

// -----

#all = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>

// Left alone: a per-channel reduction, and a generic that reads its
// element's position (dropout's mask).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic {{.+}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.index 3
// CHECK-NOT: tensor.collapse_shape
// CHECK: return
func.func @left_alone(%x: tensor<?x4x3x3xf32>, %init: tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4x3x3xf32>) {
  %c0 = arith.constant 0 : index
  %sum = linalg.generic {indexing_maps = [#all, #chan], iterator_types = ["reduction", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<?x4x3x3xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %a = arith.addf %v, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %n = tensor.dim %x, %c0 : tensor<?x4x3x3xf32>
  %e = tensor.empty(%n) : tensor<?x4x3x3xf32>
  %pos = linalg.generic {indexing_maps = [#all, #all], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<?x4x3x3xf32>) outs(%e : tensor<?x4x3x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %m = arith.mulf %v, %f : f32
    linalg.yield %m : f32
  } -> tensor<?x4x3x3xf32>
  return %sum, %pos : tensor<4xf32>, tensor<?x4x3x3xf32>
}
