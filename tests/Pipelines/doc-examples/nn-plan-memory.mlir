// Input of the nn-plan-memory example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
// (bufferize.mlir after the bufferization steps and --canonicalize --cse)
#map = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @predict(%arg0: memref<3x4xf32> {nn.param = "fc.weight"},
      %arg1: memref<3xf32> {nn.param = "fc.bias"},
      %arg2: memref<?x4xf32> {nn.input = "x"},
      %arg3: memref<?x3xf32> {nn.output = "logits"}) {
    %cst = arith.constant 0.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %dim = memref.dim %arg2, %c0 : memref<?x4xf32>
    %alloc = memref.alloc(%dim) {alignment = 64 : i64} : memref<?x3xf32>
    linalg.broadcast ins(%arg1 : memref<3xf32>) outs(%alloc : memref<?x3xf32>) dimensions = [0]
    %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<4x3xf32>
    linalg.transpose ins(%arg0 : memref<3x4xf32>) outs(%alloc_0 : memref<4x3xf32>) permutation = [1, 0]
    linalg.matmul ins(%arg2, %alloc_0 : memref<?x4xf32>, memref<4x3xf32>) outs(%alloc : memref<?x3xf32>)
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%alloc : memref<?x3xf32>) outs(%arg3 : memref<?x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %0 = arith.maximumf %in, %cst : f32
      linalg.yield %0 : f32
    }
    return
  }
}

