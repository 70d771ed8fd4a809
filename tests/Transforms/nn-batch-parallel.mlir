// nn-batch-parallel (BatchParallel.cpp): a linalg op on tensors, outside any
// loop, whose first loop is parallel over the dynamic batch (or a matmul with
// a dynamic or static M of at least 48 rows) becomes an scf.forall over
// chunks: chunk = ceil(N / 32) rounded up to a multiple of 1 (24 rows for a
// matmul, whole register tiles), at least 1 (an empty batch has no chunks),
// count = ceil(N / chunk); iteration i takes
// rows [i * chunk, i * chunk + min(chunk, N - i * chunk)) of every operand
// indexed by the batch, the other operands whole, and writes its rows of the
// shared output with tensor.parallel_insert_slice. Ops that reduce over the
// batch, ops already in a loop and small static matmuls are left alone.
// cse merges the pass's repeated constants and tensor.dim ops. The order of
// ops built as arguments of one call depends on the C++ compiler, hence the
// CHECK-DAGs.
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-batch-parallel,cse))' | FileCheck %s

// An elementwise op with a per-channel operand: x is sliced, the bias is
// passed whole.

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.+]]: tensor<?x16xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %[[C0]] : tensor<?x16xf32>
// CHECK: %[[INIT:.+]] = tensor.empty(%[[N]]) : tensor<?x16xf32>
// ceil(N / 32), then rounded up to a multiple of 1: (c + 0) / 1 * 1.
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C31:.+]] = arith.constant 31 : index
// CHECK-DAG: %[[T:.+]] = arith.addi %[[N]], %[[C31]] : index
// CHECK: %[[CEIL:.+]] = arith.divui %[[T]], %[[C32]] : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[UP:.+]] = arith.addi %[[CEIL]], %[[C0]] : index
// CHECK: %[[Q:.+]] = arith.divui %[[UP]], %[[C1]] : index
// CHECK: %[[ROUNDED:.+]] = arith.muli %[[Q]], %[[C1]] : index
// CHECK: %[[CHUNK:.+]] = arith.maxui %[[ROUNDED]], %[[C1]] : index
// The number of chunks: ceil(N / chunk).
// CHECK: %[[T2:.+]] = arith.addi %[[N]], %[[CHUNK]] : index
// CHECK: %[[T3:.+]] = arith.subi %[[T2]], %[[C1]] : index
// CHECK: %[[COUNT:.+]] = arith.divui %[[T3]], %[[CHUNK]] : index
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%[[COUNT]]) shared_outs(%[[OUT:[^ ]+]] = %[[INIT]]) -> (tensor<?x16xf32>) {
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %[[CHUNK]] : index
// CHECK: %[[LEFT:.+]] = arith.subi %[[N]], %[[OFF]] : index
// CHECK: %[[SIZE:.+]] = arith.minui %[[CHUNK]], %[[LEFT]] : index
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%[[OFF]], 0] [%[[SIZE]], 16] [1, 1] : tensor<?x16xf32> to tensor<?x16xf32>
// CHECK: %[[OUTS:.+]] = tensor.extract_slice %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 16] [1, 1] : tensor<?x16xf32> to tensor<?x16xf32>
// CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[XS]], %[[B]] : tensor<?x16xf32>, tensor<16xf32>) outs(%[[OUTS]] : tensor<?x16xf32>)
// CHECK: arith.addf
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[R]] into %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 16] [1, 1] : tensor<?x16xf32> into tensor<?x16xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[Y]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#chan = affine_map<(d0, d1) -> (d1)>
func.func @elementwise(%x: tensor<?x16xf32>, %b: tensor<16xf32>) -> tensor<?x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%n) : tensor<?x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<?x16xf32>, tensor<16xf32>) outs(%e : tensor<?x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// A matmul over a dynamic batch: ceil(N / 32) is rounded up to a multiple
// of 24 rows; the weight is passed whole.

// CHECK-LABEL: func.func @matmul_dynamic
// CHECK-SAME: (%[[X:.+]]: tensor<?x64xf32>, %[[W:.+]]: tensor<64x32xf32>, %[[INIT:.+]]: tensor<?x32xf32>)
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x64xf32>
// CHECK: %[[CEIL:.+]] = arith.divui %{{.+}}, %{{.+}} : index
// CHECK-DAG: %[[C24:.+]] = arith.constant 24 : index
// CHECK-DAG: %[[C23:.+]] = arith.constant 23 : index
// CHECK-DAG: %[[UP:.+]] = arith.addi %[[CEIL]], %[[C23]] : index
// CHECK: %[[Q:.+]] = arith.divui %[[UP]], %[[C24]] : index
// CHECK: %[[ROUNDED:.+]] = arith.muli %[[Q]], %[[C24]] : index
// CHECK: %[[CHUNK:.+]] = arith.maxui %[[ROUNDED]], %{{.+}} : index
// CHECK: %[[COUNT:.+]] = arith.divui %{{.+}}, %[[CHUNK]] : index
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%[[COUNT]]) shared_outs(%[[OUT:[^ ]+]] = %[[INIT]]) -> (tensor<?x32xf32>) {
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %[[CHUNK]] : index
// CHECK: %[[SIZE:.+]] = arith.minui %[[CHUNK]], %{{.+}} : index
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%[[OFF]], 0] [%[[SIZE]], 64] [1, 1] : tensor<?x64xf32> to tensor<?x64xf32>
// CHECK: %[[OUTS:.+]] = tensor.extract_slice %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 32] [1, 1] : tensor<?x32xf32> to tensor<?x32xf32>
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[XS]], %[[W]] : tensor<?x64xf32>, tensor<64x32xf32>) outs(%[[OUTS]] : tensor<?x32xf32>)
// CHECK: tensor.parallel_insert_slice %[[R]] into %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 32] [1, 1] : tensor<?x32xf32> into tensor<?x32xf32>
// CHECK: return %[[Y]]
func.func @matmul_dynamic(%x: tensor<?x64xf32>, %w: tensor<64x32xf32>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>)
                     outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

// A Linear weight gradient dW = dy^T x has a static M (256 output features)
// and the batch as K: it is chunked over its 256 rows, again in multiples of
// 24 (x, indexed by K, is passed whole); a matmul of 10 rows stays whole.

// CHECK-LABEL: func.func @matmul_static
// CHECK-SAME: (%[[DYT:.+]]: tensor<256x?xf32>, %[[X:.+]]: tensor<?x64xf32>, %[[INIT:.+]]: tensor<256x64xf32>, %[[A:.+]]: tensor<10x?xf32>, %[[INIT2:.+]]: tensor<10x64xf32>)
// CHECK: tensor.dim %[[DYT]], %{{.+}} : tensor<256x?xf32>
// CHECK: %[[C24:.+]] = arith.constant 24 : index
// CHECK: %[[ROUNDED:.+]] = arith.muli %{{.+}}, %[[C24]] : index
// CHECK: %[[CHUNK:.+]] = arith.maxui %[[ROUNDED]], %{{.+}} : index
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%{{.+}}) shared_outs(%[[OUT:[^ ]+]] = %[[INIT]]) -> (tensor<256x64xf32>) {
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %[[CHUNK]] : index
// CHECK: %[[SIZE:.+]] = arith.minui %[[CHUNK]], %{{.+}} : index
// CHECK: %[[K:.+]] = tensor.dim %[[DYT]], %{{.+}} : tensor<256x?xf32>
// CHECK: %[[AS:.+]] = tensor.extract_slice %[[DYT]][%[[OFF]], 0] [%[[SIZE]], %[[K]]] [1, 1] : tensor<256x?xf32> to tensor<?x?xf32>
// CHECK: %[[OUTS:.+]] = tensor.extract_slice %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 64] [1, 1] : tensor<256x64xf32> to tensor<?x64xf32>
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[AS]], %[[X]] : tensor<?x?xf32>, tensor<?x64xf32>) outs(%[[OUTS]] : tensor<?x64xf32>)
// CHECK: tensor.parallel_insert_slice %[[R]] into %[[OUT]][%[[OFF]], 0] [%[[SIZE]], 64] [1, 1] : tensor<?x64xf32> into tensor<256x64xf32>
// CHECK: %[[SMALL:.+]] = linalg.matmul ins(%[[A]], %[[X]] : tensor<10x?xf32>, tensor<?x64xf32>) outs(%[[INIT2]] : tensor<10x64xf32>)
// CHECK-NEXT: return %[[Y]], %[[SMALL]]
func.func @matmul_static(%dyt: tensor<256x?xf32>, %x: tensor<?x64xf32>, %init: tensor<256x64xf32>,
                         %a: tensor<10x?xf32>, %init2: tensor<10x64xf32>) -> (tensor<256x64xf32>, tensor<10x64xf32>) {
  %0 = linalg.matmul ins(%dyt, %x : tensor<256x?xf32>, tensor<?x64xf32>)
                     outs(%init : tensor<256x64xf32>) -> tensor<256x64xf32>
  %1 = linalg.matmul ins(%a, %x : tensor<10x?xf32>, tensor<?x64xf32>)
                     outs(%init2 : tensor<10x64xf32>) -> tensor<10x64xf32>
  return %0, %1 : tensor<256x64xf32>, tensor<10x64xf32>
}

// -----

// A sum over the batch (dim 0 a reduction) is left alone: chunks would have
// to be added.

// CHECK-LABEL: func.func @reduce_batch
// CHECK-NOT: scf.forall
// CHECK: linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%{{.+}} : tensor<?x16xf32>)
// CHECK-NOT: scf.forall
#id = affine_map<(d0, d1) -> (d0, d1)>
#chan = affine_map<(d0, d1) -> (d1)>
func.func @reduce_batch(%x: tensor<?x16xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #chan], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<?x16xf32>) outs(%init : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// Ops already inside a loop (an scf.for, or the forall of a lowering such
// as the convolution's images) are left alone: no forall is added.

// CHECK-LABEL: func.func @in_loops
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x16xf32>
// CHECK-NOT: tensor.extract_slice
// CHECK: scf.for %
// CHECK-NEXT: linalg.generic {{.+}} ins(%[[X]] : tensor<?x16xf32>)
// CHECK: scf.forall (
// CHECK-NEXT: linalg.generic {{.+}} ins(%[[X]] : tensor<?x16xf32>)
// CHECK-NOT: scf.forall (
// CHECK-NOT: tensor.extract_slice
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @in_loops(%x: tensor<?x16xf32>, %init: tensor<?x16xf32>, %lb: index, %ub: index)
    -> (tensor<?x16xf32>, tensor<?x16xf32>) {
  %c1 = arith.constant 1 : index
  %0 = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %init) -> (tensor<?x16xf32>) {
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<?x16xf32>) outs(%acc : tensor<?x16xf32>) {
    ^bb0(%a: f32, %o: f32):
      %s = arith.addf %a, %o : f32
      linalg.yield %s : f32
    } -> tensor<?x16xf32>
    scf.yield %r : tensor<?x16xf32>
  }
  %1 = scf.forall (%i) in (4) shared_outs(%out = %init) -> (tensor<?x16xf32>) {
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<?x16xf32>) outs(%out : tensor<?x16xf32>) {
    ^bb0(%a: f32, %o: f32):
      linalg.yield %a : f32
    } -> tensor<?x16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %out[0, 0] [%lb, 16] [1, 1] : tensor<?x16xf32> into tensor<?x16xf32>
    }
  }
  return %0, %1 : tensor<?x16xf32>, tensor<?x16xf32>
}

// -----

// linalg.index 0 counts the chunk's rows: the chunk's offset is added back
// so the op still sees batch positions (dropout hashes them); other
// dimensions' indices are unchanged.

// CHECK-LABEL: func.func @index
// CHECK: scf.forall (%[[I:[^)]+]]) in
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %{{.+}} : index
// CHECK: linalg.generic
// CHECK: %[[ROW:.+]] = linalg.index 0 : index
// CHECK-NEXT: %[[BATCHROW:.+]] = arith.addi %[[ROW]], %[[OFF]] : index
// CHECK-NEXT: %[[COL:.+]] = linalg.index 1 : index
// CHECK-NEXT: arith.addi %[[BATCHROW]], %[[COL]] : index
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @index(%x: tensor<?x16xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x16xf32>) outs(%init : tensor<?x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = arith.addi %i, %j : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %s = arith.mulf %a, %kf : f32
    linalg.yield %s : f32
  } -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// A tensor.pad of the image planes (none of the batch) becomes a forall of
// pads of chunks of the batch, inserted into a tensor.empty of the result.

// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x4x4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x4x4xf32>
// CHECK: %[[INIT:.+]] = tensor.empty(%[[N]]) : tensor<?x3x6x6xf32>
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%{{.+}}) shared_outs(%[[OUT:[^ ]+]] = %[[INIT]]) -> (tensor<?x3x6x6xf32>) {
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %{{.+}} : index
// CHECK: %[[SIZE:.+]] = arith.minui
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%[[OFF]], 0, 0, 0] [%[[SIZE]], 3, 4, 4] [1, 1, 1, 1] : tensor<?x3x4x4xf32> to tensor<?x3x4x4xf32>
// CHECK: %[[P:.+]] = tensor.pad %[[XS]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<?x3x4x4xf32> to tensor<?x3x6x6xf32>
// CHECK: tensor.parallel_insert_slice %[[P]] into %[[OUT]][%[[OFF]], 0, 0, 0] [%[[SIZE]], 3, 6, 6] [1, 1, 1, 1] : tensor<?x3x6x6xf32> into tensor<?x3x6x6xf32>
// CHECK: return %[[Y]]
func.func @pad(%x: tensor<?x3x4x4xf32>) -> tensor<?x3x6x6xf32> {
  %cst = arith.constant 0.0 : f32
  %0 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<?x3x4x4xf32> to tensor<?x3x6x6xf32>
  return %0 : tensor<?x3x6x6xf32>
}
