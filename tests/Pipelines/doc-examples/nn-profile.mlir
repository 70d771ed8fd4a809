// Input of the nn-profile example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @predict(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %y = nn.linear %x, %w, %b : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32> loc("fc")
  %r = nn.relu %y : tensor<?x3xf32> loc("act")
  return %r : tensor<?x3xf32>
}
