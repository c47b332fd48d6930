// Two threads (compress-to-llvm threads=2, OpenMP): every kernel's outer loop
// is shared. An odd-shaped matmul with a dynamic batch (vector tiles shared)
// and an NCHW convolution with a fused bias + relu epilogue (output rows
// shared), checked against numpy and against the one-thread build.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(5); \
// RUN:   [np.save('%t/' + n + '.npy', r.standard_normal(s).astype(np.float32)) for n, s in \
// RUN:    [('a', (37, 50)), ('b', (50, 133)), ('x', (1, 3, 20, 21)), ('w', (16, 3, 3, 3)), ('bias', (16,))]]"
// RUN: %no_leak_check compress-run %s -e matmul --input %t/a.npy --input %t/b.npy --output %t/y2.npy --compress-to-llvm-options=threads=2
// RUN: compress-run %s -e matmul --input %t/a.npy --input %t/b.npy --output %t/y1.npy
// RUN: %no_leak_check compress-run %s -e conv --input %t/x.npy --input %t/w.npy --input %t/bias.npy --output %t/c2.npy --compress-to-llvm-options=threads=2
// RUN: %python -c "import numpy as np; \
// RUN:   l = lambda n: np.load('%t/' + n + '.npy').astype(np.float64); \
// RUN:   x, w = l('x'), l('w'); \
// RUN:   ref = sum(np.einsum('nchw,fc->nfhw', x[:, :, i:i + 18, j:j + 19], w[:, :, i, j]) for i in range(3) for j in range(3)); \
// RUN:   ref = np.maximum(ref + l('bias').reshape(1, -1, 1, 1), 0); \
// RUN:   print('matmul', np.abs(l('y2') - l('a') @ l('b')).max() < 1e-4, (l('y2') == l('y1')).all()); \
// RUN:   print('conv', np.abs(l('c2') - ref).max() < 1e-4)" | FileCheck %s
// CHECK: matmul True True
// CHECK: conv True
//
// RUN: compress-opt %s --compress-to-llvm=threads=2 | FileCheck %s --check-prefix=IR
// IR-COUNT-2: omp.parallel num_threads(%{{.*}} : i32)

func.func @matmul(%a: tensor<?x50xf32>, %b: tensor<50x133xf32>) -> tensor<?x133xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x50xf32>
  %e = tensor.empty(%n) : tensor<?x133xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<?x133xf32>) -> tensor<?x133xf32>
  %y = linalg.matmul ins(%a, %b : tensor<?x50xf32>, tensor<50x133xf32>) outs(%i : tensor<?x133xf32>) -> tensor<?x133xf32>
  return %y : tensor<?x133xf32>
}

func.func @conv(%x: tensor<1x3x20x21xf32>, %w: tensor<16x3x3x3xf32>, %bias: tensor<16xf32>) -> tensor<1x16x18x19xf32> {
  %e = tensor.empty() : tensor<1x16x18x19xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x18x19xf32>) -> tensor<1x16x18x19xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x20x21xf32>, tensor<16x3x3x3xf32>) outs(%i : tensor<1x16x18x19xf32>) -> tensor<1x16x18x19xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, f, h, w) -> (n, f, h, w)>, affine_map<(n, f, h, w) -> (f)>, affine_map<(n, f, h, w) -> (n, f, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %bias : tensor<1x16x18x19xf32>, tensor<16xf32>) outs(%e : tensor<1x16x18x19xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %s = arith.addf %v, %b : f32
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x16x18x19xf32>
  return %r : tensor<1x16x18x19xf32>
}
