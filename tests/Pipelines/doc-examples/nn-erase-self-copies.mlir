// Input of the nn-erase-self-copies example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @chunk(%y: memref<?x8xf32>, %row: index) {
  %slice = memref.subview %y[%row, 0] [4, 8] [1, 1] : memref<?x8xf32> to memref<4x8xf32, strided<[8, 1], offset: ?>>
  linalg.copy ins(%slice : memref<4x8xf32, strided<[8, 1], offset: ?>>) outs(%slice : memref<4x8xf32, strided<[8, 1], offset: ?>>)
  return
}
