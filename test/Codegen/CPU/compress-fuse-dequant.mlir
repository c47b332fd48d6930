// RUN: compress-opt %s -split-input-file --convert-compress-to-linalg --convert-elementwise-to-linalg --compress-fuse-dequant --canonicalize | FileCheck %s

// An int4 weight decoded inside the matmul: the kernel reads the i4 codes
// (compress-tile-and-vectorize packs them) and the zero points; the
// per-channel scale is applied to the sums by an elementwise op after it
// (init + sum * scale, the init being an argument); no f32 weight remains.
// CHECK-DAG:   #[[$W:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG:   #[[$CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$CH2:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @int4_matmul
// CHECK-SAME:    (%[[X:.*]]: tensor<2x4xf32>, %[[INIT:.*]]: tensor<2x3xf32>)
// CHECK-DAG:   %[[CODES:.*]] = arith.constant dense<{{\[}}[1, -2, 3], [7, -8, 0], [1, 1, 1], [2, 2, 2]]> : tensor<4x3xi4>
// CHECK-DAG:   %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf16>
// CHECK-DAG:   %[[ZPS:.*]] = arith.constant dense<[0, 0, 1]> : tensor<3xi8>
// CHECK:       %[[ZERO:.*]] = linalg.fill
// CHECK:       %[[SUMS:.*]] = linalg.generic
// CHECK-SAME:    #[[$W]], #[[$CH]]
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:    ins(%[[X]], %[[CODES]], %[[ZPS]] : tensor<2x4xf32>, tensor<4x3xi4>, tensor<3xi8>) outs(%[[ZERO]] :
// CHECK:         arith.extsi %{{.*}} : i4 to i32
// CHECK:         arith.subi
// CHECK:         arith.sitofp
// CHECK-NEXT:    arith.mulf
// CHECK-NEXT:    arith.addf
// CHECK:       linalg.generic
// CHECK-SAME:    [#[[$ID]], #[[$CH2]], #[[$ID]]]
// CHECK-SAME:    ins(%[[SUMS]], %[[SCALES]] : tensor<2x3xf32>, tensor<3xf16>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK:         arith.extf
// CHECK-NEXT:    arith.mulf
// CHECK-NEXT:    arith.addf
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

// -----

// A zero-filled accumulator: the sums are scaled, with nothing to add.
// CHECK-LABEL: func.func @scale_after_zero_fill
// CHECK:       %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:       %[[ZERO:.*]] = linalg.fill {{.*}} outs(%[[EMPTY]]
// CHECK:       %[[SUMS:.*]] = linalg.generic {{.*}} outs(%[[ZERO]]
// CHECK:       linalg.generic {{.*}} ins(%[[SUMS]], %{{.*}} : tensor<2x3xf32>, tensor<3xf32>) outs(%[[EMPTY]]
// CHECK-NEXT:  ^bb0
// CHECK-NEXT:    arith.mulf
// CHECK-NEXT:    linalg.yield
func.func @scale_after_zero_fill(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %q = arith.constant dense<[[1, -2, 3], [7, -8, 0], [1, 1, 1], [2, 2, 2]]> : tensor<4x3xi8>
  %w = compress.dequantize %q : tensor<4x3xi8> -> tensor<4x3xf32>, #compress.quant<i8, scales = [0.5, 0.25, 0.1], zero_points = [0, 0, 0], axis = 1>
  %e = tensor.empty() : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%i : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// Per-group scales change along the reduction, so they stay in the kernel,
// which splits the reduction into groups (d2) and their elements (d3): the
// activation is expanded to [2, 2, 2], the codes reshaped to [2, 2, 3], and
// the scale index (k floordiv 2) * 3 + n becomes d2 * 3 + n, so kernels can
// load a group's scales once.
// CHECK-DAG:   #[[$GX:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG:   #[[$GW:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d1)>
// CHECK-DAG:   #[[$GS:.*]] = affine_map<(d0, d1, d2, d3) -> (d2 * 3 + d1)>
// CHECK-LABEL: func.func @group_scales
// CHECK:       %[[Q:.*]] = arith.constant dense<{{\[}}{{\[}}[1, -2, 3], [7, -8, 0]], {{\[}}[1, 1, 1], [2, 2, 2]]]> : tensor<2x2x3xi8>
// CHECK:       %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [2, 2, 2] : tensor<2x4xf32> into tensor<2x2x2xf32>
// CHECK:       linalg.generic {indexing_maps = [#[[$GX]], #[[$GW]], #[[$GS]], #{{[a-z0-9]+}}]
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME:    ins(%[[X]], %[[Q]], %{{.*}} : tensor<2x2x2xf32>, tensor<2x2x3xi8>, tensor<6xf32>)
// CHECK:         arith.sitofp
// CHECK:         arith.mulf
// CHECK:         arith.mulf
// CHECK:         arith.addf
// CHECK-NOT:   linalg.generic
func.func @group_scales(%x: tensor<2x4xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = arith.constant dense<[[1, -2, 3], [7, -8, 0], [1, 1, 1], [2, 2, 2]]> : tensor<4x3xi8>
  %w = compress.dequantize %q : tensor<4x3xi8> -> tensor<4x3xf32>, #compress.quant<i8, scales = [0.5, 0.25, 0.1, 1.0, 2.0, 4.0], zero_points = [0, 0, 0, 0, 0, 0], axis = 1, group_size = 2>
  %m = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// An int4 decode that is not fused (its consumer does not reduce) reads its
// codes packed two per byte, low nibble first: 1, -2 -> 0xE1 = -31;
// 3, 7 -> 0x73 = 115; -8, 0 -> 0x08.
// CHECK-DAG:   #[[$PACK:.*]] = affine_map<(d0) -> (d0 floordiv 2)>
// CHECK-LABEL: func.func @unfused_int4_packed
// CHECK:       %[[B:.*]] = arith.constant dense<[-31, 115, 8]> : tensor<3xi8>
// CHECK:       linalg.generic {indexing_maps = [#[[$PACK]], #{{.*}}]
// CHECK-SAME:    ins(%[[B]] : tensor<3xi8>)
// CHECK:         linalg.index 0
// CHECK:         arith.remui
// CHECK:         arith.shrui
// CHECK:         arith.trunci %{{.*}} : i8 to i4
// CHECK:         arith.extsi %{{.*}} : i4 to i32
// CHECK-NOT:   tensor<6xi4>
func.func @unfused_int4_packed(%x: tensor<6xf32>) -> tensor<6xf32> {
  %q = arith.constant dense<[1, -2, 3, 7, -8, 0]> : tensor<6xi4>
  %w = compress.dequantize %q : tensor<6xi4> -> tensor<6xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0]>
  %y = arith.addf %x, %w : tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

// Negative: a convolution's groups run over its whole (c, kh, kw) slice, so
// the group index is no plain reduction dim divided by the group size: the
// reduction is not split.
// CHECK-LABEL: func.func @negative_conv_groups
// CHECK:       linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-NOT:   tensor.expand_shape
func.func @negative_conv_groups(%x: tensor<1x2x4x4xf32>, %init: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %q = arith.constant dense<1> : tensor<2x2x3x3xi8>
  %w = compress.dequantize %q : tensor<2x2x3x3xi8> -> tensor<2x2x3x3xf32>, #compress.quant<i8, scales = [0.5, 0.25, 0.1, 1.0], zero_points = [0, 0, 0, 0], axis = 0, group_size = 9>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
