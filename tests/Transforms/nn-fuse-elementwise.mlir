// nn-fuse-elementwise: an elementwise linalg.generic whose only user is an
// elementwise generic over the same space is computed inside it: one loop
// nest, no intermediate tensor. A producer read twice, or one that reduces,
// stays on its own.
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-fuse-elementwise))' | FileCheck %s

#all = affine_map<(n, c) -> (n, c)>
#chan = affine_map<(n, c) -> (c)>

// Batch norm's normalisation (per-channel scale and shift), then ReLU: one
// generic that scales, shifts and clamps each element.
// CHECK-LABEL: func.func @normalize_relu
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8xf32>, %[[S:[^:]+]]: tensor<8xf32>, %[[B:[^:]+]]: tensor<8xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[S]], %[[B]] : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @normalize_relu(%x: tensor<?x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %norm = linalg.generic {indexing_maps = [#all, #chan, #chan, #all], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s, %b : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<?x8xf32>) {
  ^bb0(%v: f32, %scale: f32, %shift: f32, %o: f32):
    %m = arith.mulf %v, %scale : f32
    %a = arith.addf %m, %shift : f32
    linalg.yield %a : f32
  } -> tensor<?x8xf32>
  %e2 = tensor.empty(%n) : tensor<?x8xf32>
  %relu = linalg.generic {indexing_maps = [#all, #all], iterator_types = ["parallel", "parallel"]}
      ins(%norm : tensor<?x8xf32>) outs(%e2 : tensor<?x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x8xf32>
  return %relu : tensor<?x8xf32>
}

// -----

#all = affine_map<(n, c) -> (n, c)>
#chan = affine_map<(n, c) -> (c)>

// The normalised tensor is also returned (the backward pass needs it): it is
// computed once, and ReLU stays a second generic.
// CHECK-LABEL: func.func @two_users
// CHECK-COUNT-2: linalg.generic
func.func @two_users(%x: tensor<?x8xf32>, %s: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %norm = linalg.generic {indexing_maps = [#all, #chan, #all], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<?x8xf32>, tensor<8xf32>) outs(%e : tensor<?x8xf32>) {
  ^bb0(%v: f32, %scale: f32, %o: f32):
    %m = arith.mulf %v, %scale : f32
    linalg.yield %m : f32
  } -> tensor<?x8xf32>
  %e2 = tensor.empty(%n) : tensor<?x8xf32>
  %relu = linalg.generic {indexing_maps = [#all, #all], iterator_types = ["parallel", "parallel"]}
      ins(%norm : tensor<?x8xf32>) outs(%e2 : tensor<?x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x8xf32>
  return %norm, %relu : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

#all = affine_map<(n, c) -> (n, c)>
#chan = affine_map<(n, c) -> (c)>

// A per-channel sum feeding an elementwise op: the sum must be complete
// before any element uses it, so it stays a reduction of its own.
// CHECK-LABEL: func.func @reduction_producer
// CHECK: linalg.generic {{.+}}iterator_types = ["reduction", "parallel"]
// CHECK: linalg.generic {{.+}}iterator_types = ["parallel", "parallel"]
func.func @reduction_producer(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32>
  %sum = linalg.generic {indexing_maps = [#all, #chan], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<?x8xf32>) outs(%f : tensor<8xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %a = arith.addf %acc, %v : f32
    linalg.yield %a : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty(%n) : tensor<?x8xf32>
  %centered = linalg.generic {indexing_maps = [#all, #chan, #all], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum : tensor<?x8xf32>, tensor<8xf32>) outs(%e2 : tensor<?x8xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %d = arith.subf %v, %s : f32
    linalg.yield %d : f32
  } -> tensor<?x8xf32>
  return %centered : tensor<?x8xf32>
}
