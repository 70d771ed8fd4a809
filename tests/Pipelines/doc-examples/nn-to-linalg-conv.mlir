// Input of the nn-to-linalg (convolution) example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @conv(%x: tensor<?x1x4x4xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x4x4xf32> {
  %y = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
       : tensor<?x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>
  return %y : tensor<?x2x4x4xf32>
}
