// RUN: compress-opt %s | compress-opt | FileCheck %s
// RUN: compress-opt %s --mlir-print-op-generic | compress-opt | FileCheck %s
// RUN: compress-opt %s --verify-roundtrip | FileCheck %s

// Round trip of compress.fake_quant and #compress.quant in every form.

// CHECK-LABEL: func.func @per_tensor_signed
// CHECK: compress.fake_quant %{{.*}} : tensor<4x8xf32>, #compress.quant<i8, scales = [5.000000e-01], zero_points = [0]>
func.func @per_tensor_signed(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = compress.fake_quant %x : tensor<4x8xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  return %y : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @per_tensor_unsigned
// CHECK: #compress.quant<ui8, scales = [1.000000e-01], zero_points = [128]>
func.func @per_tensor_unsigned(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = compress.fake_quant %x : tensor<?x8xf32>, #compress.quant<ui8, scales = [0.1], zero_points = [128]>
  return %y : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @per_axis
// CHECK: #compress.quant<i4, scales = [2.500000e-01, 1.250000e-01, 1.000000e+00], zero_points = [0, -1, 7], axis = 1>
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = compress.fake_quant %x : tensor<2x3xf32>, #compress.quant<i4, scales = [0.25, 0.125, 1.0], zero_points = [0, -1, 7], axis = 1>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @signed_storage_f16
// CHECK: compress.fake_quant %{{.*}} : tensor<3xf16>, #compress.quant<si16, scales = [1.000000e-03], zero_points = [-5]>
func.func @signed_storage_f16(%x: tensor<3xf16>) -> tensor<3xf16> {
  %y = compress.fake_quant %x : tensor<3xf16>, #compress.quant<si16, scales = [0.001], zero_points = [-5]>
  return %y : tensor<3xf16>
}

// CHECK-LABEL: func.func @rank0_bf16_with_attrs
// CHECK: compress.fake_quant %{{.*}} : tensor<bf16>, #compress.quant<ui2, scales = [1.000000e+00], zero_points = [3]> {note = "kept"}
func.func @rank0_bf16_with_attrs(%x: tensor<bf16>) -> tensor<bf16> {
  %y = compress.fake_quant %x : tensor<bf16>, #compress.quant<ui2, scales = [1.0], zero_points = [3]> {note = "kept"}
  return %y : tensor<bf16>
}

// The attribute on its own, outside of an op.
// CHECK-LABEL: func.func @attribute_alone
// CHECK-SAME: spec = #compress.quant<i8, scales = [2.000000e+00, 4.000000e+00], zero_points = [1, 2], axis = 0>
func.func @attribute_alone() attributes {spec = #compress.quant<i8, scales = [2.0, 4.0], zero_points = [1, 2], axis = 0>} {
  return
}

// Scales round-trip exactly, whatever their number of digits.
// CHECK-LABEL: func.func @exact_scales
// CHECK-SAME: spec = #compress.quant<ui8, scales = [0.123456789012345{{[0-9]*}}, 9.094947017729282{{[0-9]*}}E-13], zero_points = [0, 255], axis = 0>
func.func @exact_scales() attributes {spec = #compress.quant<ui8, scales = [0.12345678901234567, 9.094947017729282e-13], zero_points = [0, 255], axis = 0>} {
  return
}

// Per-group and log2 specs; the trailing entries are accepted in any order
// and printed in a canonical one.
// CHECK-LABEL: func.func @group_and_log2
// CHECK-SAME: g = #compress.quant<i4, scales = [1.000000e+00, 2.000000e+00], zero_points = [0, 1], axis = 1, group_size = 2>
// CHECK-SAME: l = #compress.quant<i4, scales = [5.000000e-01], zero_points = [0], scheme = log2>
// CHECK-SAME: u = #compress.quant<i8, scales = [5.000000e-01], zero_points = [0]>
func.func @group_and_log2() attributes {
    g = #compress.quant<i4, scales = [1.0, 2.0], zero_points = [0, 1], group_size = 2, axis = 1>,
    l = #compress.quant<i4, scales = [0.5], zero_points = [0], scheme = log2>,
    u = #compress.quant<i8, scales = [0.5], zero_points = [0], scheme = uniform>} {
  return
}

// CHECK-LABEL: func.func @quantize_dequantize
// CHECK: %[[Q:.*]] = compress.quantize %{{.*}} : tensor<?x4xf32> -> tensor<?x4xi8>, #compress.quant<i8, scales = [5.000000e-01], zero_points = [-3]>
// CHECK: compress.dequantize %[[Q]] : tensor<?x4xi8> -> tensor<?x4xf32>, #compress.quant<i8, scales = [5.000000e-01], zero_points = [-3]>
func.func @quantize_dequantize(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %q = compress.quantize %x : tensor<?x4xf32> -> tensor<?x4xi8>, #compress.quant<i8, scales = [0.5], zero_points = [-3]>
  %y = compress.dequantize %q : tensor<?x4xi8> -> tensor<?x4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [-3]>
  return %y : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @dequantize_forms
// CHECK: compress.dequantize %{{.*}} : tensor<4x2xi4> -> tensor<4x2xbf16>, #compress.quant<i4, scales = [1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], zero_points = [0, 0, 0, 0], axis = 1, group_size = 2>
// CHECK: compress.dequantize %{{.*}} : tensor<3xi8> -> tensor<3xf32>, #compress.quant<i8, scales = [2.500000e-01], zero_points = [0], scheme = log2>
func.func @dequantize_forms(%a: tensor<4x2xi4>, %b: tensor<3xi8>) -> (tensor<4x2xbf16>, tensor<3xf32>) {
  %x = compress.dequantize %a : tensor<4x2xi4> -> tensor<4x2xbf16>, #compress.quant<i4, scales = [1.0, 2.0, 3.0, 4.0], zero_points = [0, 0, 0, 0], axis = 1, group_size = 2>
  %y = compress.dequantize %b : tensor<3xi8> -> tensor<3xf32>, #compress.quant<i8, scales = [0.25], zero_points = [0], scheme = log2>
  return %x, %y : tensor<4x2xbf16>, tensor<3xf32>
}

// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: compress.dynamic_quantize %{{.*}} symmetric : tensor<2x?xf32> -> tensor<2x?xi8>, tensor<f32>, tensor<i32>
// CHECK: compress.dynamic_quantize %{{.*}} : tensor<2x?xf32> -> tensor<2x?xi8>, tensor<f32>, tensor<i32>
func.func @dynamic_quantize(%x: tensor<2x?xf32>) -> (tensor<2x?xi8>, tensor<f32>, tensor<i32>) {
  %q, %s, %z = compress.dynamic_quantize %x symmetric : tensor<2x?xf32> -> tensor<2x?xi8>, tensor<f32>, tensor<i32>
  %q2, %s2, %z2 = compress.dynamic_quantize %x : tensor<2x?xf32> -> tensor<2x?xi8>, tensor<f32>, tensor<i32>
  return %q2, %s, %z : tensor<2x?xi8>, tensor<f32>, tensor<i32>
}

// CHECK-LABEL: func.func @observe
// CHECK: compress.observe "f/0" %{{.*}} : tensor<?x8xf32>
// CHECK: compress.observe "f/1" %{{.*}} : tensor<?x8xf32> gram %{{.*}} : tensor<?x8xf32>
func.func @observe(%x: tensor<?x8xf32>) {
  compress.observe "f/0" %x : tensor<?x8xf32>
  compress.observe "f/1" %x : tensor<?x8xf32> gram %x : tensor<?x8xf32>
  return
}
