// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-tile-and-vectorize))' | FileCheck %s
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-tile-and-vectorize{register-rows=2 register-cols=32}))' | FileCheck %s --check-prefix=OPT
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-tile-and-vectorize))' | FileCheck %s --check-prefix=NOMATMUL
// NOMATMUL-NOT: linalg.matmul
// An AVX2 target (8 lanes, 12 of its 16 registers for the tile): 3 x 32 tiles.
// RUN: %nncc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-tile-and-vectorize{vector-width=8 accumulators=12 register-cols=32}))' | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: func.func @dynamic_batch
// AVX2: vector.transfer_read {{.+}} : tensor<?x256xf32>, vector<3x32xf32>
// AVX2-COUNT-3: vector.fma {{.+}} : vector<32xf32>

// Dynamic batch, N = 256: 3 x 128 register tiles (3 rows x 8 vectors = 24
// accumulators). The batch loop is peeled: full tiles are vector FMAs with the
// accumulator carried through the K loop; the remainder rows are tiled by 1
// and vectorized as well. No matmul is left.

// CHECK-LABEL: func.func @dynamic_batch
// CHECK-SAME: (%[[X:.+]]: tensor<?x784xf32>, %[[W:.+]]: tensor<784x256xf32>, %[[INIT:.+]]: tensor<?x256xf32>)
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C128:.+]] = arith.constant 128 : index
// CHECK: %[[N:.+]] = tensor.dim %[[X]]
// CHECK: %[[FULL:.+]] = affine.apply #{{.+}}()[%[[N]]]
// Full tiles.
// CHECK: %[[MAIN:.+]] = scf.for %[[I:.+]] = %{{.+}} to %[[FULL]] step %[[C3]]
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %[[C128]]
// CHECK: %[[ACC0:.+]] = vector.transfer_read %{{.+}}[%[[I]], %[[J]]]{{.+}} : tensor<?x256xf32>, vector<3x128xf32>
// CHECK: %[[ACC:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[ACC0]]) -> (vector<3x128xf32>)
// CHECK-COUNT-3: vector.fma {{.+}} : vector<128xf32>
// CHECK: scf.yield %{{.+}} : vector<3x128xf32>
// CHECK: vector.transfer_write %[[ACC]]
// Remainder rows, one at a time.
// CHECK: scf.for %{{.+}} = %[[FULL]] to %[[N]] step %[[C3]] iter_args(%{{.+}} = %[[MAIN]])
// CHECK: tensor.extract_slice
// CHECK: scf.for
// CHECK: vector.transfer_read %[[X]]{{.+}} vector<1x1xf32>
// CHECK: vector.fma {{.+}} : vector<128xf32>
// CHECK: tensor.insert_slice
// CHECK-NOT: linalg.matmul
func.func @dynamic_batch(%x: tensor<?x784xf32>, %w: tensor<784x256xf32>, %init: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<?x784xf32>, tensor<784x256xf32>)
                     outs(%init : tensor<?x256xf32>) -> tensor<?x256xf32>
  return %0 : tensor<?x256xf32>
}

// -----

// Static M = 64, N = 10 (narrower than a register): the whole row is one
// tile; 6 rows up to 60, the last 4 rows peeled into a static 4 x 10 tile.

// CHECK-LABEL: func.func @static_narrow
// CHECK-DAG: %[[C6:.+]] = arith.constant 6 : index
// CHECK-DAG: %[[C60:.+]] = arith.constant 60 : index
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %[[C60]] step %[[C6]]
// CHECK: vector.transfer_read %{{.+}}[%[[I]], %{{.+}}]{{.+}} : tensor<64x10xf32>, vector<6x10xf32>
// CHECK: scf.for {{.+}} -> (vector<6x10xf32>)
// CHECK-COUNT-6: vector.fma {{.+}} : vector<10xf32>
// CHECK: vector.transfer_write {{.+}} : vector<6x10xf32>, tensor<64x10xf32>
// CHECK: vector.transfer_read %{{.+}}[%[[C60]], %{{.+}}]{{.+}} : tensor<64x10xf32>, vector<4x10xf32>
// CHECK: scf.for {{.+}} -> (vector<4x10xf32>)
// CHECK-COUNT-4: vector.fma {{.+}} : vector<10xf32>
// CHECK-NOT: linalg.matmul
func.func @static_narrow(%x: tensor<64x128xf32>, %w: tensor<128x10xf32>, %init: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<64x128xf32>, tensor<128x10xf32>)
                     outs(%init : tensor<64x10xf32>) -> tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// -----

// N = 200: columns are whole registers in powers of two (a loop-carried
// vector<72xf32> is rebuilt lane by lane by LLVM), the widest whose static
// remainder is a power of two too: 3 x 64 + 8.

// CHECK-LABEL: func.func @peeled_columns
// CHECK-DAG: %[[C192:.+]] = arith.constant 192 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK: scf.for
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C192]] step %[[C64]]
// CHECK: vector.fma {{.+}} : vector<64xf32>
// CHECK: vector.transfer_read %{{.+}}[%{{.+}}, %[[C192]]]{{.+}} : tensor<32x200xf32>, vector<6x8xf32>
// CHECK: vector.fma {{.+}} : vector<8xf32>
// CHECK-NOT: vector<{{[0-9]+}}x72xf32>
// CHECK-NOT: linalg.matmul
func.func @peeled_columns(%x: tensor<32x64xf32>, %w: tensor<64x200xf32>, %init: tensor<32x200xf32>) -> tensor<32x200xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<32x64xf32>, tensor<64x200xf32>)
                     outs(%init : tensor<32x200xf32>) -> tensor<32x200xf32>
  return %0 : tensor<32x200xf32>
}

// -----

// The options bound the tile: 2 rows x 32 columns (with the defaults, 6 x 64).

// CHECK-LABEL: func.func @options
// CHECK: vector.transfer_read {{.+}} : tensor<?x64xf32>, vector<6x64xf32>
// OPT-LABEL: func.func @options
// OPT: vector.transfer_read {{.+}} : tensor<?x64xf32>, vector<2x32xf32>
func.func @options(%x: tensor<?x16xf32>, %w: tensor<16x64xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x64xf32>)
                     outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
