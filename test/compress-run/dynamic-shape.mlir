// compress-run with dynamically shaped tensor arguments and results: any
// input shape matching the static dimensions is accepted, and the printed
// result type is followed by the actual shape. Empty dimensions work.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/2x3.npy', np.arange(6, dtype=np.float32).reshape(2, 3)); \
// RUN:   np.save('%t/1x5.npy', np.array([[1, 2, 3, 4, 5]], dtype=np.float32)); \
// RUN:   np.save('%t/0x3.npy', np.zeros((0, 3), dtype=np.float32)); \
// RUN:   np.save('%t/4x0.npy', np.zeros((4, 0), dtype=np.float32))"
//
// RUN: compress-run %s -e transpose --input %t/2x3.npy | FileCheck %s --check-prefix=T23
// RUN: compress-run %s -e transpose --input %t/1x5.npy | FileCheck %s --check-prefix=T15
// RUN: compress-run %s -e transpose --input %t/0x3.npy | FileCheck %s --check-prefix=T03
// RUN: compress-run %s -e transpose --input %t/4x0.npy | FileCheck %s --check-prefix=T40
// RUN: compress-run %s -e transpose --input %t/1x5.npy --output %t/t15.npy
// RUN: compress-run %s -e transpose --input %t/0x3.npy --output %t/t03.npy
// RUN: %python -c "import numpy as np; \
// RUN:   [print(a.dtype, a.shape, a.ravel().tolist()) for a in [np.load('%t/t15.npy'), np.load('%t/t03.npy')]]" \
// RUN:   | FileCheck %s --check-prefix=NPY
// RUN: compress-run %s -e double_rows --input %t/2x3.npy | FileCheck %s --check-prefix=ROWS
// RUN: compress-run %s -e double_rows --input %t/0x3.npy | FileCheck %s --check-prefix=ROWS0
// RUN: compress-run %s -e dims --input %t/1x5.npy | FileCheck %s --check-prefix=DIMS

//      T23: result #0: tensor<?x?xf32> (shape [3, 2])
// T23-NEXT: {{\[\[}}0, 3],
// T23-NEXT:  [1, 4],
// T23-NEXT:  [2, 5]]

//      T15: result #0: tensor<?x?xf32> (shape [5, 1])
// T15-NEXT: {{\[\[}}1],
// T15-NEXT:  [2],
// T15-NEXT:  [3],
// T15-NEXT:  [4],
// T15-NEXT:  [5]]

//      T03: result #0: tensor<?x?xf32> (shape [3, 0])
// T03-NEXT: {{\[\[}}],
// T03-NEXT:  [],
// T03-NEXT:  []]

//      T40: result #0: tensor<?x?xf32> (shape [0, 4])
// T40-NEXT: []

//      NPY: float32 (5, 1) [1.0, 2.0, 3.0, 4.0, 5.0]
// NPY-NEXT: float32 (3, 0) []
func.func @transpose(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%d1, %d0) : tensor<?x?xf32>
  %r = linalg.transpose ins(%a : tensor<?x?xf32>) outs(%e : tensor<?x?xf32>) permutation = [1, 0]
  return %r : tensor<?x?xf32>
}

// Partially dynamic.
//      ROWS: result #0: tensor<?x3xf32> (shape [2, 3])
// ROWS-NEXT: {{\[\[}}0, 2, 4],
// ROWS-NEXT:  [6, 8, 10]]
//      ROWS0: result #0: tensor<?x3xf32> (shape [0, 3])
// ROWS0-NEXT: []
func.func @double_rows(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%d0) : tensor<?x3xf32>
  %r = linalg.add ins(%a, %a : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// The sizes reach the function.
//      DIMS: result #0: index
// DIMS-NEXT: 1
// DIMS-NEXT: result #1: index
// DIMS-NEXT: 5
func.func @dims(%a: tensor<?x?xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?xf32>
  return %d0, %d1 : index, index
}
