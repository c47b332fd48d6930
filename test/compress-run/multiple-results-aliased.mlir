// compress-run with a function that returns the same fresh allocation as two
// results. The deallocation pipeline leaves both results pointing at one
// buffer, so compress-run must free that buffer once, not once per result.
//
// Regression test: compress-run used to free `allocated` of every shaped
// result and aborted with "free(): double free detected".
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/v.npy', np.array([1.0, 2.0, 3.0], dtype=np.float32))"
// RUN: compress-run %s -e same_twice --input %t/v.npy | FileCheck %s
// RUN: compress-run %s -e same_twice --input %t/v.npy --repeat 3 | FileCheck %s --check-prefixes=CHECK,REPEAT
// RUN: compress-run %s -e same_twice --input %t/v.npy --output %t/a.npy --output %t/b.npy
// RUN: %python -c "import numpy as np; print(np.load('%t/a.npy').tolist(), np.load('%t/b.npy').tolist())" \
// RUN:   | FileCheck %s --check-prefix=NPY

//      CHECK: result #0: tensor<3xf32>
// CHECK-NEXT: [2, 4, 6]
// CHECK-NEXT: result #1: tensor<3xf32>
// CHECK-NEXT: [2, 4, 6]
// REPEAT-NEXT: @same_twice: median {{.*}} over 3 runs
// NPY: [2.0, 4.0, 6.0] [2.0, 4.0, 6.0]
func.func @same_twice(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.add ins(%a, %a : tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  return %r, %r : tensor<3xf32>, tensor<3xf32>
}
