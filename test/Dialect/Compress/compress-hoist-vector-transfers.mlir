// RUN: compress-opt %s -split-input-file --compress-hoist-vector-transfers | FileCheck %s

// The accumulator block is read before the K loop, carried in registers
// through it, and written once after it.
// CHECK-LABEL: func.func @accumulator
// CHECK-SAME:  %[[A:.*]]: memref<8x64xf32>, %[[C:.*]]: memref<8x32xf32>
// CHECK:       %[[INIT:.*]] = vector.transfer_read %[[C]]
// CHECK:       %[[R:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (vector<8x32xf32>)
// CHECK-NOT:     vector.transfer_read %[[C]]
// CHECK-NOT:     vector.transfer_write
// CHECK:         scf.yield
// CHECK:       vector.transfer_write %[[R]], %[[C]]
func.func @accumulator(%a: memref<8x64xf32>, %c: memref<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c64 step %c1 {
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true]} : memref<8x64xf32>, vector<8xf32>
    %acc = vector.transfer_read %c[%c0, %c0], %pad {in_bounds = [true, true]} : memref<8x32xf32>, vector<8x32xf32>
    %b = vector.broadcast %x : vector<8xf32> to vector<32x8xf32>
    %t = vector.transpose %b, [1, 0] : vector<32x8xf32> to vector<8x32xf32>
    %r = arith.addf %acc, %t : vector<8x32xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<8x32xf32>
  }
  return
}

// -----

// Negative: the location moves with the loop, so nothing is hoisted.
// CHECK-LABEL: func.func @negative_moving
// CHECK:       scf.for
// CHECK:         vector.transfer_read
// CHECK:         vector.transfer_write
func.func @negative_moving(%c: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c64 step %c1 {
    %v = vector.transfer_read %c[%i, %c0], %pad {in_bounds = [true]} : memref<64x32xf32>, vector<32xf32>
    %r = arith.addf %v, %v : vector<32xf32>
    vector.transfer_write %r, %c[%i, %c0] {in_bounds = [true]} : vector<32xf32>, memref<64x32xf32>
  }
  return
}
