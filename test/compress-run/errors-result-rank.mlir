// compress-run reads back results of rank at most 8; a function returning a
// tensor of higher rank runs, but its result is reported as an error (exit
// code 1) instead of being printed or written.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/rank9.npy', np.ones((1,) * 8 + (2,), dtype=np.float32))"
// RUN: not compress-run %s -e rank9 --input %t/rank9.npy 2>&1 | FileCheck %s
// RUN: not compress-run %s -e rank9 --input %t/rank9.npy --output %t/out.npy 2>&1 | FileCheck %s
// Arguments of rank 9 are fine.
// RUN: compress-run %s -e sum9 --input %t/rank9.npy | FileCheck %s --check-prefix=SUM

// CHECK: compress-run: error: result #0 has rank above 8
func.func @rank9(%a: tensor<1x1x1x1x1x1x1x1x2xf32>) -> tensor<1x1x1x1x1x1x1x1x2xf32> {
  %e = tensor.empty() : tensor<1x1x1x1x1x1x1x1x2xf32>
  %r = linalg.add ins(%a, %a : tensor<1x1x1x1x1x1x1x1x2xf32>, tensor<1x1x1x1x1x1x1x1x2xf32>)
                  outs(%e : tensor<1x1x1x1x1x1x1x1x2xf32>) -> tensor<1x1x1x1x1x1x1x1x2xf32>
  return %r : tensor<1x1x1x1x1x1x1x1x2xf32>
}

//      SUM: result #0: f32
// SUM-NEXT: 2
func.func @sum9(%a: tensor<1x1x1x1x1x1x1x1x2xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = tensor.extract %a[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] : tensor<1x1x1x1x1x1x1x1x2xf32>
  %y = tensor.extract %a[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c1] : tensor<1x1x1x1x1x1x1x1x2xf32>
  %s = arith.addf %x, %y : f32
  return %s : f32
}
