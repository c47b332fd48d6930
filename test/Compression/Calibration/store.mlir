// The calibration store written by compress-run --calibration-out (format
// version 2): statistics in JSON, each Gram matrix X^T X a float64 .npy file
// in <json stem>.gram/ named from its key, referenced by a path relative to
// the JSON file. compress-calib reads it back through the store's reader;
// numpy loads the Gram files, whose values equal X^T X of the batches
// computed here (all products are small integers, so the sums are exact).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t/out
// RUN: compress-opt %S/Inputs/model.mlir --compress-instrument -o %t/inst.mlir
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/b0.npy', np.array([[1, 2], [3, -4], [0, 1]], np.float32)); \
// RUN:   np.save('%t/b1.npy', np.array([[-2, 1]], np.float32))"
// RUN: compress-run %t/inst.mlir -e f --input %t/b0.npy --input %t/b1.npy \
// RUN:   --calibration-out %t/out/calib.json --output %t/y.npy
// RUN: compress-calib %t/out/calib.json --gram | FileCheck %s

// CHECK:      version 2, batches 2, 2 tensor(s)
// CHECK-NEXT: f/0: count 8, nans 0, infs 0, min -4, max 3
// CHECK-NEXT:   range entropy: [-4, 3]
// CHECK-NEXT:   range minmax: [-4, 3]
// CHECK-NEXT:   range percentile: [-4, 3]
// CHECK-NEXT:   histogram: 2048 bins over [-4, 4], 8 values
// CHECK-NEXT:   gram: 2 x 2, 4 rows, calib.gram/f_0-{{[0-9a-f]+}}.npy
// CHECK-NEXT:   gram values: trace 36, symmetric
// CHECK-NEXT: f/1: count 12, nans 0, infs 0, min 0, max 10
// CHECK:        gram: 3 x 3, 4 rows, calib.gram/f_1-{{[0-9a-f]+}}.npy
// CHECK-NEXT:   gram values: trace 116.25, symmetric

// The Gram files against numpy, and the directory holds nothing else (the
// JSON is written through a temporary file that is renamed).
// RUN: %python -c "import json, os, numpy as np; \
// RUN:   d = json.load(open('%t/out/calib.json')); \
// RUN:   x = np.concatenate([np.load('%t/b0.npy'), np.load('%t/b1.npy')]).astype(np.float64); \
// RUN:   w0 = np.array([[1, -1, 2], [0.5, 1, -1]]); h = np.maximum(x @ w0, 0); \
// RUN:   g = lambda k: np.load(os.path.join('%t/out', d['tensors'][k]['gram']['file'])); \
// RUN:   print(g('f/0').dtype, np.array_equal(g('f/0'), x.T @ x), np.array_equal(g('f/1'), h.T @ h)); \
// RUN:   print(sorted(os.listdir('%t/out')), len(os.listdir('%t/out/calib.gram')))" \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// NUMPY:      float64 True True
// NUMPY-NEXT: ['calib.gram', 'calib.json'] 2

// The store can be moved with its .gram directory (paths are relative), and
// written again over an existing one.
// RUN: mv %t/out %t/moved
// RUN: compress-calib %t/moved/calib.json --gram --key f/1 | FileCheck %s --check-prefix=MOVED
// MOVED: f/1: count 12
// MOVED: gram values: trace 116.25, symmetric
// RUN: compress-run %t/inst.mlir -e f --input %t/b1.npy --calibration-out %t/moved/calib.json --output %t/y.npy
// RUN: compress-calib %t/moved/calib.json --gram | FileCheck %s --check-prefix=AGAIN
// AGAIN: version 2, batches 1, 2 tensor(s)
// AGAIN: gram: 2 x 2, 1 rows

// A calibration file name without ".json" gets "<name>.gram".
// RUN: compress-run %t/inst.mlir -e f --input %t/b1.npy --calibration-out %t/plain --output %t/y.npy
// RUN: compress-calib %t/plain --gram | FileCheck %s --check-prefix=PLAIN
// PLAIN: gram: 2 x 2, 1 rows, plain.gram/f_0-{{[0-9a-f]+}}.npy

// compress-quantize reads the ranges of the same file.
// RUN: compress-opt %S/Inputs/model.mlir --compress-quantize="mode=static calibration=%t/moved/calib.json" \
// RUN:   | FileCheck %s --check-prefix=STATIC
// STATIC-COUNT-2: compress.quantize

// The Gram benchmark of compress-calib (docs/calibration.md has the 4096
// figures) on a small matrix.
// RUN: compress-calib --benchmark-gram 64 %t/bench | FileCheck %s --check-prefix=BENCH
// BENCH: gram 64 x 64: accumulate {{[0-9.]+}} s (8 rows), write {{[0-9.]+}} s, read {{[0-9.]+}} s, file 32896 bytes (1.0039 x n*n*8)
