// RUN: %nncc-opt %s --split-input-file --nn-plan-memory --verify-diagnostics | FileCheck %s

// %a dies before %c is allocated, so they share slot 0 (sized for the larger);
// %b overlaps both and gets slot 1. Sizes are 64-byte aligned multiples of the
// batch, and @share_workspace_size repeats the arithmetic from its argument.

// CHECK-LABEL: func.func @share
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x64xf32>, %[[OUT:[^:]+]]: memref<?x64xf32>, %[[WS:[^:]+]]: memref<?xi8> {nn.workspace})
// CHECK: %[[N:.+]] = memref.dim %[[X]]
// CHECK: %[[ROW:.+]] = arith.constant 256 : index
// CHECK: arith.muli %[[ROW]], %[[N]] : index
// CHECK: arith.constant -64 : index
// CHECK: %[[SLOT0:.+]] = arith.maxui
// CHECK: %[[OFF1:.+]] = arith.addi %[[OFF0:.+]], %[[SLOT0]] : index
// CHECK: %[[A:.+]] = memref.view %[[WS]][%[[OFF0]]][%{{.+}}] : memref<?xi8> to memref<?x64xf32>
// CHECK: memref.copy %[[X]], %[[A]]
// CHECK: %[[B:.+]] = memref.view %[[WS]][%[[OFF1]]][%{{.+}}] : memref<?xi8> to memref<?x64xf32>
// CHECK: memref.copy %[[A]], %[[B]]
// CHECK: memref.view %[[WS]][%[[OFF0]]][] : memref<?xi8> to memref<64x64xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return

// CHECK-LABEL: func.func private @share_workspace_size
// CHECK-SAME: (%[[BATCH:[^:]+]]: index, %{{[^:]+}}: index) -> index
// CHECK: arith.muli %{{.+}}, %[[BATCH]] : index
// CHECK: arith.constant 16384 : index
// CHECK: %[[S0:.+]] = arith.maxui
// CHECK: %[[O1:.+]] = arith.addi %{{.+}}, %[[S0]] : index
// CHECK: %[[TOTAL:.+]] = arith.addi %[[O1]], %{{.+}} : index
// CHECK: return %[[TOTAL]] : index
func.func @share(%x: memref<?x64xf32>, %out: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  %a = memref.alloc(%n) {alignment = 64 : i64} : memref<?x64xf32>
  memref.copy %x, %a : memref<?x64xf32> to memref<?x64xf32>
  %b = memref.alloc(%n) {alignment = 64 : i64} : memref<?x64xf32>
  memref.copy %a, %b : memref<?x64xf32> to memref<?x64xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<64x64xf32>
  memref.copy %b, %out : memref<?x64xf32> to memref<?x64xf32>
  memref.dealloc %c : memref<64x64xf32>
  return
}

// -----

// A buffer lives as long as its views: %a is read through %sa after %b is
// allocated, so %b must not reuse %a's slot.

// CHECK-LABEL: func.func @alias
// CHECK-SAME: %[[WS:[^:]+]]: memref<?xi8> {nn.workspace})
// CHECK-COUNT-2: arith.andi
// CHECK: %[[OFF1:.+]] = arith.addi %[[OFF0:.+]], %{{.+}} : index
// CHECK: %[[A:.+]] = memref.view %[[WS]][%[[OFF0]]]
// CHECK: memref.subview %[[A]]
// CHECK: memref.view %[[WS]][%[[OFF1]]]
func.func @alias(%x: memref<?x64xf32>, %out: memref<?x32xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  %a = memref.alloc(%n) : memref<?x64xf32>
  %sa = memref.subview %a[0, 0] [%n, 32] [1, 1] : memref<?x64xf32> to memref<?x32xf32, strided<[64, 1]>>
  %b = memref.alloc(%n) : memref<?x64xf32>
  memref.copy %x, %b : memref<?x64xf32> to memref<?x64xf32>
  memref.copy %sa, %out : memref<?x32xf32, strided<[64, 1]>> to memref<?x32xf32>
  return
}

// -----

// Per-worker scratch (nn-parallel-loops) is sized by the `nn.threads`
// argument; @<f>_workspace_size repeats the arithmetic from its second one.

// CHECK-LABEL: func.func @scratch
// CHECK-SAME: (%{{[^:]+}}: memref<?x64xf32>, %[[T:[^:]+]]: index {nn.threads}, %[[WS:[^:]+]]: memref<?xi8> {nn.workspace})
// CHECK: arith.muli %[[T]], %{{.+}} : index
// CHECK: %[[BYTES:.+]] = arith.muli %[[T]], %{{.+}} : index
// CHECK-NEXT: memref.view %[[WS]][%{{.+}}][%[[BYTES]]] : memref<?xi8> to memref<?xi8>
// CHECK-LABEL: func.func private @scratch_workspace_size
// CHECK-SAME: (%{{[^:]+}}: index, %[[THREADS:[^:]+]]: index) -> index
// CHECK: arith.muli %[[THREADS]], %{{.+}} : index
func.func @scratch(%x: memref<?x64xf32>, %threads: index {nn.threads}) {
  %c4096 = arith.constant 4096 : index
  %bytes = arith.muli %threads, %c4096 : index
  %s = memref.alloc(%bytes) : memref<?xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : i8
  memref.store %c1, %s[%c0] : memref<?xi8>
  return
}

// -----

// expected-error @+1 {{a buffer size does not depend only on the batch size}}
func.func @not_batch(%x: memref<?x64xf32>, %k: index) {
  %a = memref.alloc(%k) : memref<?xf32>
  return
}

// -----

func.func @in_loop(%x: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @+1 {{buffer allocated inside a loop}}
    %a = memref.alloc() : memref<16xf32>
  }
  return
}
