// compress-run frees the results of memref-level functions too: the
// deallocation pipeline in compress-to-llvm makes every result of a public
// function an owned allocation (results aliasing an argument or a global
// are cloned), so nothing must leak per call. Measured as the peak RSS of
// --repeat 200 on a 1 MiB result, against the same function on tensors.
//
// Regression test: compress-run used to free only the results of functions
// with tensor results, so each call of @fill_memref leaked its result (a
// 4 MiB result with --repeat 200 peaked at ~970 MB instead of ~155 MB).
//
// REQUIRES: host-supports-jit
// RUN: %python %S/Inputs/peak_rss.py compress-run %s -e fill_tensor --repeat 200 > %t.tensor
// RUN: %python %S/Inputs/peak_rss.py compress-run %s -e fill_memref --repeat 200 > %t.memref
// RUN: %python %S/Inputs/peak_rss.py compress-run %s -e identity_memref --repeat 200 > %t.identity
// RUN: %python -c "t = int(open('%t.tensor').read()); m = int(open('%t.memref').read()); \
// RUN:   i = int(open('%t.identity').read()); \
// RUN:   print('fill_memref', 'leaks' if m > t + 64 * 1024 else 'ok'); \
// RUN:   print('identity_memref', 'leaks' if i > t + 64 * 1024 else 'ok')" | FileCheck %s

//      CHECK: fill_memref ok
// CHECK-NEXT: identity_memref ok

func.func @fill_tensor() -> tensor<262144xf32> {
  %e = tensor.empty() : tensor<262144xf32>
  %one = arith.constant 1.0 : f32
  %r = linalg.fill ins(%one : f32) outs(%e : tensor<262144xf32>) -> tensor<262144xf32>
  return %r : tensor<262144xf32>
}

func.func @fill_memref() -> memref<262144xf32> {
  %r = memref.alloc() : memref<262144xf32>
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%r : memref<262144xf32>)
  return %r : memref<262144xf32>
}

// The result aliases a global, so the deallocation pipeline returns a copy.
memref.global "private" constant @ones : memref<262144xf32> = dense<1.0>
func.func @identity_memref() -> memref<262144xf32> {
  %g = memref.get_global @ones : memref<262144xf32>
  return %g : memref<262144xf32>
}
