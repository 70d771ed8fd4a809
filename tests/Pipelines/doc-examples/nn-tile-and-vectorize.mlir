// Input of the nn-tile-and-vectorize example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @fc(%x: tensor<?x4xf32>, %wt: tensor<4x3xf32>, %acc: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = linalg.matmul ins(%x, %wt : tensor<?x4xf32>, tensor<4x3xf32>)
                     outs(%acc : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
