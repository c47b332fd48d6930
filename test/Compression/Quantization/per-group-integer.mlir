// Per-group weights with quantized activations (mode=dynamic|static,
// granularity=per-group): the reduction is split into (group, element),
// the integer products are scaled per group and column, and the epilogue
// removes the activation zero point through c[n] = sum_k scale * code.
// RUN: compress-opt %s -split-input-file -verify-diagnostics \
// RUN:   --compress-quantize='mode=dynamic bits=4 granularity=per-group group-size=2' | FileCheck %s
// compress-report counts the kernel's codes and its scales (f16, all being
// exact in f16): 8 codes in 4 bytes + 4 scales in 8, against 32 f32 bytes.
// RUN: compress-opt %s -split-input-file -verify-diagnostics -o /dev/null \
// RUN:   --compress-quantize='mode=dynamic bits=4 granularity=per-group group-size=2' --compress-report 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPORT
// REPORT:      "bytes": 12,
// REPORT-NEXT: "dynamic": true,
// REPORT-NEXT: "flops": 16,
// REPORT-NEXT: "kernel": "dense",
// REPORT-NEXT: "kind": "contraction",
// REPORT:      "original_bytes": 32,

// Weight [[1, -2], [0.5, 4], [-1, 0], [2, 1]]: column 0 has groups (1, 0.5)
// and (-1, 2), scales 1/7 and 2/7; column 1 (-2, 4) and (0, 1), 4/7 and
// 1/7 (rounded to f16).
// CHECK-DAG:   #[[$ACT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG:   #[[$WGT:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d1)>
// CHECK-DAG:   #[[$SCALE:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d1)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
// CHECK:       %[[XQ:.*]], %[[S:.*]], %[[ZP:.*]] = compress.dynamic_quantize
// CHECK:       %[[XG:.*]] = tensor.expand_shape %[[XQ]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 2, 2] : tensor<?x4xi8> into tensor<?x2x2xi8>
// CHECK:       %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[7, -4], [4, 7]], {{\[}}[-4, 0], [7, 7]]]> : tensor<2x2x2xi4>
// CHECK:       %[[SC:.*]] = arith.constant dense<{{\[}}[1.428220e-01, 5.712890e-01], [2.856450e-01, 1.428220e-01]]> : tensor<2x2xf16>
// CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ACT]], #[[$WGT]], #[[$SCALE]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:    ins(%[[XG]], %[[W]], %[[SC]] : tensor<?x2x2xi8>, tensor<2x2x2xi4>, tensor<2x2xf16>)
// CHECK:         arith.muli
// CHECK:         arith.sitofp
// CHECK:         arith.extf
// CHECK:         arith.mulf
// CHECK:         arith.addf
// c = (7 + 4) / 7 + (-4 + 7) * 2 / 7 and (-4 + 7) * 4 / 7 + 7 / 7:
// CHECK:       %[[C:.*]] = arith.constant dense<[2.42797852, 2.71362305]> : tensor<2xf32>
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%[[SUM]], %[[C]], %[[S]], %[[ZP]] : tensor<?x2xf32>, tensor<2xf32>, tensor<f32>, tensor<i32>)
// CHECK:         arith.sitofp
// CHECK:         arith.mulf
// CHECK:         arith.subf
// CHECK:         arith.mulf
// CHECK:         arith.addf
// CHECK-NOT:   linalg.matmul
func.func @matmul(%x: tensor<?x4xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0], [-1.0, 0.0], [2.0, 1.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A batch matmul: the weight's batch dim indexes its scales too.
// CHECK-LABEL: func.func @bmm
// CHECK:       tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [3, %{{.*}}, 2, 2] : tensor<3x?x4xi8> into tensor<3x?x2x2xi8>
// CHECK:       arith.constant {{.*}} : tensor<3x2x2x2xi4>
// CHECK:       arith.constant {{.*}} : tensor<3x2x2xf16>
// CHECK:       linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK:       arith.constant {{.*}} : tensor<6xf32>
func.func @bmm(%x: tensor<3x?x4xf32>, %init: tensor<3x?x2xf32>) -> tensor<3x?x2xf32> {
  %w = arith.constant dense<1.5> : tensor<3x4x2xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<3x?x4xf32>, tensor<3x4x2xf32>) outs(%init : tensor<3x?x2xf32>) -> tensor<3x?x2xf32>
  return %y : tensor<3x?x2xf32>
}

// -----

// Several reduction loops: not a per-group integer kernel.
func.func @conv(%x: tensor<1x2x3x3xf32>, %init: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x2x2xf32>
  // expected-error @+1 {{compress-quantize: granularity=per-group with mode=dynamic needs an op with one reduction loop that both inputs are indexed by (a matmul); linalg.conv_2d_nchw_fchw (conv/0) has 3}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @indivisible(%x: tensor<?x5xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<1.0> : tensor<5x2xf32>
  // expected-error @+1 {{compress-quantize: group-size 2 does not divide the reduction size 5 of linalg.matmul (indivisible/0)}}
  %y = linalg.matmul ins(%x, %w : tensor<?x5xf32>, tensor<5x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
