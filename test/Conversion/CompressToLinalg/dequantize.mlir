// RUN: compress-opt %s -split-input-file --convert-compress-to-linalg | FileCheck %s

// Per-axis uniform codes: (q - zp) * s with the scales stored as f16 (exact)
// and the zero points in the storage width, both widened in the body.
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME:  %[[Q:.*]]: tensor<2x3xi8>
// CHECK-DAG:   %[[S:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf16>
// CHECK-DAG:   %[[ZP:.*]] = arith.constant dense<[0, -3, 5]> : tensor<3xi8>
// CHECK:       linalg.generic {indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]]
// CHECK-SAME:    ins(%[[Q]], %[[S]], %[[ZP]] : tensor<2x3xi8>, tensor<3xf16>, tensor<3xi8>)
// CHECK:       ^bb0(%[[IN:.*]]: i8, %[[SIN:.*]]: f16, %[[ZIN:.*]]: i8, %{{.*}}: f32):
// CHECK-DAG:     %[[SF:.*]] = arith.extf %[[SIN]] : f16 to f32
// CHECK-DAG:     %[[ZI:.*]] = arith.extsi %[[ZIN]] : i8 to i32
// CHECK-DAG:     %[[QI:.*]] = arith.extsi %[[IN]] : i8 to i32
// CHECK:         %[[C:.*]] = arith.subi %[[QI]], %[[ZI]] : i32
// CHECK:         %[[F:.*]] = arith.sitofp %[[C]] : i32 to f32
// CHECK:         %[[R:.*]] = arith.mulf %[[F]], %[[SF]] : f32
// CHECK:         linalg.yield %[[R]] : f32
func.func @per_axis(%q: tensor<2x3xi8>) -> tensor<2x3xf32> {
  %y = compress.dequantize %q : tensor<2x3xi8> -> tensor<2x3xf32>, #compress.quant<i8, scales = [0.5, 0.25, 1.0], zero_points = [0, -3, 5], axis = 1>
  return %y : tensor<2x3xf32>
}

// -----

// Per-group parameters are stored group-major (the spec lists them channel
// by channel: channel 0 has groups 0.1, 0.2, channel 1 has 0.3, 0.4) and
// indexed by (linear / group_size) * channels + channel, so consecutive
// channels read consecutive parameters; zero points that are all 0 are not
// stored; scales that are not exact f16 stay f32.
// CHECK-DAG:   #[[$GROUP:.*]] = affine_map<(d0, d1) -> ((d0 floordiv 2) * 2 + d1)>
// CHECK-LABEL: func.func @per_group
// CHECK:       %[[S:.*]] = arith.constant dense<[1.000000e-01, 3.000000e-01, 2.000000e-01, 4.000000e-01]> : tensor<4xf32>
// CHECK:       linalg.generic {{.*}}#[[$GROUP]]
// CHECK-SAME:    ins(%{{.*}}, %[[S]] : tensor<4x2xi8>, tensor<4xf32>)
// CHECK:         linalg.yield
func.func @per_group(%q: tensor<4x2xi8>) -> tensor<4x2xf32> {
  %y = compress.dequantize %q : tensor<4x2xi8> -> tensor<4x2xf32>, #compress.quant<i8, scales = [0.1, 0.2, 0.3, 0.4], zero_points = [0, 0, 0, 0], axis = 1, group_size = 2>
  return %y : tensor<4x2xf32>
}

// -----

// Constant int4 codes are read as they are (code generation chooses their
// storage: see compress-fuse-dequant and compress-tile-and-vectorize).
// CHECK-LABEL: func.func @constant_int4
// CHECK:       %[[Q:.*]] = arith.constant dense<{{\[}}[1, -2, 3], [7, -8, 0]]> : tensor<2x3xi4>
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%[[Q]] : tensor<2x3xi4>)
// CHECK:         arith.extsi %{{.*}} : i4 to i32
// CHECK-NOT:     linalg.index
func.func @constant_int4() -> tensor<2x3xf32> {
  %q = arith.constant dense<[[1, -2, 3], [7, -8, 0]]> : tensor<2x3xi4>
  %y = compress.dequantize %q : tensor<2x3xi4> -> tensor<2x3xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0]>
  return %y : tensor<2x3xf32>
}

// -----

// log2 codes: 2^-(|q| - 1) is built from its f32 exponent bits, signed and
// zeroed for q = 0 (all from the code alone), then multiplied by the scale.
// CHECK-LABEL: func.func @log2
// CHECK:       ^bb0(%[[IN:.*]]: i4, %{{.*}}: f32):
// CHECK:         %[[Q:.*]] = arith.extsi %[[IN]] : i4 to i32
// CHECK:         %[[A:.*]] = math.absi %[[Q]] : i32
// CHECK:         %[[E:.*]] = arith.subi %{{.*}}, %[[A]] : i32
// CHECK:         %[[EC:.*]] = arith.maxsi %[[E]], %{{.*}} : i32
// CHECK:         %[[BITS:.*]] = arith.shli %[[EC]], %{{.*}} : i32
// CHECK:         %[[P:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK:         %[[NEG:.*]] = arith.cmpi slt, %[[Q]]
// CHECK:         %[[MINUS:.*]] = arith.negf %[[P]]
// CHECK:         %[[SIGNED:.*]] = arith.select %[[NEG]], %[[MINUS]], %[[P]]
// CHECK:         %[[ZERO:.*]] = arith.cmpi eq, %[[Q]]
// CHECK:         %[[V:.*]] = arith.select %[[ZERO]], %{{.*}}, %[[SIGNED]]
// CHECK:         arith.mulf %[[V]], %{{.*}} : f32
func.func @log2(%q: tensor<4xi4>) -> tensor<4xf32> {
  %y = compress.dequantize %q : tensor<4xi4> -> tensor<4xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0], scheme = log2>
  return %y : tensor<4xf32>
}

// -----

// Unsigned codes are zero-extended; an f16 result is computed in f32.
// CHECK-LABEL: func.func @unsigned_f16
// CHECK:         arith.extui %{{.*}} : i8 to i32
// CHECK:         arith.truncf %{{.*}} : f32 to f16
func.func @unsigned_f16(%q: tensor<4xi8>) -> tensor<4xf16> {
  %y = compress.dequantize %q : tensor<4xi8> -> tensor<4xf16>, #compress.quant<ui8, scales = [0.5], zero_points = [128]>
  return %y : tensor<4xf16>
}

// -----

// compress.widen becomes an elementwise extf.
// CHECK-LABEL: func.func @widen
// CHECK:       linalg.generic
// CHECK:         arith.extf %{{.*}} : bf16 to f32
func.func @widen(%x: tensor<4xbf16>) -> tensor<4xf32> {
  %y = compress.widen %x : tensor<4xbf16> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A dynamic shape: the sizes of the result come from the codes (they were
// taken from the op's own result, a tensor.dim of the value replacing it that
// did not dominate its use; found by compress-fuzz-mlir).
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME:  %[[Q:.*]]: tensor<?x4xi8>
// CHECK:       %[[C0:.*]] = arith.constant 0 : index
// CHECK:       %[[D:.*]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x4xi8>
// CHECK:       %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x4xf32>
// CHECK:       %[[R:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<?x4xi8>) outs(%[[E]] : tensor<?x4xf32>)
// CHECK:       return %[[R]]
func.func @dynamic(%q: tensor<?x4xi8>) -> tensor<?x4xf32> {
  %y = compress.dequantize %q : tensor<?x4xi8> -> tensor<?x4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [-3]>
  return %y : tensor<?x4xf32>
}
