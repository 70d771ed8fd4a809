// nn-erase-self-copies (EraseSelfCopies.cpp): a linalg.copy whose source and
// destination are the same buffer (what bufferizing a parallel loop's
// tensor.parallel_insert_slice leaves once CSE has merged the two views)
// reads and writes a tensor for nothing and is erased. A copy between two
// views of one buffer that are different values, or between buffers, stays.
// RUN: %nncc-opt %s --pass-pipeline='builtin.module(func.func(nn-erase-self-copies))' | FileCheck %s

// CHECK-LABEL: func.func @self_copy
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x8xf32>, %[[Y:[^:]+]]: memref<?x8xf32>, %[[I:[^:]+]]: index)
// CHECK-NEXT: %[[V:.+]] = memref.subview %[[X]][%[[I]], 0]
// CHECK-NEXT: %[[W:.+]] = memref.subview %[[X]][0, 0]
// CHECK-NEXT: linalg.copy ins(%[[V]] : {{.+}}) outs(%[[W]] : {{.+}})
// CHECK-NEXT: linalg.copy ins(%[[X]] : memref<?x8xf32>) outs(%[[Y]] : memref<?x8xf32>)
// CHECK-NEXT: return
func.func @self_copy(%x: memref<?x8xf32>, %y: memref<?x8xf32>, %i: index) {
  %v = memref.subview %x[%i, 0] [4, 8] [1, 1] : memref<?x8xf32> to memref<4x8xf32, strided<[8, 1], offset: ?>>
  // The slice onto itself: erased.
  linalg.copy ins(%v : memref<4x8xf32, strided<[8, 1], offset: ?>>) outs(%v : memref<4x8xf32, strided<[8, 1], offset: ?>>)
  // Rows 0-3 onto rows i..i+3: a real copy.
  %w = memref.subview %x[0, 0] [4, 8] [1, 1] : memref<?x8xf32> to memref<4x8xf32, strided<[8, 1]>>
  linalg.copy ins(%v : memref<4x8xf32, strided<[8, 1], offset: ?>>) outs(%w : memref<4x8xf32, strided<[8, 1]>>)
  linalg.copy ins(%x : memref<?x8xf32>) outs(%y : memref<?x8xf32>)
  linalg.copy ins(%y : memref<?x8xf32>) outs(%y : memref<?x8xf32>)
  return
}
