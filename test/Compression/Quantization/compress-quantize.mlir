// RUN: compress-opt %s -split-input-file --compress-quantize | FileCheck %s --check-prefix=CHANNEL
// RUN: compress-opt %s -split-input-file --compress-quantize=granularity=per-tensor | FileCheck %s --check-prefix=TENSOR
// RUN: compress-opt %s -split-input-file --compress-quantize='bits=4 granularity=per-group group-size=2' | FileCheck %s --check-prefix=GROUP
// RUN: compress-opt %s -split-input-file --compress-quantize=symmetric=false | FileCheck %s --check-prefix=ASYM
// RUN: compress-opt %s -split-input-file --compress-quantize='bits=4 scheme=log2' | FileCheck %s --check-prefix=LOG2
// RUN: compress-opt %s -split-input-file --compress-quantize=float-type=bf16 | FileCheck %s --check-prefix=BF16
// RUN: compress-opt %s -split-input-file --compress-quantize=mode=dynamic | FileCheck %s --check-prefix=DYN
// RUN: compress-opt %s -split-input-file --compress-quantize='mode=dynamic bits=4' | FileCheck %s --check-prefix=DYN4

// The weight of a matmul: 4x2, output channels along dimension 1.

// CHANNEL-LABEL: func.func @matmul
// CHANNEL-NOT:   arith.constant {{.*}}xf32>
// CHANNEL:       %[[Q:.*]] = arith.constant dense<{{\[}}[64, -64], [32, 127], [-64, 0], [127, 32]]> : tensor<4x2xi8>
// CHANNEL:       %[[W:.*]] = compress.dequantize %[[Q]] : tensor<4x2xi8> -> tensor<4x2xf32>, #compress.quant<i8, scales = [0.0157470703125, 0.031494140625], zero_points = [0, 0], axis = 1>
// CHANNEL:       linalg.matmul ins(%{{.*}}, %[[W]] : tensor<?x4xf32>, tensor<4x2xf32>)

// TENSOR-LABEL:  func.func @matmul
// TENSOR:        arith.constant dense<{{\[}}[32, -64], [16, 127], [-32, 0], [64, 32]]> : tensor<4x2xi8>
// TENSOR:        #compress.quant<i8, scales = [0.031496062992125984], zero_points = [0]>

// Groups of 2 along the reduction. Per-channel and per-group scales are
// rounded to f16 so that they are stored in half precision.
// GROUP-LABEL:   func.func @matmul
// GROUP:         arith.constant dense<{{\[}}[7, -4], [4, 7], [-4, 0], [7, 7]]> : tensor<4x2xi4>
// GROUP:         #compress.quant<i4, scales = [0.142822265625, 0.28564453125, 0.5712890625, 0.142822265625], zero_points = [0, 0, 0, 0], axis = 1, group_size = 2>

// ASYM-LABEL:    func.func @matmul
// ASYM:          arith.constant dense<{{\[}}[42, -128], [0, 127], [-128, -43], [127, 0]]> : tensor<4x2xi8>
// ASYM:          #compress.quant<i8, scales = [0.0117645263671875, 0.023529052734375], zero_points = [-43, -43], axis = 1>

// Sign + exponent codes: 1 -> 2 * 2^-1 (code 2), 0.5 -> 2^-2 (code 3).
// LOG2-LABEL:    func.func @matmul
// LOG2:          arith.constant dense<{{\[}}[2, -2], [3, 1], [-2, 0], [1, 3]]> : tensor<4x2xi4>
// LOG2:          #compress.quant<i4, scales = [2.000000e+00, 4.000000e+00], zero_points = [0, 0], axis = 1, scheme = log2>

// BF16-LABEL:    func.func @matmul
// BF16:          %[[C:.*]] = arith.constant dense<{{.*}}> : tensor<4x2xbf16>
// BF16:          %[[E:.*]] = compress.widen %[[C]] : tensor<4x2xbf16> -> tensor<4x2xf32>
// BF16:          linalg.matmul ins(%{{.*}}, %[[E]] :

// Dynamic: run-time activation scale, integer kernel, then the epilogue
// out + (acc - zp * sum_k(w)) * (s_w * s_x).
// DYN-DAG:       #[[$ACT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// DYN-DAG:       #[[$WGT:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// DYN-DAG:       #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// DYN-DAG:       #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// DYN-DAG:       #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// DYN-DAG:       #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// DYN-LABEL:     func.func @matmul
// DYN-SAME:      %[[X:.*]]: tensor<?x4xf32>, %[[INIT:.*]]: tensor<?x2xf32>
// DYN:           %[[XQ:.*]], %[[S:.*]], %[[ZP:.*]] = compress.dynamic_quantize %[[X]] symmetric : tensor<?x4xf32> -> tensor<?x4xi8>, tensor<f32>, tensor<i32>
// DYN:           %[[WQ:.*]] = arith.constant dense<{{\[}}[64, -64], [32, 127], [-64, 0], [127, 32]]> : tensor<4x2xi8>
// DYN:           %[[ACC0:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<?x2xi32>)
// DYN:           %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$ACT]], #[[$WGT]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// DYN-SAME:        ins(%[[XQ]], %[[WQ]] : tensor<?x4xi8>, tensor<4x2xi8>) outs(%[[ACC0]] : tensor<?x2xi32>)
// DYN-SAME:        compress.weight_quant = #compress.quant<i8
// DYN:             arith.extsi
// DYN:             arith.extsi
// DYN:             arith.muli
// DYN:             arith.addi
// DYN:           %[[SUMS:.*]] = arith.constant dense<[159, 95]> : tensor<2xi32>
// DYN:           %[[SCALES:.*]] = arith.constant dense<[0.0157470703, 0.0314941406]> : tensor<2xf32>
// DYN:           linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$SCALAR]], #[[$SCALAR]], #[[$ID]]]
// DYN-SAME:        ins(%[[ACC]], %[[SUMS]], %[[SCALES]], %[[S]], %[[ZP]] : tensor<?x2xi32>, tensor<2xi32>, tensor<2xf32>, tensor<f32>, tensor<i32>) outs(%[[INIT]] : tensor<?x2xf32>)
// DYN-NOT:       linalg.matmul
// 4-bit weights (codes in [-7, 7]) in the same integer kernel: i8 x i4.
// DYN4-LABEL:    func.func @matmul
// DYN4:          compress.dynamic_quantize
// DYN4:          arith.constant dense<{{\[}}[4, -4], [2, 7], [-4, 0], [7, 2]]> : tensor<4x2xi4>
// DYN4:          linalg.generic
// DYN4-SAME:       tensor<?x4xi8>, tensor<4x2xi4>) outs(%{{.*}} : tensor<?x2xi32>)
// DYN4-SAME:       compress.weight_quant = #compress.quant<i4, scales = [0.28564453125, 0.5712890625], zero_points = [0, 0], axis = 1>
// DYN4:          arith.extsi %{{.*}} : i4 to i32
// DYN4:          arith.constant dense<[9, 5]> : tensor<2xi32>
func.func @matmul(%x: tensor<?x4xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0], [-1.0, 0.0], [2.0, 1.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A convolution's output channel is the filter's dimension 0 (FCHW).
// CHANNEL-LABEL: func.func @conv
// CHANNEL:       compress.dequantize %{{.*}} : tensor<2x1x2x2xi8> -> tensor<2x1x2x2xf32>, #compress.quant<i8, scales = [0.031494140625, 0.02362060546875], zero_points = [0, 0], axis = 0>
// Over one input channel an integer convolution cannot pay for quantizing
// its activation (3 of 4 VNNI lanes would be padding): mode=dynamic
// quantizes the weight only.
// DYN-LABEL:     func.func @conv
// DYN-NOT:       compress.dynamic_quantize
// DYN:           compress.dequantize %{{.*}} : tensor<2x1x2x2xi8> -> tensor<2x1x2x2xf32>
// DYN:           linalg.conv_2d_nchw_fchw
func.func @conv(%x: tensor<1x1x3x3xf32>, %init: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, -4.0], [2.0, 0.5]]], [[[3.0, 0.0], [-1.0, 1.0]]]]> : tensor<2x1x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Negative: a weight that is not a constant, an f64 constant, and a pooling
// op are left unchanged in every mode.
// CHANNEL-LABEL: func.func @negative_not_constant
// CHANNEL-NOT:   compress.
// CHANNEL:       linalg.matmul
// DYN-LABEL:     func.func @negative_not_constant
// DYN-NOT:       compress.
// DYN:           linalg.matmul
func.func @negative_not_constant(%x: tensor<2x4xf32>, %w: tensor<4x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// CHANNEL-LABEL: func.func @negative_f64
// CHANNEL-NOT:   compress.
// CHANNEL:       arith.constant dense<1.000000e+00> : tensor<4x2xf64>
func.func @negative_f64(%x: tensor<2x4xf64>, %init: tensor<2x2xf64>) -> tensor<2x2xf64> {
  %w = arith.constant dense<1.0> : tensor<4x2xf64>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf64>, tensor<4x2xf64>) outs(%init : tensor<2x2xf64>) -> tensor<2x2xf64>
  return %y : tensor<2x2xf64>
}

// -----

// CHANNEL-LABEL: func.func @negative_pooling
// CHANNEL-NOT:   compress.
// CHANNEL:       linalg.pooling_nchw_max
func.func @negative_pooling(%x: tensor<1x1x4x4xf32>, %init: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %window = arith.constant dense<0.0> : tensor<2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}
