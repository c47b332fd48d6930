// RUN: compress-opt %s -split-input-file -verify-diagnostics

// Verifier errors of #compress.quant and compress.fake_quant.

func.func @storage_too_wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects a storage type of 2 to 16 bits, got 'i32'}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i32, scales = [0.5], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @storage_one_bit(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects a storage type of 2 to 16 bits, got 'i1'}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i1, scales = [0.5], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @storage_not_integer(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{invalid kind of type specified: expected builtin.integer, but found 'f32'}}
  // expected-error @+1 {{failed to parse Compress_QuantSpecAttr parameter 'storage_type' which is to be a `::mlir::IntegerType`}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<f32, scales = [0.5], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @no_scales(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects at least one scale}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [], zero_points = []>
  return %y : tensor<4xf32>
}

// -----

func.func @count_mismatch(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects as many zero points as scales, got 1 zero points and 2 scales}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5, 0.25], zero_points = [0], axis = 0>
  return %y : tensor<2x4xf32>
}

// -----

func.func @many_scales_without_axis(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects exactly one scale without an axis, got 2}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5, 0.25], zero_points = [0, 0]>
  return %y : tensor<2x4xf32>
}

// -----

func.func @negative_axis(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects a non-negative axis, got -1}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0], axis = -1>
  return %y : tensor<2x4xf32>
}

// -----

func.func @zero_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects positive finite scales, got 0.000000e+00 at index 0}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.0], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @negative_scale(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expects positive finite scales, got -2.500000e+00 at index 1}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [1.0, -2.5], zero_points = [0, 0], axis = 0>
  return %y : tensor<2x4xf32>
}

// -----

func.func @infinite_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects positive finite scales, got INF at index 0}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0x7FF0000000000000], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @zero_point_above_signed_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects zero points in [-128, 127] for 'i8', got 128 at index 0}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [128]>
  return %y : tensor<4xf32>
}

// -----

func.func @zero_point_below_unsigned_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects zero points in [0, 15] for 'ui4', got -1 at index 0}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<ui4, scales = [0.5], zero_points = [-1]>
  return %y : tensor<4xf32>
}

// -----

func.func @malformed_spec(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected 'scales'}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @scale_underflows_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op scale 1.000000e-50 at index 0 is not a positive finite f32 value}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [1.0e-50], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op quantization axis 2 is out of range for a tensor of rank 2}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0], axis = 2>
  return %y : tensor<2x4xf32>
}

// -----

func.func @axis_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op per-axis quantization needs a static size along axis 0}}
  %y = compress.fake_quant %x : tensor<?x4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0], axis = 0>
  return %y : tensor<?x4xf32>
}

// -----

func.func @axis_size_mismatch(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op expects 4 scales for axis 1, got 2}}
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5, 0.5], zero_points = [0, 0], axis = 1>
  return %y : tensor<2x4xf32>
}

// -----

func.func @integer_input(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'compress.fake_quant' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<4xi32>'}}
  %y = compress.fake_quant %x : tensor<4xi32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  return %y : tensor<4xi32>
}

// -----

func.func @unranked_input(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'compress.fake_quant' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<*xf32>'}}
  %y = "compress.fake_quant"(%x) {spec = #compress.quant<i8, scales = [0.5], zero_points = [0]>} : (tensor<*xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @result_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'compress.fake_quant' op requires the same type for all operands and results}}
  %y = "compress.fake_quant"(%x) {spec = #compress.quant<i8, scales = [0.5], zero_points = [0]>} : (tensor<4xf32>) -> tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

func.func @missing_spec(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op requires attribute 'spec'}}
  %y = "compress.fake_quant"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @wrong_spec_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op attribute 'spec' failed to satisfy constraint}}
  %y = "compress.fake_quant"(%x) {spec = 1 : i32} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @unknown_attribute() attributes {
  // expected-error @+1 {{unknown attribute `quantize` in dialect `compress`}}
  a = #compress.quantize<i8>} {
  return
}

// -----

func.func @group_without_axis() attributes {
  // expected-error @+1 {{expects an axis with group_size}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [0], group_size = 2>} {
  return
}

// -----

func.func @group_size_zero() attributes {
  // expected-error @+1 {{expects a positive group_size, got 0}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [0], axis = 0, group_size = 0>} {
  return
}

// -----

func.func @unknown_scheme() attributes {
  // expected-error @+1 {{unknown scheme 'log10' (expected uniform or log2)}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [0], scheme = log10>} {
  return
}

// -----

func.func @unknown_key() attributes {
  // expected-error @+1 {{unknown key 'axes' (expected axis, group_size or scheme)}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [0], axes = 1>} {
  return
}

// -----

func.func @axis_twice() attributes {
  // expected-error @+1 {{'axis' given twice}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [0], axis = 0, axis = 0>} {
  return
}

// -----

func.func @log2_unsigned() attributes {
  // expected-error @+1 {{expects a signed storage type of at least 3 bits for the log2 scheme, got 'ui4'}}
  s = #compress.quant<ui4, scales = [1.0], zero_points = [0], scheme = log2>} {
  return
}

// -----

func.func @log2_zero_point() attributes {
  // expected-error @+1 {{expects zero points of 0 for the log2 scheme}}
  s = #compress.quant<i4, scales = [1.0], zero_points = [1], scheme = log2>} {
  return
}

// -----

func.func @group_does_not_divide(%q: tensor<2x3xi4>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'compress.dequantize' op group_size 2 does not divide the slice size 3}}
  %y = compress.dequantize %q : tensor<2x3xi4> -> tensor<2x3xf32>, #compress.quant<i4, scales = [1.0, 1.0], zero_points = [0, 0], axis = 0, group_size = 2>
  return %y : tensor<2x3xf32>
}

// -----

func.func @group_scale_count(%q: tensor<2x4xi4>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'compress.dequantize' op expects 4 scales for axis 0, got 2}}
  %y = compress.dequantize %q : tensor<2x4xi4> -> tensor<2x4xf32>, #compress.quant<i4, scales = [1.0, 1.0], zero_points = [0, 0], axis = 0, group_size = 2>
  return %y : tensor<2x4xf32>
}

// -----

func.func @group_dynamic(%q: tensor<2x?xi4>) -> tensor<2x?xf32> {
  // expected-error @+1 {{'compress.dequantize' op per-group quantization needs a static shape}}
  %y = compress.dequantize %q : tensor<2x?xi4> -> tensor<2x?xf32>, #compress.quant<i4, scales = [1.0, 1.0], zero_points = [0, 0], axis = 0, group_size = 2>
  return %y : tensor<2x?xf32>
}

// -----

func.func @dequantize_width(%q: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.dequantize' op expects integer codes of 4 bits for storage type 'i4', got 'i8'}}
  %y = compress.dequantize %q : tensor<4xi8> -> tensor<4xf32>, #compress.quant<i4, scales = [1.0], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @dequantize_shape(%q: tensor<4xi8>) -> tensor<5xf32> {
  // expected-error @+1 {{'compress.dequantize' op failed to verify that all of {input, result} have same shape}}
  %y = compress.dequantize %q : tensor<4xi8> -> tensor<5xf32>, #compress.quant<i8, scales = [1.0], zero_points = [0]>
  return %y : tensor<5xf32>
}

// -----

func.func @dequantize_float_codes(%q: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.dequantize' op operand #0 must be ranked tensor of signless integer values}}
  %y = compress.dequantize %q : tensor<4xf32> -> tensor<4xf32>, #compress.quant<i8, scales = [1.0], zero_points = [0]>
  return %y : tensor<4xf32>
}

// -----

func.func @quantize_width(%x: tensor<4xf32>) -> tensor<4xi4> {
  // expected-error @+1 {{'compress.quantize' op expects integer codes of 8 bits for storage type 'i8', got 'i4'}}
  %q = compress.quantize %x : tensor<4xf32> -> tensor<4xi4>, #compress.quant<i8, scales = [1.0], zero_points = [0]>
  return %q : tensor<4xi4>
}

// -----

func.func @quantize_log2(%x: tensor<4xf32>) -> tensor<4xi4> {
  // expected-error @+1 {{'compress.quantize' op does not support the log2 scheme (only compress.dequantize does)}}
  %q = compress.quantize %x : tensor<4xf32> -> tensor<4xi4>, #compress.quant<i4, scales = [1.0], zero_points = [0], scheme = log2>
  return %q : tensor<4xi4>
}

// -----

func.func @fake_quant_log2(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'compress.fake_quant' op does not support the log2 scheme (only compress.dequantize does)}}
  %y = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i4, scales = [1.0], zero_points = [0], scheme = log2>
  return %y : tensor<4xf32>
}

// -----

func.func @quantize_axis_range(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'compress.quantize' op quantization axis 1 is out of range for a tensor of rank 1}}
  %q = compress.quantize %x : tensor<4xf32> -> tensor<4xi8>, #compress.quant<i8, scales = [1.0], zero_points = [0], axis = 1>
  return %q : tensor<4xi8>
}

// -----

func.func @dynamic_quantize_width(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'compress.dynamic_quantize' op expects integer codes of 2 to 16 bits, got 'i32'}}
  %q, %s, %z = compress.dynamic_quantize %x : tensor<4xf32> -> tensor<4xi32>, tensor<f32>, tensor<i32>
  return %q : tensor<4xi32>
}

// -----

func.func @dynamic_quantize_f16(%x: tensor<4xf16>) -> tensor<4xi8> {
  // expected-error @+1 {{'compress.dynamic_quantize' op operand #0 must be ranked tensor of 32-bit float values}}
  %q, %s, %z = compress.dynamic_quantize %x : tensor<4xf16> -> tensor<4xi8>, tensor<f32>, tensor<i32>
  return %q : tensor<4xi8>
}

// -----

func.func @observe_empty_key(%x: tensor<4xf32>) {
  // expected-error @+1 {{'compress.observe' op expects a non-empty key}}
  compress.observe "" %x : tensor<4xf32>
  return
}

// -----

func.func @observe_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'compress.observe' op expects an input of rank 1 or more}}
  compress.observe "f/0" %x : tensor<f32>
  return
}

// -----

func.func @observe_gram_rank(%x: tensor<4xf32>) {
  // expected-error @+1 {{'compress.observe' op operand #1 must be 2D tensor of 32-bit float values}}
  compress.observe "f/0" %x : tensor<4xf32> gram %x : tensor<4xf32>
  return
}
