// compress-run --repeat N calls the function N times after one untimed
// warm-up call and prints the median and minimum time of one call; the
// results of the last call are printed (or written) once.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/v.npy', np.array([1.0, 2.0, 3.0], dtype=np.float32))"
// RUN: compress-run %s -e square --input %t/v.npy --repeat 5 \
// RUN:   | FileCheck %s --match-full-lines --strict-whitespace
// RUN: compress-run %s -e square --input %t/v.npy --repeat=1 \
// RUN:   | FileCheck %s --check-prefix=ONE --match-full-lines
// RUN: compress-run %s -e square --input %t/v.npy --repeat 4 --output %t/out.npy \
// RUN:   | FileCheck %s --check-prefix=OUTPUT --match-full-lines
// RUN: %python -c "import numpy as np; print(np.load('%t/out.npy').tolist())" \
// RUN:   | FileCheck %s --check-prefix=NPY
// --repeat 0 (the default) prints no timing.
// RUN: compress-run %s -e square --input %t/v.npy --repeat 0 \
// RUN:   | FileCheck %s --check-prefix=ZERO --implicit-check-not=median
// A function with a scalar argument and result.
// RUN: %python -c "import numpy as np; np.save('%t/s.npy', np.float64(3.0))"
// RUN: compress-run %s -e scalar --input %t/s.npy --repeat 3 \
// RUN:   | FileCheck %s --check-prefix=SCALAR --match-full-lines

//      CHECK:result #0: tensor<3xf32>
// CHECK-NEXT:[1, 4, 9]
// CHECK-NEXT:@square: median {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms, min {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms over 5 runs
//  CHECK-NOT:{{.}}

//      ONE:result #0: tensor<3xf32>
// ONE-NEXT:[1, 4, 9]
// ONE-NEXT:@square: median {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms, min {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms over 1 runs

//     OUTPUT:@square: median {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms, min {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms over 4 runs
// OUTPUT-NOT:{{.}}

// NPY: [1.0, 4.0, 9.0]

//      ZERO: result #0: tensor<3xf32>
// ZERO-NEXT: [1, 4, 9]

//      SCALAR:result #0: f64
// SCALAR-NEXT:9
// SCALAR-NEXT:@scalar: median {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms, min {{[0-9]+\.[0-9][0-9][0-9][0-9]}} ms over 3 runs

func.func @square(%a: tensor<3xf32>) -> tensor<3xf32> {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.mul ins(%a, %a : tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

func.func @scalar(%x: f64) -> f64 {
  %r = arith.mulf %x, %x : f64
  return %r : f64
}
