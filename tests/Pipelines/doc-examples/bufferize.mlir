// Input of the bufferization example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
// (nn-expose-abi.mlir after --nn-expose-abi)
#map = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @predict(%arg0: memref<3x4xf32> {nn.param = "fc.weight"},
      %arg1: memref<3xf32> {nn.param = "fc.bias"},
      %arg2: memref<?x4xf32> {nn.input = "x"},
      %arg3: memref<?x3xf32> {nn.output = "logits"}) {
    %0 = bufferization.to_tensor %arg0 restrict : memref<3x4xf32>
    %1 = bufferization.to_tensor %arg1 restrict : memref<3xf32>
    %2 = bufferization.to_tensor %arg2 restrict : memref<?x4xf32>
    %cst = arith.constant 0.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %2, %c0 : tensor<?x4xf32>
    %3 = tensor.empty(%dim) : tensor<?x3xf32>
    %4 = tensor.empty(%dim) : tensor<?x3xf32>
    %broadcasted = linalg.broadcast ins(%1 : tensor<3xf32>) outs(%3 : tensor<?x3xf32>) dimensions = [0]
    %5 = tensor.empty() : tensor<4x3xf32>
    %transposed = linalg.transpose ins(%0 : tensor<3x4xf32>) outs(%5 : tensor<4x3xf32>) permutation = [1, 0]
    %6 = linalg.matmul ins(%2, %transposed : tensor<?x4xf32>, tensor<4x3xf32>) outs(%broadcasted : tensor<?x3xf32>) -> tensor<?x3xf32>
    %7 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%6 : tensor<?x3xf32>) outs(%4 : tensor<?x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %8 = arith.maximumf %in, %cst : f32
      linalg.yield %8 : f32
    } -> tensor<?x3xf32>
    bufferization.materialize_in_destination %7 in restrict writable %arg3 : (tensor<?x3xf32>, memref<?x3xf32>) -> ()
    return
  }
}

