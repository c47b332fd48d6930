// compress-run on a tensor function with static shapes: reads two .npy
// inputs, lowers with compress-to-llvm, JIT-runs @add_scale and prints the
// result in NumPy-like nesting. Also reads the module from stdin.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/a.npy', np.arange(6, dtype=np.float32).reshape(2, 3)); \
// RUN:   np.save('%t/b.npy', np.array([[0.5, -1.0, 2.25], [10.0, -20.0, 1e-3]], dtype=np.float32))"
// RUN: compress-run %s -e add_scale --input %t/a.npy --input %t/b.npy \
// RUN:   | FileCheck %s --match-full-lines --strict-whitespace
// RUN: compress-run - -e add_scale --input %t/a.npy --input %t/b.npy < %s \
// RUN:   | FileCheck %s --match-full-lines --strict-whitespace
// RUN: compress-run %s --entry-point=add_scale --input %t/a.npy --input %t/b.npy -O0 \
// RUN:   | FileCheck %s --match-full-lines --strict-whitespace
// RUN: compress-run %s -e add_scale --input %t/a.npy --input %t/b.npy -O 3 \
// RUN:   --compress-to-llvm-options="cpu=x86-64 threads=1" \
// RUN:   | FileCheck %s --match-full-lines --strict-whitespace

// (a + b) * 2
//      CHECK:result #0: tensor<2x3xf32>
// CHECK-NEXT:{{\[\[}}1, 0, 8.5],
// CHECK-NEXT: [26, -32, 10.002]]
//  CHECK-NOT:{{.}}

func.func @add_scale(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>)
                    outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %two = arith.constant 2.0 : f32
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %two : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// An unrelated function in the same module does not disturb the call.
func.func @other(%x: f32) -> f32 {
  return %x : f32
}
