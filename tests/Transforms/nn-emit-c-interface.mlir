// RUN: %nncc-opt %s --nn-emit-c-interface=prefix=mlp | FileCheck %s

// The memref functions become private; public wrappers take plain pointers in
// the header's order (loss before logits), slice the flat parameter and
// gradient arrays at the tensor table's offsets (fc.weight: 40 floats, so
// fc.bias starts at the next multiple of 16, 48) and ask @<f>_workspace_size
// for the workspace descriptor; train_step also takes the dropout seed. Every
// entry point takes the execution context after the workspace; its thread
// count (1 without one) sizes the workspace and is passed, with the context,
// to the memref functions that run parallel loops (nn.exec, nn.threads).

// CHECK-LABEL: func.func private @train_step(
// CHECK-LABEL: func.func private @eval_step(
// CHECK-LABEL: func.func private @predict(

// CHECK-LABEL: func.func @mlp_train_step
// CHECK-SAME: (%[[PARAMS:[^:]+]]: !llvm.ptr {nn.c_name = "params"}, %[[GRADS:[^:]+]]: !llvm.ptr {nn.c_name = "grads"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "buffers"}
// CHECK-SAME: %[[IMAGE:[^:]+]]: !llvm.ptr {nn.c_name = "image"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "label"}, %[[BATCH:[^:]+]]: i64 {nn.c_name = "batch"}
// CHECK-SAME: %{{[^:]+}}: i64 {nn.c_name = "seed"}
// CHECK-SAME: %{{[^:]+}}: !llvm.ptr {nn.c_name = "workspace"}, %[[EXEC:[^:]+]]: !llvm.ptr {nn.c_name = "exec"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "loss"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "logits"})
// CHECK: %[[N:.+]] = arith.index_cast %[[BATCH]] : i64 to index
// No context: one thread; else the context's count (at least 1).
// CHECK: %[[NULL:.+]] = llvm.icmp "eq" %[[EXEC]], %{{.+}} : !llvm.ptr
// CHECK: %[[COUNT:.+]] = scf.if %[[NULL]] -> (i32)
// CHECK: llvm.getelementptr %[[EXEC]][0, 2] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr, i32, ptr, ptr)>
// CHECK: arith.maxsi
// CHECK: %[[THREADS:.+]] = arith.index_cast %[[COUNT]] : i32 to index
// CHECK: %[[BYTES:.+]] = call @train_step_workspace_size(%[[N]], %[[THREADS]]) : (index, index) -> index
// CHECK: llvm.insertvalue %[[PARAMS]], %{{.+}}[1]
// CHECK: %[[W:.+]] = builtin.unrealized_conversion_cast %{{.+}} to memref<10x4xf32>
// CHECK: %[[OFF:.+]] = llvm.mlir.constant(48 : i64) : i64
// CHECK: llvm.getelementptr %[[PARAMS]][%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: %[[B:.+]] = builtin.unrealized_conversion_cast %{{.+}} to memref<10xf32>
// The batch is the dynamic size of the image descriptor.
// CHECK: llvm.insertvalue %[[IMAGE]], %{{.+}}[1]
// CHECK: llvm.insertvalue %[[BATCH]], %{{.+}}[3, 0]
// CHECK: %[[X:.+]] = builtin.unrealized_conversion_cast %{{.+}} to memref<?x4xf32>
// CHECK: llvm.insertvalue %[[GRADS]], %{{.+}}[1]
// CHECK: llvm.getelementptr %[[GRADS]][%{{.+}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: %[[WS:.+]] = builtin.unrealized_conversion_cast %{{.+}} to memref<?xi8>
// CHECK: call @train_step(%[[W]], %[[B]], %[[X]], {{.+}}, %[[WS]], %[[EXEC]], %[[THREADS]])
// CHECK-NEXT: return

// CHECK-LABEL: func.func @mlp_eval_step
// CHECK-SAME: (%{{[^:]+}}: !llvm.ptr {nn.c_name = "params"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "buffers"}
// CHECK-NOT: "grads"
// CHECK: call @eval_step_workspace_size
// CHECK: call @eval_step(

// CHECK-LABEL: func.func @mlp_predict
// CHECK-SAME: {nn.c_name = "image"}, %{{[^:]+}}: i64 {nn.c_name = "batch"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "workspace"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "exec"}, %{{[^:]+}}: !llvm.ptr {nn.c_name = "logits"})
// A memref function without parallel loops gets neither.
// CHECK: call @predict({{.+}}) : (memref<10x4xf32>, memref<10xf32>, memref<?x4xf32>, memref<?x10xf32>, memref<?xi8>) -> ()

// The caller sizes one workspace for every entry point: the largest need
// (train_step's plan is followed by the staging area of running statistics,
// none here).
// CHECK-LABEL: func.func @mlp_workspace_size
// CHECK-SAME: (%[[B:.+]]: i64 {nn.c_name = "batch"}, %[[T32:.+]]: i32 {nn.c_name = "threads"}) -> i64
// CHECK: %[[N:.+]] = arith.index_cast %[[B]] : i64 to index
// CHECK: %[[ATLEAST1:.+]] = arith.maxsi %[[T32]], %{{.+}} : i32
// CHECK: %[[THREADS:.+]] = arith.index_cast %[[ATLEAST1]] : i32 to index
// CHECK: %[[T:.+]] = call @train_step_workspace_size(%[[N]], %[[THREADS]])
// CHECK: arith.andi
// CHECK: %[[TA:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[M1:.+]] = arith.maxui %{{.+}}, %[[TA]] : index
// CHECK: %[[E:.+]] = call @eval_step_workspace_size(%[[N]], %[[THREADS]])
// CHECK: %[[M2:.+]] = arith.maxui %[[M1]], %[[E]] : index
// CHECK: %[[P:.+]] = call @predict_workspace_size(%[[N]], %[[THREADS]])
// CHECK: %[[M3:.+]] = arith.maxui %[[M2]], %[[P]] : index
// CHECK: %[[R:.+]] = arith.index_cast %[[M3]] : index to i64
// CHECK: return %[[R]] : i64

func.func @train_step(%w: memref<10x4xf32> {nn.param = "fc.weight"}, %b: memref<10xf32> {nn.param = "fc.bias"},
                      %x: memref<?x4xf32> {nn.input = "image"}, %t: memref<?xi64> {nn.input = "label"},
                      %logits: memref<?x10xf32> {nn.output = "logits"}, %loss: memref<f32> {nn.output = "loss"},
                      %gw: memref<10x4xf32> {nn.grad = "fc.weight"}, %gb: memref<10xf32> {nn.grad = "fc.bias"},
                      %ws: memref<?xi8> {nn.workspace}, %exec: !llvm.ptr {nn.exec},
                      %threads: index {nn.threads}) {
  return
}
func.func private @train_step_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
func.func @eval_step(%w: memref<10x4xf32> {nn.param = "fc.weight"}, %b: memref<10xf32> {nn.param = "fc.bias"},
                     %x: memref<?x4xf32> {nn.input = "image"}, %t: memref<?xi64> {nn.input = "label"},
                     %logits: memref<?x10xf32> {nn.output = "logits"}, %loss: memref<f32> {nn.output = "loss"},
                     %ws: memref<?xi8> {nn.workspace}) {
  return
}
func.func private @eval_step_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
func.func @predict(%w: memref<10x4xf32> {nn.param = "fc.weight"}, %b: memref<10xf32> {nn.param = "fc.bias"},
                   %x: memref<?x4xf32> {nn.input = "image"}, %logits: memref<?x10xf32> {nn.output = "logits"},
                   %ws: memref<?xi8> {nn.workspace}) {
  return
}
func.func private @predict_workspace_size(%n: index, %t: index) -> index {
  return %n : index
}
