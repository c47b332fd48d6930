// Matmuls through compress-to-llvm's register-tiled vector kernels, checked
// against numpy: a shape that fills whole 8x32 tiles, odd shapes whose edge
// tiles are smaller (13x37 @ 37x45: 5 remainder rows, a masked 13-column
// tile), a 1xN row, an Nx1 column, and a 1100x512 activation (2.2 MiB)
// that is split into row panels of 512 (the last one 76 rows, not a
// multiple of the 8-row block) with a masked 8-column tile.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(1); \
// RUN:   [np.save('%t/' + n + '.npy', r.standard_normal(s).astype(np.float32)) for n, s in \
// RUN:    [('a0', (16, 64)), ('b0', (64, 32)), ('a1', (13, 37)), ('b1', (37, 45)), \
// RUN:     ('a2', (1, 40)), ('b2', (40, 70)), ('a3', (40, 9)), ('b3', (9, 1)), \
// RUN:     ('a4', (1100, 512)), ('b4', (512, 40))]]"
// RUN: compress-run %s -e full_tiles --input %t/a0.npy --input %t/b0.npy --output %t/y0.npy
// RUN: compress-run %s -e odd --input %t/a1.npy --input %t/b1.npy --output %t/y1.npy
// RUN: compress-run %s -e row --input %t/a2.npy --input %t/b2.npy --output %t/y2.npy
// RUN: compress-run %s -e column --input %t/a3.npy --input %t/b3.npy --output %t/y3.npy
// RUN: compress-run %s -e panels --input %t/a4.npy --input %t/b4.npy --output %t/y4.npy
// RUN: %python -c "import numpy as np; \
// RUN:   l = lambda n: np.load('%t/' + n + '.npy').astype(np.float64); \
// RUN:   errs = [np.abs(l('y%%d' %% i) - l('a%%d' %% i) @ l('b%%d' %% i)).max() for i in range(5)]; \
// RUN:   print(['ok' if e < 1e-4 else 'BAD %%g' %% e for e in errs])" | FileCheck %s
// CHECK: ['ok', 'ok', 'ok', 'ok', 'ok']

// The kernels really are vectorized.
// RUN: compress-opt %s --compress-to-llvm | FileCheck %s --check-prefix=LLVM
// LLVM: llvm.intr.fmuladd{{.*}}vector<16xf32>

func.func @full_tiles(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>) -> tensor<16x32xf32> {
  %e = tensor.empty() : tensor<16x32xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>) outs(%i : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %y : tensor<16x32xf32>
}

func.func @odd(%a: tensor<13x37xf32>, %b: tensor<37x45xf32>) -> tensor<13x45xf32> {
  %e = tensor.empty() : tensor<13x45xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<13x45xf32>) -> tensor<13x45xf32>
  %y = linalg.matmul ins(%a, %b : tensor<13x37xf32>, tensor<37x45xf32>) outs(%i : tensor<13x45xf32>) -> tensor<13x45xf32>
  return %y : tensor<13x45xf32>
}

func.func @row(%a: tensor<1x40xf32>, %b: tensor<40x70xf32>) -> tensor<1x70xf32> {
  %e = tensor.empty() : tensor<1x70xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x70xf32>) -> tensor<1x70xf32>
  %y = linalg.matmul ins(%a, %b : tensor<1x40xf32>, tensor<40x70xf32>) outs(%i : tensor<1x70xf32>) -> tensor<1x70xf32>
  return %y : tensor<1x70xf32>
}

func.func @column(%a: tensor<40x9xf32>, %b: tensor<9x1xf32>) -> tensor<40x1xf32> {
  %e = tensor.empty() : tensor<40x1xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<40x1xf32>) -> tensor<40x1xf32>
  %y = linalg.matmul ins(%a, %b : tensor<40x9xf32>, tensor<9x1xf32>) outs(%i : tensor<40x1xf32>) -> tensor<40x1xf32>
  return %y : tensor<40x1xf32>
}

func.func @panels(%a: tensor<1100x512xf32>, %b: tensor<512x40xf32>) -> tensor<1100x40xf32> {
  %e = tensor.empty() : tensor<1100x40xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1100x40xf32>) -> tensor<1100x40xf32>
  %y = linalg.matmul ins(%a, %b : tensor<1100x512xf32>, tensor<512x40xf32>) outs(%i : tensor<1100x40xf32>) -> tensor<1100x40xf32>
  return %y : tensor<1100x40xf32>
}
