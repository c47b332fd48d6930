// RUN: compress-opt %s -split-input-file --convert-compress-to-linalg | FileCheck %s

// compress.fake_quant becomes one elementwise linalg.generic. A constant
// power-of-two scale divides by multiplying with its exact reciprocal.

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>
// CHECK-DAG: %[[QMIN:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG: %[[QMAX:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-DAG: %[[RCP:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[INIT:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ID]]]
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[X]] : tensor<4xf32>) outs(%[[INIT]] : tensor<4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[D:.*]] = arith.mulf %[[IN]], %[[RCP]] : f32
// CHECK-NEXT: %[[RND:.*]] = math.roundeven %[[D]] : f32
// CHECK-NEXT: %[[Q:.*]] = arith.addf %[[RND]], %[[ZP]] : f32
// CHECK-NEXT: %[[LO:.*]] = arith.maximumf %[[Q]], %[[QMIN]] : f32
// CHECK-NEXT: %[[HI:.*]] = arith.minimumf %[[LO]], %[[QMAX]] : f32
// CHECK-NEXT: %[[C:.*]] = arith.subf %[[HI]], %[[ZP]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[C]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[Y]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: compress.
func.func @per_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [3]>
  return %y : tensor<4xf32>
}

// -----

// Per-axis scales and zero points are read through a map on the axis; f16 is
// computed in f32; a dynamic batch dimension sizes the init tensor.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis_f16_dynamic
// CHECK-SAME: %[[X:.*]]: tensor<?x3xf16>
// CHECK-DAG: %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf16>
// CHECK-DAG: %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<?x3xf16>
// CHECK-DAG: %[[QMIN:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[QMAX:.*]] = arith.constant 2.550000e+02 : f32
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[1.280000e+02, 0.000000e+00, 7.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID2]], #[[$AXIS]], #[[$AXIS]], #[[$ID2]]]
// CHECK-SAME: ins(%[[X]], %[[SCALES]], %[[ZPS]] : tensor<?x3xf16>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f16, %[[S:.*]]: f32, %[[ZP:.*]]: f32, %{{.*}}: f16):
// CHECK-NEXT: %[[E:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT: arith.divf %[[E]], %[[S]] : f32
// CHECK: arith.addf %{{.*}}, %[[ZP]] : f32
// CHECK: %[[M:.*]] = arith.mulf %{{.*}}, %[[S]] : f32
// CHECK-NEXT: %[[T:.*]] = arith.truncf %[[M]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[T]] : f16
func.func @per_axis_f16_dynamic(%x: tensor<?x3xf16>) -> tensor<?x3xf16> {
  %y = compress.fake_quant %x : tensor<?x3xf16>, #compress.quant<ui8, scales = [0.5, 0.25, 1.0], zero_points = [128, 0, 7], axis = 1>
  return %y : tensor<?x3xf16>
}

// -----

// f64 tensors compute in f64, with no casts.
// CHECK-LABEL: func.func @f64
// CHECK-DAG: arith.constant -8.000000e+00 : f64
// CHECK-DAG: arith.constant 7.000000e+00 : f64
// CHECK: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NOT: arith.extf
// CHECK-NOT: arith.truncf
// CHECK: linalg.yield %{{.*}} : f64
func.func @f64(%x: tensor<2x2xf64>) -> tensor<2x2xf64> {
  %y = compress.fake_quant %x : tensor<2x2xf64>, #compress.quant<i4, scales = [0.1], zero_points = [0]>
  return %y : tensor<2x2xf64>
}

// -----

// Rank-0 tensors lower too.
// CHECK-LABEL: func.func @rank0
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = []
func.func @rank0(%x: tensor<bf16>) -> tensor<bf16> {
  %y = compress.fake_quant %x : tensor<bf16>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  return %y : tensor<bf16>
}

// -----

// Ops of other dialects are left untouched.
// CHECK-LABEL: func.func @negative_no_compress_ops
// CHECK-NEXT: %[[E:.*]] = arith.addf
// CHECK-NEXT: return %[[E]]
func.func @negative_no_compress_ops(%x: f32) -> f32 {
  %y = arith.addf %x, %x : f32
  return %y : f32
}
