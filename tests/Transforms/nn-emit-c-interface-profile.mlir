// nn-emit-c-interface on a profiled build (nncc --profile): the module's
// nn.profile_regions becomes the object's table of nncc_profile_region
// (abi.h: entry, layer and op strings, fused as an i32, then FLOPs, bytes
// and fixed bytes as doubles), each distinct string one constant global, and
// `int32_t <prefix>_profile_regions(const nncc_profile_region **regions)`
// stores the table's address and returns its length.
// RUN: %nncc-opt %s --nn-emit-c-interface=prefix=mlp | FileCheck %s

// CHECK-DAG: llvm.mlir.global internal constant @mlp_profile_str0("train_step\00")
// CHECK-DAG: llvm.mlir.global internal constant @mlp_profile_str1("fc\00")
// CHECK-DAG: llvm.mlir.global internal constant @mlp_profile_str2("linear\00")
// CHECK-DAG: llvm.mlir.global internal constant @mlp_profile_str3("linear_grad_weight\00")
// CHECK-NOT: llvm.mlir.global internal constant @mlp_profile_str4
// CHECK-LABEL: llvm.mlir.global internal constant @mlp_profile_table() {{.*}} : !llvm.array<2 x struct<(ptr, ptr, ptr, i32, f64, f64, f64)>> {
// CHECK: llvm.mlir.addressof @mlp_profile_str0
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 0]
// CHECK: llvm.mlir.addressof @mlp_profile_str1
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 1]
// CHECK: llvm.mlir.addressof @mlp_profile_str2
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 2]
// CHECK: llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 3]
// CHECK: llvm.mlir.constant(8.000000e+01 : f64) : f64
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 4]
// CHECK: llvm.mlir.constant(5.600000e+01 : f64) : f64
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 5]
// CHECK: llvm.mlir.constant(2.000000e+02 : f64) : f64
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[0, 6]
// The second region reuses the entry and layer strings; it is fused.
// CHECK: llvm.mlir.addressof @mlp_profile_str0
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[1, 0]
// CHECK: llvm.mlir.addressof @mlp_profile_str1
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[1, 1]
// CHECK: llvm.mlir.addressof @mlp_profile_str3
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[1, 2]
// CHECK: llvm.mlir.constant(1 : i32) : i32
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[1, 3]
// CHECK: llvm.return
// CHECK-LABEL: func.func @mlp_profile_regions
// CHECK-SAME: (%[[OUT:[^:]+]]: !llvm.ptr {nn.c_name = "regions"}) -> i32
// CHECK-NEXT: %[[TABLE:.+]] = llvm.mlir.addressof @mlp_profile_table : !llvm.ptr
// CHECK-NEXT: llvm.store %[[TABLE]], %[[OUT]] : !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[COUNT:.+]] = arith.constant 2 : i32
// CHECK-NEXT: return %[[COUNT]] : i32

module attributes {nn.profile_regions = [
    {entry = "train_step", layer = "fc", op = "linear", fused = false,
     flops = 80 : i64, bytes = 56 : i64, fixed_bytes = 200 : i64},
    {entry = "train_step", layer = "fc", op = "linear_grad_weight", fused = true,
     flops = 80 : i64, bytes = 56 : i64, fixed_bytes = 160 : i64}]} {
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
}
