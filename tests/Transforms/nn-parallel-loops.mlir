// nn-parallel-loops (ParallelLoops.cpp) on bufferized IR: each outermost
// scf.forall becomes a task @<f>_par<k>(closure, i64 index, i32 worker)
// marked nn.task, which loads what the body uses from outside from the
// closure struct (memref descriptors cast back to memrefs, index values as
// i64) and clones the constants. At the loop's place the closure (an
// llvm.alloca at the function's entry) is filled in, then with exec == null
// an scf.for calls the task with worker 0, else exec->parallel_for (field 0
// of nncc_exec, abi.h) is called with (exec, task, closure, n). Buffers of
// the body become views into a per-worker scratch buffer of threads x
// bytes. The function gains %exec {nn.exec} and %threads {nn.threads}.
// The order of ops built as arguments of one call depends on the C++
// compiler, hence the CHECK-DAGs.
// RUN: %nncc-opt %s --split-input-file --nn-parallel-loops | FileCheck %s

// The body reads x, the index col, the scalar scale and writes y: four
// closure fields in order of first use; the constant 2.0 is cloned into the
// task, not captured.

// CHECK-LABEL: func.func private @simple_par0
// CHECK-SAME: (%[[CL:[^:]+]]: !llvm.ptr, %[[IDX:[^:]+]]: i64, %[[WORKER:[^:]+]]: i32) attributes {nn.task} {
// CHECK-NEXT: %[[TWO:.+]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[P0:.+]] = llvm.getelementptr %[[CL]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, i64, f32, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>)>
// CHECK-NEXT: %[[XF:.+]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK-NEXT: %[[XM:.+]] = builtin.unrealized_conversion_cast %[[XF]] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<?x16xf32>
// CHECK-NEXT: %[[P1:.+]] = llvm.getelementptr %[[CL]][0, 1]
// CHECK-NEXT: %[[COL64:.+]] = llvm.load %[[P1]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[COL:.+]] = arith.index_cast %[[COL64]] : i64 to index
// CHECK-NEXT: %[[P2:.+]] = llvm.getelementptr %[[CL]][0, 2]
// CHECK-NEXT: %[[SCALE:.+]] = llvm.load %[[P2]] : !llvm.ptr -> f32
// CHECK-NEXT: %[[P3:.+]] = llvm.getelementptr %[[CL]][0, 3]
// CHECK-NEXT: %[[YF:.+]] = llvm.load %[[P3]]
// CHECK-NEXT: %[[YM:.+]] = builtin.unrealized_conversion_cast %[[YF]] : {{.+}} to memref<?x16xf32>
// CHECK-NEXT: %[[I:.+]] = arith.index_cast %[[IDX]] : i64 to index
// CHECK-NEXT: %[[V:.+]] = memref.load %[[XM]][%[[I]], %[[COL]]] : memref<?x16xf32>
// CHECK-NEXT: %[[M:.+]] = arith.mulf %[[V]], %[[SCALE]] : f32
// CHECK-NEXT: %[[A:.+]] = arith.addf %[[M]], %[[TWO]] : f32
// CHECK-NEXT: memref.store %[[A]], %[[YM]][%[[I]], %[[COL]]] : memref<?x16xf32>
// CHECK-NEXT: return

// CHECK-LABEL: func.func @simple
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x16xf32>, %[[Y:[^:]+]]: memref<?x16xf32>, %[[N:[^:]+]]: index, %[[COLARG:[^:]+]]: index, %[[SCALEARG:[^:]+]]: f32, %[[EXEC:[^:]+]]: !llvm.ptr {nn.exec}, %[[THREADS:[^:]+]]: index {nn.threads}) {
// CHECK-NEXT: %[[ONE:.+]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT: %[[CLOSURE:.+]] = llvm.alloca %[[ONE]] x !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, i64, f32, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>)> : (i64) -> !llvm.ptr
// CHECK-NOT: scf.forall
// The closure is filled in at the loop's place.
// CHECK: %[[XD:.+]] = builtin.unrealized_conversion_cast %[[X]] : memref<?x16xf32> to !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK-NEXT: %[[F0:.+]] = llvm.getelementptr %[[CLOSURE]][0, 0]
// CHECK-NEXT: llvm.store %[[XD]], %[[F0]]
// CHECK-NEXT: %[[COLARG64:.+]] = arith.index_cast %[[COLARG]] : index to i64
// CHECK-NEXT: %[[F1:.+]] = llvm.getelementptr %[[CLOSURE]][0, 1]
// CHECK-NEXT: llvm.store %[[COLARG64]], %[[F1]] : i64, !llvm.ptr
// CHECK-NEXT: %[[F2:.+]] = llvm.getelementptr %[[CLOSURE]][0, 2]
// CHECK-NEXT: llvm.store %[[SCALEARG]], %[[F2]] : f32, !llvm.ptr
// CHECK-NEXT: %[[YD:.+]] = builtin.unrealized_conversion_cast %[[Y]] : memref<?x16xf32> to
// CHECK-NEXT: %[[F3:.+]] = llvm.getelementptr %[[CLOSURE]][0, 3]
// CHECK-NEXT: llvm.store %[[YD]], %[[F3]]
// Iterations: (max(n - 0, 0) + (1 - 1)) / 1.
// CHECK: %[[DIFF:.+]] = arith.subi %[[N]], %{{.+}} : index
// CHECK-NEXT: %[[SPAN:.+]] = arith.maxsi %[[DIFF]], %{{.+}} : index
// CHECK: %[[T:.+]] = arith.addi %[[SPAN]], %{{.+}} : index
// CHECK-NEXT: %[[ITERS:.+]] = arith.divui %[[T]], %{{.+}} : index
// CHECK-NEXT: %[[ITERS64:.+]] = arith.index_cast %[[ITERS]] : index to i64
// CHECK-NEXT: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: %[[NOEXEC:.+]] = llvm.icmp "eq" %[[EXEC]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: scf.if %[[NOEXEC]] {
// CHECK: %[[W0:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT: scf.for %[[J:[^ ]+]] = %{{[^ ]+}} to %[[ITERS]] step %{{[^ ]+}} {
// CHECK-NEXT: %[[J64:.+]] = arith.index_cast %[[J]] : index to i64
// CHECK-NEXT: func.call @simple_par0(%[[CLOSURE]], %[[J64]], %[[W0]]) : (!llvm.ptr, i64, i32) -> ()
// CHECK-NEXT: }
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[FNP:.+]] = llvm.getelementptr %[[EXEC]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr, i32, ptr, ptr)>
// CHECK-NEXT: %[[FN:.+]] = llvm.load %[[FNP]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[TASK:.+]] = func.constant @simple_par0 : (!llvm.ptr, i64, i32) -> ()
// CHECK-NEXT: %[[TASKP:.+]] = builtin.unrealized_conversion_cast %[[TASK]] : (!llvm.ptr, i64, i32) -> () to !llvm.ptr
// CHECK-NEXT: llvm.call %[[FN]](%[[EXEC]], %[[TASKP]], %[[CLOSURE]], %[[ITERS64]]) : !llvm.ptr, (!llvm.ptr, !llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @simple(%x: memref<?x16xf32>, %y: memref<?x16xf32>, %n: index, %col: index, %scale: f32) {
  %cst = arith.constant 2.0 : f32
  scf.forall (%i) in (%n) {
    %v = memref.load %x[%i, %col] : memref<?x16xf32>
    %m = arith.mulf %v, %scale : f32
    %a = arith.addf %m, %cst : f32
    memref.store %a, %y[%i, %col] : memref<?x16xf32>
  }
  return
}

// -----

// Two buffers of the body (64 and 128 bytes, each rounded up to 64) become
// per-worker scratch: one memref<?xi8> of threads x 192 bytes before the
// loop; in the task, worker w's buffers are views at w * perWorker + 0 and
// w * perWorker + 64 (perWorker and the second offset travel in the
// closure). The deallocs go.

// CHECK-LABEL: func.func private @scratch_par0
// CHECK-SAME: (%[[CL:[^:]+]]: !llvm.ptr, %[[IDX:[^:]+]]: i64, %[[WORKER:[^:]+]]: i32)
// CHECK-NOT: memref.alloc
// CHECK: %[[P0:.+]] = llvm.getelementptr %[[CL]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, i64, i64, struct<{{.+}}>, struct<{{.+}}>)>
// CHECK-NEXT: %[[SF:.+]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK-NEXT: %[[SCRATCH:.+]] = builtin.unrealized_conversion_cast %[[SF]] : {{.+}} to memref<?xi8>
// CHECK-NEXT: %[[P1:.+]] = llvm.getelementptr %[[CL]][0, 1]
// CHECK-NEXT: %[[PW64:.+]] = llvm.load %[[P1]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[PW:.+]] = arith.index_cast %[[PW64]] : i64 to index
// CHECK-NEXT: %[[P2:.+]] = llvm.getelementptr %[[CL]][0, 2]
// CHECK-NEXT: %[[OFF64:.+]] = llvm.load %[[P2]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[OFF:.+]] = arith.index_cast %[[OFF64]] : i64 to index
// CHECK: %[[W:.+]] = arith.index_cast %[[WORKER]] : i32 to index
// CHECK-NEXT: %[[BASE:.+]] = arith.muli %[[W]], %[[PW]] : index
// CHECK-NEXT: %[[ZERO:.+]] = arith.constant 0 : index
// CHECK-NEXT: %[[AT0:.+]] = arith.addi %[[BASE]], %[[ZERO]] : index
// CHECK-NEXT: %[[T:.+]] = memref.view %[[SCRATCH]][%[[AT0]]][] : memref<?xi8> to memref<16xf32>
// CHECK-NEXT: %[[W2:.+]] = arith.index_cast %[[WORKER]] : i32 to index
// CHECK-NEXT: %[[BASE2:.+]] = arith.muli %[[W2]], %[[PW]] : index
// CHECK-NEXT: %[[AT1:.+]] = arith.addi %[[BASE2]], %[[OFF]] : index
// CHECK-NEXT: memref.view %[[SCRATCH]][%[[AT1]]][] : memref<?xi8> to memref<4x4xf64>
// CHECK: memref.store %{{.+}}, %[[T]][%{{.+}}] : memref<16xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return

// CHECK-LABEL: func.func @scratch
// CHECK-SAME: %[[THREADS:[^:]+]]: index {nn.threads}) {
// CHECK: %[[CLOSURE:.+]] = llvm.alloca
// 4 bytes x 16, aligned to 64: the second buffer's offset.
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK: %[[BYTES0:.+]] = arith.muli %[[C4]], %[[C16]] : index
// CHECK-DAG: %[[CM64:.+]] = arith.constant -64 : index
// CHECK-DAG: %[[C63:.+]] = arith.constant 63 : index
// CHECK-DAG: %[[UP0:.+]] = arith.addi %[[BYTES0]], %[[C63]] : index
// CHECK: %[[AL0:.+]] = arith.andi %[[UP0]], %[[CM64]] : index
// CHECK-NEXT: %[[OFF1:.+]] = arith.addi %{{.+}}, %[[AL0]] : index
// 8 bytes x 4 x 4, aligned: the bytes per worker.
// CHECK-NEXT: arith.constant 8 : index
// CHECK: %[[AL1:.+]] = arith.andi %{{.+}}, %{{.+}} : index
// CHECK-NEXT: %[[PERWORKER:.+]] = arith.addi %[[OFF1]], %[[AL1]] : index
// CHECK-NEXT: %[[TOTAL:.+]] = arith.muli %[[THREADS]], %[[PERWORKER]] : index
// CHECK-NEXT: %[[SCRATCH:.+]] = memref.alloc(%[[TOTAL]]) : memref<?xi8>
// Closure fields 0, 1, 2: the scratch, the bytes per worker, the offset.
// CHECK-NEXT: %[[SD:.+]] = builtin.unrealized_conversion_cast %[[SCRATCH]] : memref<?xi8> to
// CHECK-NEXT: %[[F0:.+]] = llvm.getelementptr %[[CLOSURE]][0, 0]
// CHECK-NEXT: llvm.store %[[SD]], %[[F0]]
// CHECK-NEXT: %[[PW64:.+]] = arith.index_cast %[[PERWORKER]] : index to i64
// CHECK-NEXT: %[[F1:.+]] = llvm.getelementptr %[[CLOSURE]][0, 1]
// CHECK-NEXT: llvm.store %[[PW64]], %[[F1]] : i64, !llvm.ptr
// CHECK-NEXT: %[[OFF64:.+]] = arith.index_cast %[[OFF1]] : index to i64
// CHECK-NEXT: %[[F2:.+]] = llvm.getelementptr %[[CLOSURE]][0, 2]
// CHECK-NEXT: llvm.store %[[OFF64]], %[[F2]] : i64, !llvm.ptr
// CHECK-NOT: memref.alloc
// CHECK: return
func.func @scratch(%x: memref<?x16xf32>, %y: memref<?x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  scf.forall (%i) in (%n) {
    %t = memref.alloc() : memref<16xf32>
    %u = memref.alloc() : memref<4x4xf64>
    %v = memref.load %x[%i, %c0] : memref<?x16xf32>
    memref.store %v, %t[%c0] : memref<16xf32>
    %w = memref.load %t[%c0] : memref<16xf32>
    memref.store %w, %y[%i, %c0] : memref<?x16xf32>
    memref.dealloc %u : memref<4x4xf64>
    memref.dealloc %t : memref<16xf32>
  }
  return
}

// -----

// A buffer whose rows vary with the iteration (min(8, n - 8i)) gets a slot
// for its upper bound, 8 rows (4 x 8 x 16 bytes); in the task the view keeps
// the iteration's size.

// CHECK-LABEL: func.func private @varying_par0
// CHECK: %[[ROWS:.+]] = affine.min #{{.+}}(%{{.+}})[%{{.+}}]
// CHECK: memref.view %{{.+}}[%{{.+}}][%[[ROWS]]] : memref<?xi8> to memref<?x16xf32>

// CHECK-LABEL: func.func @varying
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: %[[B:.+]] = arith.muli %[[C4]], %[[C8]] : index
// CHECK-NEXT: %[[C16:.+]] = arith.constant 16 : index
// CHECK-NEXT: %[[BYTES:.+]] = arith.muli %[[B]], %[[C16]] : index
// CHECK: memref.alloc(%{{.+}}) : memref<?xi8>
func.func @varying(%x: memref<?x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  scf.forall (%i) in (4) {
    %s = affine.min affine_map<(d0)[s0] -> (8, s0 - d0 * 8)>(%i)[%n]
    %t = memref.alloc(%s) : memref<?x16xf32>
    %v = memref.load %t[%c0, %c0] : memref<?x16xf32>
    memref.store %v, %x[%i, %c0] : memref<?x16xf32>
  }
  return
}

// -----

// No affine bound for min(chunk, m - i * chunk) (arith.minui): the rows are
// bounded by the batch, dim 0 of the first argument with a dynamic leading
// dimension, taken at the function's start.

// CHECK-LABEL: func.func @varying_batch
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x16xf32>
// CHECK: %[[BATCH:.+]] = memref.dim %[[X]], %{{.+}} : memref<?x16xf32>
// CHECK: %[[C4:.+]] = arith.constant 4 : index
// CHECK-NEXT: %[[B:.+]] = arith.muli %[[C4]], %[[BATCH]] : index
// CHECK-NEXT: %[[C16:.+]] = arith.constant 16 : index
// CHECK-NEXT: arith.muli %[[B]], %[[C16]] : index
// CHECK: memref.alloc(%{{.+}}) : memref<?xi8>
func.func @varying_batch(%x: memref<?x16xf32>, %m: index, %chunk: index) {
  %c0 = arith.constant 0 : index
  scf.forall (%i) in (4) {
    %off = arith.muli %i, %chunk : index
    %left = arith.subi %m, %off : index
    %s = arith.minui %chunk, %left : index
    %t = memref.alloc(%s) : memref<?x16xf32>
    %v = memref.load %t[%c0, %c0] : memref<?x16xf32>
    memref.store %v, %x[%i, %c0] : memref<?x16xf32>
  }
  return
}

// -----

// A loop from lb to ub by 3: the task runs iteration lb + i * 3 (lb is
// captured, the step cloned); there are (ub + 3 - (lb + 1)) / 3 iterations.

// CHECK-LABEL: func.func private @strided_par0
// CHECK-SAME: (%[[CL:[^:]+]]: !llvm.ptr, %[[IDX:[^:]+]]: i64, %[[WORKER:[^:]+]]: i32)
// CHECK: %[[STEP:.+]] = arith.constant 3 : index
// CHECK: %[[P1:.+]] = llvm.getelementptr %[[CL]][0, 1]
// CHECK-NEXT: %[[LB64:.+]] = llvm.load %[[P1]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[LB:.+]] = arith.index_cast %[[LB64]] : i64 to index
// CHECK-NEXT: %[[I:.+]] = arith.index_cast %[[IDX]] : i64 to index
// CHECK-NEXT: %[[ISTEP:.+]] = arith.muli %[[I]], %[[STEP]] : index
// CHECK-NEXT: %[[IV:.+]] = arith.addi %[[LB]], %[[ISTEP]] : index
// CHECK-NEXT: memref.load %{{.+}}[%[[IV]]] : memref<?xf32>

// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[X:[^:]+]]: memref<?xf32>, %[[LBARG:[^:]+]]: index, %[[UB:[^:]+]]: index,
// CHECK: %[[C3:.+]] = arith.constant 3 : index
// CHECK: %[[LBARG64:.+]] = arith.index_cast %[[LBARG]] : index to i64
// CHECK-NEXT: %[[F1:.+]] = llvm.getelementptr %{{.+}}[0, 1]
// CHECK-NEXT: llvm.store %[[LBARG64]], %[[F1]] : i64, !llvm.ptr
// Iterations: ceil(max(ub - lb, 0) / 3): none when ub < lb.
// CHECK: %[[DIFF:.+]] = arith.subi %[[UB]], %[[LBARG]] : index
// CHECK-NEXT: %[[SPAN:.+]] = arith.maxsi %[[DIFF]], %{{.+}} : index
// CHECK: %[[T:.+]] = arith.addi %[[SPAN]], %{{.+}} : index
// CHECK-NEXT: %[[ITERS:.+]] = arith.divui %[[T]], %[[C3]] : index
// CHECK: scf.for %{{[^ ]+}} = %{{[^ ]+}} to %[[ITERS]] step
func.func @strided(%x: memref<?xf32>, %lb: index, %ub: index) {
  %c3 = arith.constant 3 : index
  scf.forall (%i) = (%lb) to (%ub) step (%c3) {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i] : memref<?xf32>
  }
  return
}

// -----

// Two loops: two tasks, _par0 and _par1, each with its own closure; the
// function gains one exec and one threads argument, which both dispatches
// use.

// CHECK-LABEL: func.func private @two_loops_par0
// CHECK: arith.addf
// CHECK-LABEL: func.func private @two_loops_par1
// CHECK: arith.mulf
// CHECK-LABEL: func.func @two_loops
// CHECK-SAME: (%[[X:[^:]+]]: memref<?xf32>, %[[N:[^:]+]]: index, %[[EXEC:[^:]+]]: !llvm.ptr {nn.exec}, %[[THREADS:[^:]+]]: index {nn.threads}) {
// CHECK-COUNT-2: llvm.alloca
// CHECK: llvm.icmp "eq" %[[EXEC]], %{{.+}} : !llvm.ptr
// CHECK: func.call @two_loops_par0(%[[CLOSURE0:[^,]+]],
// CHECK: func.constant @two_loops_par0
// CHECK: llvm.call %{{.+}}(%[[EXEC]], %{{.+}}, %[[CLOSURE0]], %{{.+}})
// CHECK: llvm.icmp "eq" %[[EXEC]], %{{.+}} : !llvm.ptr
// CHECK: func.call @two_loops_par1(%[[CLOSURE1:[^,]+]],
// CHECK: func.constant @two_loops_par1
// CHECK: llvm.call %{{.+}}(%[[EXEC]], %{{.+}}, %[[CLOSURE1]], %{{.+}})
// CHECK: return
func.func @two_loops(%x: memref<?xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i] : memref<?xf32>
  }
  scf.forall (%i) in (%n) {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %x[%i] : memref<?xf32>
  }
  return
}

// -----

// Profile marks: a function with marks and no parallel loop gains the
// context arguments too. Each mark becomes, when exec is not null and its
// profile hook (field 3 of nncc_exec) is set, a call of the hook with
// (exec, region). A region whose mark is followed by real work (a loop, a
// store) is recorded as not fused; one followed only by an allocation before
// the next mark, its code fused into a later region, as fused.

// CHECK: module attributes {nn.profile_regions = [{fused = false, op = "relu"}, {fused = true, op = "batch_norm_eval"}, {fused = false, op = "relu"}]}
// CHECK-LABEL: func.func @profiled
// CHECK-SAME: (%[[X:[^:]+]]: memref<8xf32>, %[[EXEC:[^:]+]]: !llvm.ptr {nn.exec}, %[[THREADS:[^:]+]]: index {nn.threads}) {
// CHECK: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: %[[HAS:.+]] = llvm.icmp "ne" %[[EXEC]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: scf.if %[[HAS]] {
// CHECK-NEXT: %[[FIELD:.+]] = llvm.getelementptr %[[EXEC]][0, 3] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr, i32, ptr, ptr)>
// CHECK-NEXT: %[[HOOK:.+]] = llvm.load %[[FIELD]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[HASHOOK:.+]] = llvm.icmp "ne" %[[HOOK]], %[[NULL]] : !llvm.ptr
// CHECK-NEXT: scf.if %[[HASHOOK]] {
// CHECK-NEXT: %[[R0:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT: llvm.call %[[HOOK]](%[[EXEC]], %[[R0]]) : !llvm.ptr, (!llvm.ptr, i32) -> ()
// CHECK: memref.store
// CHECK: llvm.mlir.constant(1 : i32) : i32
// CHECK: memref.alloc
// CHECK: llvm.mlir.constant(2 : i32) : i32
// CHECK: memref.store
// CHECK: llvm.mlir.constant(-1 : i32) : i32
// CHECK-NOT: nn.profile_mark
// CHECK: return
module attributes {nn.profile_regions = [{op = "relu"}, {op = "batch_norm_eval"}, {op = "relu"}]} {
  func.func @profiled(%x: memref<8xf32>) {
    %c0 = arith.constant 0 : index
    %one = arith.constant 1.0 : f32
    nn.profile_mark 0
    memref.store %one, %x[%c0] : memref<8xf32>
    nn.profile_mark 1
    %t = memref.alloc() : memref<8xf32>
    nn.profile_mark 2
    memref.store %one, %t[%c0] : memref<8xf32>
    memref.store %one, %x[%c0] : memref<8xf32>
    memref.dealloc %t : memref<8xf32>
    nn.profile_mark -1
    return
  }
}
