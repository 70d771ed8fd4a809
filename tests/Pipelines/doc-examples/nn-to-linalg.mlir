// Input of the nn-to-linalg example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @predict(%w: tensor<3x4xf32> {nn.param = "fc.weight"}, %b: tensor<3xf32> {nn.param = "fc.bias"},
                   %x: tensor<?x4xf32> {nn.input = "x"}) -> (tensor<?x3xf32> {nn.output = "logits"}) {
  %0 = nn.linear %x, %w, %b : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
  %1 = nn.relu %0 : tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}
