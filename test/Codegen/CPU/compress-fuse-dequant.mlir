// RUN: compress-opt %s -split-input-file --convert-compress-to-linalg --convert-elementwise-to-linalg --compress-fuse-dequant --canonicalize | FileCheck %s

// An int4 weight (packed two per byte) decoded inside the matmul: the kernel
// reads the packed bytes and the scales; no f32 weight tensor remains.
// CHECK-DAG:   #[[$PACKED:.*]] = affine_map<(d0, d1, d2) -> ((d2 * 3 + d1) floordiv 2)>
// CHECK-DAG:   #[[$CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @int4_matmul
// CHECK-DAG:   %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf16>
// CHECK-DAG:   %[[ZPS:.*]] = arith.constant dense<[0, 0, 1]> : tensor<3xi8>
// CHECK-DAG:   %[[BYTES:.*]] = arith.constant dense<[-31, 115, 8, 17, 33, 34]> : tensor<6xi8>
// CHECK:       linalg.generic
// CHECK-SAME:    #[[$PACKED]], #[[$CH]], #[[$CH]]
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:    ins(%{{.*}}, %[[BYTES]], %[[SCALES]], %[[ZPS]] : tensor<2x4xf32>, tensor<6xi8>, tensor<3xf16>, tensor<3xi8>)
// CHECK:         arith.shli
// CHECK:         arith.shrsi
// CHECK:         arith.sitofp
// CHECK:         arith.mulf
// CHECK:         arith.mulf
// CHECK:         arith.addf
// CHECK-NOT:   tensor<4x3xf32>
// CHECK-NOT:   linalg.matmul
func.func @int4_matmul(%x: tensor<2x4xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = arith.constant dense<[[1, -2, 3], [7, -8, 0], [1, 1, 1], [2, 2, 2]]> : tensor<4x3xi4>
  %w = compress.dequantize %q : tensor<4x3xi4> -> tensor<4x3xf32>, #compress.quant<i4, scales = [0.5, 0.25, 1.0], zero_points = [0, 0, 1], axis = 1>
  %m = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// A bf16 weight is widened inside the convolution.
// CHECK-LABEL: func.func @bf16_conv
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%{{.*}}, %{{.*}} : tensor<1x1x3x3xf32>, tensor<2x1x2x2xbf16>)
// CHECK:         arith.extf %{{.*}} : bf16 to f32
// CHECK-NOT:   linalg.conv_2d_nchw_fchw
func.func @bf16_conv(%x: tensor<1x1x3x3xf32>, %init: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %c = arith.constant dense<[[[[1.0, -4.0], [2.0, 0.5]]], [[[3.0, 0.0], [-1.0, 1.0]]]]> : tensor<2x1x2x2xbf16>
  %w = compress.widen %c : tensor<2x1x2x2xbf16> -> tensor<2x1x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Negative: a decode of a run-time tensor is not a constant decode; the
// matmul stays a named op.
// CHECK-LABEL: func.func @negative_runtime_codes
// CHECK:       linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "parallel"]
// CHECK:       linalg.matmul
func.func @negative_runtime_codes(%x: tensor<2x4xf32>, %q: tensor<4x3xi8>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = compress.dequantize %q : tensor<4x3xi8> -> tensor<4x3xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  %m = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// Negative: a decode consumed by an elementwise op (no reduction) is left
// alone.
// CHECK-LABEL: func.func @negative_elementwise_consumer
// CHECK:       %[[W:.*]] = linalg.generic
// CHECK:       linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
func.func @negative_elementwise_consumer(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi8>
  %w = compress.dequantize %q : tensor<4xi8> -> tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  %y = arith.addf %x, %w : tensor<4xf32>
  return %y : tensor<4xf32>
}
