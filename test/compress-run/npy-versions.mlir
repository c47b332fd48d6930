// compress-run reads .npy format versions 1.0, 2.0 (4-byte header length)
// and 3.0 (UTF-8 header); Inputs/make_npy_cases.py writes all three for the
// same float32 [2, 3] array.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_npy_cases.py %t
// RUN: compress-run %s -e f --input %t/good.npy | FileCheck %s
// RUN: compress-run %s -e f --input %t/version2.npy | FileCheck %s
// RUN: compress-run %s -e f --input %t/version3.npy | FileCheck %s

//      CHECK: result #0: tensor<2x3xf32>
// CHECK-NEXT: {{\[\[}}0, 1, 2],
// CHECK-NEXT:  [3, 4, 5]]
func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
