// Input of the nn-emit-c-interface example in docs/compiler.md; tests/Pipelines/compiler-doc.test
// checks that the doc shows this file and what the tools print for it.
func.func @train_step(%w: memref<3x4xf32> {nn.param = "fc.weight"}, %b: memref<3xf32> {nn.param = "fc.bias"},
                      %x: memref<?x4xf32> {nn.input = "x"}, %y: memref<?xi64> {nn.input = "y"},
                      %logits: memref<?x3xf32> {nn.output = "logits"}, %loss: memref<f32> {nn.output = "loss"},
                      %dw: memref<3x4xf32> {nn.grad = "fc.weight"}, %db: memref<3xf32> {nn.grad = "fc.bias"},
                      %exec: !llvm.ptr {nn.exec}, %threads: index {nn.threads},
                      %ws: memref<?xi8> {nn.workspace}) {
  return
}
func.func private @train_step_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
func.func @eval_step(%w: memref<3x4xf32> {nn.param = "fc.weight"}, %b: memref<3xf32> {nn.param = "fc.bias"},
                     %x: memref<?x4xf32> {nn.input = "x"}, %y: memref<?xi64> {nn.input = "y"},
                     %logits: memref<?x3xf32> {nn.output = "logits"}, %loss: memref<f32> {nn.output = "loss"},
                     %exec: !llvm.ptr {nn.exec}, %threads: index {nn.threads},
                     %ws: memref<?xi8> {nn.workspace}) {
  return
}
func.func private @eval_step_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
func.func @predict(%w: memref<3x4xf32> {nn.param = "fc.weight"}, %b: memref<3xf32> {nn.param = "fc.bias"},
                   %x: memref<?x4xf32> {nn.input = "x"}, %logits: memref<?x3xf32> {nn.output = "logits"},
                   %exec: !llvm.ptr {nn.exec}, %threads: index {nn.threads},
                   %ws: memref<?xi8> {nn.workspace}) {
  return
}
func.func private @predict_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
