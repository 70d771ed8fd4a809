// Input of the nn-expose-abi example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
// (nn-to-linalg.mlir after --nn-to-linalg --canonicalize --cse)
#map = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @predict(%arg0: tensor<3x4xf32> {nn.param = "fc.weight"},
      %arg1: tensor<3xf32> {nn.param = "fc.bias"},
      %arg2: tensor<?x4xf32> {nn.input = "x"})
      -> (tensor<?x3xf32> {nn.output = "logits"}) {
    %cst = arith.constant 0.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %arg2, %c0 : tensor<?x4xf32>
    %0 = tensor.empty(%dim) : tensor<?x3xf32>
    %broadcasted = linalg.broadcast ins(%arg1 : tensor<3xf32>) outs(%0 : tensor<?x3xf32>) dimensions = [0]
    %1 = tensor.empty() : tensor<4x3xf32>
    %transposed = linalg.transpose ins(%arg0 : tensor<3x4xf32>) outs(%1 : tensor<4x3xf32>) permutation = [1, 0]
    %2 = linalg.matmul ins(%arg2, %transposed : tensor<?x4xf32>, tensor<4x3xf32>) outs(%broadcasted : tensor<?x3xf32>) -> tensor<?x3xf32>
    %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%2 : tensor<?x3xf32>) outs(%0 : tensor<?x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.maximumf %in, %cst : f32
      linalg.yield %4 : f32
    } -> tensor<?x3xf32>
    return %3 : tensor<?x3xf32>
  }
}

