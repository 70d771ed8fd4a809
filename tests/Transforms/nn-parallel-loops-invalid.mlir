// nn-parallel-loops gives a function with parallel loops or profile marks two
// more arguments (the execution context and its thread count), so only entry
// points, which nothing calls, may have them: a called one is an internal
// error rather than a call that no longer matches.
// RUN: %nncc-opt %s --nn-parallel-loops --verify-diagnostics

// expected-error @+1 {{a function with parallel loops or profile marks is called from another function}}
func.func @helper(%x: memref<?xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %c = arith.constant 1.0 : f32
    memref.store %c, %x[%i] : memref<?xf32>
  }
  return
}

func.func @caller(%x: memref<?xf32>, %n: index) {
  func.call @helper(%x, %n) : (memref<?xf32>, index) -> ()
  return
}
