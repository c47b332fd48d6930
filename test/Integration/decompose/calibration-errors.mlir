// compress-cp-decompose with calibration files that cannot serve a layer: one
// recorded without Gram matrices (compress-instrument gram=false), and one
// of another model whose layer of the same key reduces over 4 inputs
// instead of 8. Each is an error naming the layer and the file, and
// nothing is written.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x8.npy', np.arange(16, dtype=np.float32).reshape(2, 8)); \
// RUN:   np.save('%t/x4.npy', np.arange(8, dtype=np.float32).reshape(2, 4))"
// RUN: compress-opt %s --compress-instrument=gram=false -o %t/nogram.mlir
// RUN: compress-run %t/nogram.mlir -e predict --input %t/x8.npy --calibration-out %t/nogram.json --output %t/y.npy
// RUN: not compress-opt %s --compress-cp-decompose="rank=1 calibration=%t/nogram.json" -o %t/out.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOGRAM
// RUN: not test -e %t/out.mlir
// NOGRAM: error: compress-cp-decompose: linalg.matmul (predict/0): the calibration file '{{.*}}nogram.json' has no Gram matrix for it (record one with compress-instrument gram=true)
//
// RUN: %python -c "import re; t = open('%s').read(); \
// RUN:   t = re.sub(r'dense<.*?> : tensor<8x3xf32>', 'dense<1.0> : tensor<8x3xf32>', t); \
// RUN:   open('%t/small.mlir', 'w').write(t.replace('8x', '4x').replace('x8x', 'x4x'))"
// RUN: compress-opt %t/small.mlir --compress-instrument -o %t/small-instrumented.mlir
// RUN: compress-run %t/small-instrumented.mlir -e predict --input %t/x4.npy --calibration-out %t/small.json --output %t/y.npy
// RUN: not compress-opt %s --compress-cp-decompose="rank=1 calibration=%t/small.json" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SIZE
// SIZE: error: compress-cp-decompose: linalg.matmul (predict/0): the calibration file's Gram matrix is 4 x 4, the op reduces over 8 input elements

func.func @predict(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [1.0, 0.5, 0.25], [2.0, 1.5, 1.25], [3.0, 2.5, 2.25], [4.0, 3.5, 3.25], [5.0, 4.5, 4.25]]> : tensor<8x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
