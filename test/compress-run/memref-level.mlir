// compress-run on already bufferized IR: functions on memrefs are lowered
// with compress-to-llvm and called like tensor functions; memref results
// are printed or written, and the MLIR runner utilities are loaded so that
// functions can print with printMemrefF32 themselves.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/m.npy', np.arange(6, dtype=np.float32).reshape(2, 3)); \
// RUN:   np.save('%t/v.npy', np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32))"
//
// RUN: compress-run %s -e scale --input %t/m.npy | FileCheck %s --check-prefix=SCALE
// RUN: compress-run %s -e scale --input %t/m.npy --repeat 3 | FileCheck %s --check-prefix=SCALE
// RUN: compress-run %s -e scale --input %t/m.npy --output %t/scale.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/scale.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=SCALE-NPY
//      SCALE: result #0: memref<2x3xf32>
// SCALE-NEXT: {{\[\[}}0, 2, 4],
// SCALE-NEXT:  [6, 8, 10]]
// SCALE-NPY: float32 (2, 3) {{\[\[}}0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]
func.func @scale(%a: memref<2x3xf32>) -> memref<2x3xf32> {
  %r = memref.alloc() : memref<2x3xf32>
  %two = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<2x3xf32>) outs(%r : memref<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %two : f32
    linalg.yield %m : f32
  }
  return %r : memref<2x3xf32>
}

// Results that alias an argument or a global.
// RUN: compress-run %s -e identity --input %t/m.npy --repeat 2 | FileCheck %s --check-prefix=IDENTITY
//      IDENTITY: result #0: memref<2x3xf32>
// IDENTITY-NEXT: {{\[\[}}0, 1, 2],
// IDENTITY-NEXT:  [3, 4, 5]]
func.func @identity(%a: memref<2x3xf32>) -> memref<2x3xf32> {
  return %a : memref<2x3xf32>
}

// RUN: compress-run %s -e global --repeat 2 | FileCheck %s --check-prefix=GLOBAL
//      GLOBAL: result #0: memref<3xi32>
// GLOBAL-NEXT: [1, -2, 3]
memref.global "private" constant @g : memref<3xi32> = dense<[1, -2, 3]>
func.func @global() -> memref<3xi32> {
  %g = memref.get_global @g : memref<3xi32>
  return %g : memref<3xi32>
}

// Dynamic sizes and a scalar result.
// RUN: compress-run %s -e sum --input %t/v.npy | FileCheck %s --check-prefix=SUM
//      SUM: result #0: f32
// SUM-NEXT: 15
// SUM-NEXT: result #1: index
// SUM-NEXT: 5
func.func @sum(%a: memref<?xf32>) -> (f32, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %zero = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f32 {
    %v = memref.load %a[%i] : memref<?xf32>
    %r = arith.addf %acc, %v : f32
    scf.yield %r : f32
  }
  return %s, %n : f32, index
}

// A dynamically shaped memref result.
// RUN: compress-run %s -e reverse --input %t/v.npy | FileCheck %s --check-prefix=REVERSE
//      REVERSE: result #0: memref<?xf32> (shape [5])
// REVERSE-NEXT: [5, 4, 3, 2, 1]
func.func @reverse(%a: memref<?xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %r = memref.alloc(%n) : memref<?xf32>
  %last = arith.subi %n, %c1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %a[%i] : memref<?xf32>
    %j = arith.subi %last, %i : index
    memref.store %v, %r[%j] : memref<?xf32>
  }
  return %r : memref<?xf32>
}

// The function prints on its own through the runner utilities; it has no
// results, so compress-run prints nothing else.
// RUN: compress-run %s -e print --input %t/m.npy | FileCheck %s --check-prefix=PRINT
//      PRINT: Unranked Memref base@ = {{0x[0-9a-f]+}} rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
// PRINT-NEXT: {{\[\[}}0,   1,   2],
// PRINT-NEXT:  [3,   4,   5]]
//  PRINT-NOT: result
func.func private @printMemrefF32(memref<*xf32>)
func.func @print(%a: memref<2x3xf32>) {
  %u = memref.cast %a : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

// A void @main without arguments on tensors (called through its C
// interface wrapper, as any other function above the LLVM dialect).
// RUN: compress-run %s -e main | FileCheck %s --check-prefix=MAIN
//      MAIN: Unranked Memref base@ = {{0x[0-9a-f]+}} rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
// MAIN-NEXT: {{\[\[}}2,   4],
// MAIN-NEXT:  [6,   9]]
//  MAIN-NOT: result
func.func @main() {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.5]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %r = linalg.add ins(%c, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = bufferization.to_buffer %r : tensor<2x2xf32> to memref<2x2xf32>
  %u = memref.cast %m : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}
