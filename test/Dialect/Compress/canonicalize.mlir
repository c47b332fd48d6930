// RUN: compress-opt %s -split-input-file -canonicalize | FileCheck %s

// Folders of compress.fake_quant.

// Applying the same spec twice is the same as applying it once.
// CHECK-LABEL: func.func @fold_same_spec
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>
// CHECK: %[[Y:.*]] = compress.fake_quant %[[X]]
// CHECK-NOT: compress.fake_quant
// CHECK: return %[[Y]]
func.func @fold_same_spec(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [3]>
  %z = compress.fake_quant %y : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [3]>
  return %z : tensor<4xf32>
}

// -----

// Different specs do not fold.
// CHECK-LABEL: func.func @negative_different_spec
// CHECK-COUNT-2: compress.fake_quant
func.func @negative_different_spec(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  %z = compress.fake_quant %y : tensor<4xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0]>
  return %z : tensor<4xf32>
}

// -----

// Per-tensor constant folding: rounding half to even, clamping, zero point.
// q = clamp(roundeven(x / 0.5) + 1, -8, 7); y = (q - 1) * 0.5
//   x = 0.25 -> 0.5 -> 0 -> 1 -> 0
//   x = 0.75 -> 1.5 -> 2 -> 3 -> 1
//   x = 100  -> clamp 7 -> 3
//   x = -100 -> clamp -8 -> -4.5
// CHECK-LABEL: func.func @fold_constant_per_tensor
// CHECK: %[[C:.*]] = arith.constant dense<[0.000000e+00, 1.000000e+00, 3.000000e+00, -4.500000e+00]> : tensor<4xf32>
// CHECK-NOT: compress.fake_quant
// CHECK: return %[[C]]
func.func @fold_constant_per_tensor() -> tensor<4xf32> {
  %c = arith.constant dense<[0.25, 0.75, 100.0, -100.0]> : tensor<4xf32>
  %y = compress.fake_quant %c : tensor<4xf32>, #compress.quant<i4, scales = [0.5], zero_points = [1]>
  return %y : tensor<4xf32>
}

// -----

// Per-axis constant folding picks the scale of each slice along the axis.
// CHECK-LABEL: func.func @fold_constant_per_axis
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [2.500000e-01, 7.500000e-01]]> : tensor<2x2xf32>
func.func @fold_constant_per_axis() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1.2, 2.2], [0.3, 0.7]]> : tensor<2x2xf32>
  %y = compress.fake_quant %c : tensor<2x2xf32>, #compress.quant<ui8, scales = [1.0, 0.25], zero_points = [0, 0], axis = 0>
  return %y : tensor<2x2xf32>
}

// -----

// A splat folds to a splat; f16 is computed in f32 and rounded back.
// CHECK-LABEL: func.func @fold_splat_f16
// CHECK: arith.constant dense<1.000000e+00> : tensor<8xf16>
func.func @fold_splat_f16() -> tensor<8xf16> {
  %c = arith.constant dense<1.1> : tensor<8xf16>
  %y = compress.fake_quant %c : tensor<8xf16>, #compress.quant<i8, scales = [0.25], zero_points = [0]>
  return %y : tensor<8xf16>
}

// -----

// f64 is computed in f64: 1/3 with scale 2^-15 becomes 10923 * 2^-15.
// CHECK-LABEL: func.func @fold_f64
// CHECK: arith.constant dense<0.333343505859375> : tensor<1xf64>
func.func @fold_f64() -> tensor<1xf64> {
  %c = arith.constant dense<0.333333333333333333> : tensor<1xf64>
  %y = compress.fake_quant %c : tensor<1xf64>, #compress.quant<i16, scales = [3.0517578125e-05], zero_points = [0]>
  return %y : tensor<1xf64>
}

// -----

// A non-constant input is left alone.
// CHECK-LABEL: func.func @negative_argument
// CHECK: compress.fake_quant
func.func @negative_argument(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  return %y : tensor<4xf32>
}
