// RUN: compress-opt %s -split-input-file --compress-prune="structure=n:m n=2 m=4" | FileCheck %s --check-prefix=NM
// RUN: compress-opt %s -split-input-file --compress-prune="structure=n:m n=1 m=2" | FileCheck %s --check-prefix=NM12
// RUN: not compress-opt %s -split-input-file --compress-prune="sparsity=0.5 structure=block block=2x2" 2>/dev/null | FileCheck %s --check-prefix=BLOCK
// RUN: not compress-opt %s -split-input-file --compress-prune="sparsity=0.5 structure=block block=2x2" 2>&1 >/dev/null | FileCheck %s --check-prefix=BLOCKWARN

// 2:4 along k: each output column keeps its 2 largest of the 4. 1:2 keeps
// the larger of each pair.
// NM-LABEL: func.func @matmul
// NM:       arith.constant dense<{{\[}}[5.000000e-01, 0.000000e+00], [0.000000e+00, -0.699999988], [3.000000e-01, 0.000000e+00], [0.000000e+00, 0.899999976]]> : tensor<4x2xf32>
// The op records what was done (compress-report shows it):
// NM:         linalg.matmul {compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "2:4"}}
// NM12-LABEL: func.func @matmul
// NM12:       arith.constant dense<{{\[}}[5.000000e-01, 0.000000e+00], [0.000000e+00, -0.699999988], [3.000000e-01, 0.000000e+00], [0.000000e+00, 0.899999976]]> : tensor<4x2xf32>
// Blocks of 2 input channels x 2 output channels: [k 0-1] sums 1.35, [k 2-3]
// sums 1.41; the first block goes.
// BLOCK-LABEL: func.func @matmul
// BLOCK:       arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [3.000000e-01, 2.000000e-01], [-0.00999999977, 0.899999976]]> : tensor<4x2xf32>
// BLOCK:       linalg.matmul {compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "block 2x2"}}
func.func @matmul(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[0.5, -0.1], [0.05, -0.7], [0.3, 0.2], [-0.01, 0.9]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// An NCHW convolution: n:m runs along the input channels (c), separately
// for each kernel position (kw = 0: 0.1, -0.4, 0.3, 0.2 keeps -0.4 and 0.3;
// kw = 1: 0.5, 0.6, -0.7, 0.8 keeps -0.7 and 0.8; 1:2 keeps the larger of
// each pair of channels). With 2x2 blocks, the one output channel is not a
// multiple of 2: the layer would stay dense (a warning), and since no layer
// of the module fits, that is an error.
// NM-LABEL: func.func @conv
// NM:       arith.constant dense<{{\[\[\[}}[0.000000e+00, 0.000000e+00]], {{\[\[}}-4.000000e-01, 0.000000e+00]], {{\[\[}}3.000000e-01, -0.699999988]], {{\[\[}}0.000000e+00, 8.000000e-01]]]]> : tensor<1x4x1x2xf32>
// NM12-LABEL: func.func @conv
// NM12:       arith.constant dense<{{\[\[\[}}[0.000000e+00, 0.000000e+00]], {{\[\[}}-4.000000e-01, 6.000000e-01]], {{\[\[}}3.000000e-01, 0.000000e+00]], {{\[\[}}0.000000e+00, 8.000000e-01]]]]> : tensor<1x4x1x2xf32>
// BLOCKWARN:   warning: compress-prune: structure=block leaves linalg.conv_2d_nchw_fchw (conv/0) with a 'tensor<1x4x1x2xf32>' weight dense: block=2x2 does not divide its 1 output channels
// BLOCKWARN:   error: compress-prune: structure=block fits none of the weights (see the warnings)
// BLOCK-NOT:   func.func @conv
func.func @conv(%x: tensor<1x4x3x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<[[[[0.1, 0.5]], [[-0.4, 0.6]], [[0.3, -0.7]], [[0.2, 0.8]]]]> : tensor<1x4x1x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x3x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x3x4xf32>, tensor<1x4x1x2xf32>) outs(%f : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
