// RUN: compress-opt %s -split-input-file --compress-parallelize | FileCheck %s

// A marked loop without results becomes scf.parallel; the unmarked inner
// loop stays sequential.
// CHECK-LABEL: func.func @marked
// CHECK:       scf.parallel (%[[J:.*]]) = (%c0) to (%c64) step (%c32) {
// CHECK:         scf.for
// CHECK:           arith.addi %[[J]], %{{.*}} : index
// CHECK-NOT:   compress.parallel
func.func @marked(%m: memref<64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  scf.for %j = %c0 to %c64 step %c32 {
    scf.for %i = %c0 to %c32 step %c1 {
      %k = arith.addi %j, %i : index
      memref.store %v, %m[%k] : memref<64xf32>
    }
  } {compress.parallel}
  return
}

// -----

// Negative: a marked loop that still carries a value (not bufferized in
// place) stays sequential; the mark is removed.
// CHECK-LABEL: func.func @carries_value
// CHECK-NOT:   scf.parallel
// CHECK:       scf.for
// CHECK-NOT:   compress.parallel
func.func @carries_value(%m: memref<64xf32>) -> memref<64xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %j = %c0 to %c64 step %c32 iter_args(%a = %m) -> memref<64xf32> {
    scf.yield %a : memref<64xf32>
  } {compress.parallel}
  return %r : memref<64xf32>
}

// -----

// A marked loop with a constant step of 0 (found by fuzzing) stays an
// scf.for: scf.parallel needs a positive step.
// CHECK-LABEL: func.func @zero_step
// CHECK:       scf.for %{{.*}} = %c0 to %c64 step %c0
// CHECK-NOT:   scf.parallel
// CHECK-NOT:   compress.parallel
func.func @zero_step(%m: memref<64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  scf.for %j = %c0 to %c64 step %c0 {
    memref.store %v, %m[%j] : memref<64xf32>
  } {compress.parallel}
  return
}
