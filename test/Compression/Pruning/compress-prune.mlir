// RUN: compress-opt %s -split-input-file --compress-prune=sparsity=0.5 | FileCheck %s
// RUN: compress-opt %s -split-input-file --compress-prune="sparsity=0.5 scope=global" | FileCheck %s --check-prefix=GLOBAL
// RUN: compress-opt %s -split-input-file --compress-prune="sparsity=0" | FileCheck %s --check-prefix=NONE

// The 4 of 8 weights of least |w| are zeroed (sparsity=0.5); the rows of
// the matmul weight are its output channels' columns (k x n: 2 rows of 4).
// CHECK-LABEL: func.func @matmul
// CHECK:       arith.constant dense<{{\[}}[5.000000e-01, 0.000000e+00], [0.000000e+00, -0.699999988], [3.000000e-01, 0.000000e+00], [0.000000e+00, 0.899999976]]> : tensor<4x2xf32>
// CHECK-NOT:   arith.constant dense<{{\[}}[5.000000e-01, -1.000000e-01]
// NONE-LABEL: func.func @matmul
// NONE:       arith.constant dense<{{\[}}[5.000000e-01, -1.000000e-01], [5.000000e-02, -0.699999988], [3.000000e-01, 2.000000e-01], [-0.00999999977, 0.899999976]]> : tensor<4x2xf32>
func.func @matmul(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[0.5, -0.1], [0.05, -0.7], [0.3, 0.2], [-0.01, 0.9]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// An NCHW convolution: unstructured 50% keeps the 4 largest of all 8 (all
// at kw = 1).
// CHECK-LABEL: func.func @conv
// CHECK:       arith.constant dense<{{\[\[\[}}[0.000000e+00, 5.000000e-01]], {{\[\[}}0.000000e+00, 6.000000e-01]], {{\[\[}}0.000000e+00, -0.699999988]], {{\[\[}}0.000000e+00, 8.000000e-01]]]]> : tensor<1x4x1x2xf32>
func.func @conv(%x: tensor<1x4x3x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<[[[[0.1, 0.5]], [[-0.4, 0.6]], [[0.3, -0.7]], [[0.2, 0.8]]]]> : tensor<1x4x1x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x3x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x3x4xf32>, tensor<1x4x1x2xf32>) outs(%f : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// Two layers: per layer, each loses half; with scope=global one threshold
// over both takes the 4 smallest of all 8, all from the small layer.
// CHECK-LABEL: func.func @two_layers
// CHECK:       arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e-02, 4.000000e-02]]> : tensor<2x2xf32>
// CHECK:       arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// GLOBAL-LABEL: func.func @two_layers
// GLOBAL-DAG:   arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// GLOBAL-DAG:   arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
func.func @two_layers(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %a = arith.constant dense<[[0.01, 0.02], [0.03, 0.04]]> : tensor<2x2xf32>
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %h = linalg.matmul ins(%x, %a : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = linalg.matmul ins(%h, %b : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A depthwise convolution: each channel is a row of its own (3 x 1 kernel
// positions); half of all 6 weights go.
// CHECK-LABEL: func.func @depthwise
// CHECK:       arith.constant dense<{{\[}}{{\[}}[0.000000e+00, 0.000000e+00]], {{\[}}[5.000000e-01, 0.000000e+00]], {{\[}}[-0.899999976, 6.000000e-01]]]> : tensor<3x1x2xf32>
func.func @depthwise(%x: tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[0.1, -0.2]], [[0.5, 0.3]], [[-0.9, 0.6]]]> : tensor<3x1x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x2x2xf32>, tensor<3x1x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Two layers sharing one weight: each gets its pruned copy, the shared
// constant goes once.
// CHECK-LABEL: func.func @shared_weight
// CHECK-COUNT-2: arith.constant dense<{{\[}}[0.000000e+00, 2.000000e+00], [3.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT:     dense<{{\[}}[1.000000e+00
func.func @shared_weight(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 0.5]]> : tensor<2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = linalg.matmul ins(%y, %w : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %a, %b : tensor<1x2xf32>, tensor<1x2xf32>
}
