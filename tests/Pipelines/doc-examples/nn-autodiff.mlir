// Input of the nn-autodiff example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @train_step(%w: tensor<3x4xf32> {nn.param = "fc.weight"},
                      %b: tensor<3xf32> {nn.param = "fc.bias"},
                      %x: tensor<?x4xf32> {nn.input = "x"},
                      %y: tensor<?xi64> {nn.input = "y"})
    -> (tensor<?x3xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"})
    attributes {nn.differentiate} {
  %logits = nn.linear %x, %w, %b : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<?x3xf32>, tensor<?xi64>
  return %logits, %loss : tensor<?x3xf32>, tensor<f32>
}
