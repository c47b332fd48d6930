// compress.quantize with a constant scale divides without a division (a
// multiply by the reciprocal and one FMA correction); the codes must be the
// ones x / s gives, exactly. The inputs are the hardest there are: every
// near-tie (k + 1/2) * s for all codes in range, moved by up to 3 ulps
// either way, where x * RN(1/s) alone rounds the wrong way thousands of
// times (the checker counts them, so the test can tell), plus +-inf, NaN,
// the largest floats and random values.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t/x.npy 0.1
// RUN: compress-run %s -e tenth --input %t/x.npy --output %t/y.npy
// RUN: %python %s.py check %t/x.npy %t/y.npy 0.1 3 -128 127 | FileCheck %s
// RUN: %python %s.py make %t/x2.npy 0.039284811245174855
// RUN: compress-run %s -e odd_u8 --input %t/x2.npy --output %t/y2.npy
// RUN: %python %s.py check %t/x2.npy %t/y2.npy 0.039284811245174855 128 0 255 | FileCheck %s
// RUN: compress-opt %s --convert-compress-to-linalg | FileCheck %s --check-prefix=IR
// CHECK: codes exact
// IR-NOT: arith.divf

func.func @tenth(%x: tensor<4266xf32>) -> tensor<4266xi8> {
  %q = compress.quantize %x : tensor<4266xf32> -> tensor<4266xi8>, #compress.quant<i8, scales = [0.1], zero_points = [3]>
  return %q : tensor<4266xi8>
}

func.func @odd_u8(%x: tensor<4266xf32>) -> tensor<4266xi8> {
  %q = compress.quantize %x : tensor<4266xf32> -> tensor<4266xi8>, #compress.quant<ui8, scales = [0.039284811245174855], zero_points = [128]>
  return %q : tensor<4266xi8>
}
