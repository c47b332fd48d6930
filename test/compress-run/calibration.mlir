// Calibration: compress-instrument marks the matmul's input, and compress-run
// --calibration-out calls the model once per input batch and writes the
// streamed statistics. Two batches [[1, 2], [3, 4]] and [[-1, 0]]: 6 values
// from -1 to 4, and X^T X = [[1+9+1, 2+12], [2+12, 4+16]] = [[11, 14], [14, 20]]
// over 3 rows. The Gram matrix is a float64 .npy file in calib.gram/, named
// by the JSON (format version 2).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/a.npy', np.array([[1, 2], [3, 4]], np.float32)); \
// RUN:   np.save('%t/b.npy', np.array([[-1, 0]], np.float32))"
// RUN: compress-opt %s --compress-instrument -o %t/inst.mlir
// RUN: compress-run %t/inst.mlir -e f --input %t/a.npy --input %t/b.npy --calibration-out %t/calib.json --output %t/y.npy
// RUN: %python -c "import json, numpy as np; d = json.load(open('%t/calib.json')); t = d['tensors']['f/0']; \
// RUN:   print(d['version'], d['batches'], sorted(d['tensors'])); \
// RUN:   print(t['count'], t['min'], t['max'], t['nans'], t['ranges']['minmax']); \
// RUN:   g = np.load('%t/' + t['gram']['file']); \
// RUN:   print(t['gram']['size'], t['gram']['rows'], t['gram']['file'], g.dtype, g.ravel().tolist()); \
// RUN:   print(sum(t['histogram']['bins']), t['histogram']['range']); \
// RUN:   lo, hi = t['ranges']['percentile']; print(-1 <= lo <= hi <= 4); \
// RUN:   lo, hi = t['ranges']['entropy']; print(-1 <= lo <= hi <= 4)" | FileCheck %s
// The results are those of the last batch.
// RUN: %python -c "import numpy as np; print(np.load('%t/y.npy').tolist())" | FileCheck %s --check-prefix=RESULT

// CHECK:      2 2 ['f/0']
// CHECK-NEXT: 6 -1 4 0 [-1, 4]
// CHECK-NEXT: 2 3 calib.gram/f_0-{{[0-9a-f]+}}.npy float64 {{\[}}11.0, 14.0, 14.0, 20.0]
// CHECK-NEXT: 6 4
// CHECK-NEXT: True
// CHECK-NEXT: True
// RESULT: {{\[}}[-1.0, 0.0]]

// The calibrated ranges feed static quantization.
// RUN: compress-opt %s --compress-quantize="mode=static calibration=%t/calib.json" | FileCheck %s --check-prefix=STATIC
// STATIC: compress.quantize %{{.*}} : tensor<?x2xf32> -> tensor<?x2xi8>, #compress.quant<i8, scales = [0.031496062992125984], zero_points = [0]>

func.func @f(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%i : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
