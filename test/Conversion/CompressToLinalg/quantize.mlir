// RUN: compress-opt %s -split-input-file --convert-compress-to-linalg | FileCheck %s

// Static quantization: clamp(roundeven(x / s) + zp, qmin, qmax), NaN to the
// zero point, then a conversion to the code type.
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME:  %[[X:.*]]: tensor<?x3xf32>
// CHECK-DAG:   %[[S:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG:   %[[ZP:.*]] = arith.constant dense<[0.000000e+00, -3.000000e+00, 5.000000e+00]> : tensor<3xf32>
// CHECK-DAG:   %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG:   %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK:       linalg.generic {indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]]
// CHECK-SAME:    ins(%[[X]], %[[S]], %[[ZP]] : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<?x3xi8>)
// CHECK:       ^bb0(%[[IN:.*]]: f32, %[[SIN:.*]]: f32, %[[ZIN:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT:    %[[D:.*]] = arith.divf %[[IN]], %[[SIN]] : f32
// CHECK-NEXT:    %[[R:.*]] = math.roundeven %[[D]] : f32
// CHECK-NEXT:    %[[A:.*]] = arith.addf %[[R]], %[[ZIN]] : f32
// CHECK-NEXT:    %[[MX:.*]] = arith.maximumf %[[A]], %[[LO]] : f32
// CHECK-NEXT:    %[[MN:.*]] = arith.minimumf %[[MX]], %[[HI]] : f32
// CHECK-NEXT:    %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK-NEXT:    %[[SEL:.*]] = arith.select %[[NAN]], %[[ZIN]], %[[MN]] : f32
// CHECK-NEXT:    %[[I:.*]] = arith.fptosi %[[SEL]] : f32 to i32
// CHECK-NEXT:    %[[T:.*]] = arith.trunci %[[I]] : i32 to i8
// CHECK-NEXT:    linalg.yield %[[T]] : i8
func.func @per_axis(%x: tensor<?x3xf32>) -> tensor<?x3xi8> {
  %q = compress.quantize %x : tensor<?x3xf32> -> tensor<?x3xi8>, #compress.quant<i8, scales = [0.5, 0.25, 1.0], zero_points = [0, -3, 5], axis = 1>
  return %q : tensor<?x3xi8>
}

// -----

// Dynamic quantization: one reduction computes min and max (from 0), scalar
// code derives scale and zero point, an elementwise generic quantizes.
// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @dynamic_asymmetric
// CHECK:       %[[MIN0:.*]] = linalg.fill
// CHECK:       %[[MAX0:.*]] = linalg.fill
// CHECK:       %[[RANGE:.*]]:2 = linalg.generic {{.*}}#[[$SCALAR]], #[[$SCALAR]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:    outs(%[[MIN0]], %[[MAX0]] : tensor<f32>, tensor<f32>)
// CHECK:         arith.minnumf
// CHECK:         arith.maxnumf
// CHECK:       %[[LO:.*]] = tensor.extract %[[RANGE]]#0[]
// CHECK:       %[[HI:.*]] = tensor.extract %[[RANGE]]#1[]
// CHECK:       %[[SPAN:.*]] = arith.subf %[[HI]], %[[LO]] : f32
// CHECK:       %[[S0:.*]] = arith.divf %[[SPAN]], %{{.*}} : f32
// CHECK:       %[[S:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S0]] : f32
// CHECK:       math.roundeven
// CHECK:       %[[Q:.*]] = linalg.generic
// CHECK:         arith.divf %{{.*}}, %[[S]] : f32
// CHECK:       } -> tensor<?x3xi8>
// CHECK:       %[[ZPI:.*]] = arith.fptosi %{{.*}} : f32 to i32
// CHECK:       %[[ST:.*]] = tensor.from_elements %[[S]] : tensor<f32>
// CHECK:       %[[ZT:.*]] = tensor.from_elements %[[ZPI]] : tensor<i32>
// CHECK:       return %[[Q]], %[[ST]], %[[ZT]]
func.func @dynamic_asymmetric(%x: tensor<?x3xf32>) -> (tensor<?x3xi8>, tensor<f32>, tensor<i32>) {
  %q, %s, %z = compress.dynamic_quantize %x : tensor<?x3xf32> -> tensor<?x3xi8>, tensor<f32>, tensor<i32>
  return %q, %s, %z : tensor<?x3xi8>, tensor<f32>, tensor<i32>
}

// -----

// Symmetric: scale = max(-lo, hi) / qmax and a zero point of 0.
// CHECK-LABEL: func.func @dynamic_symmetric
// CHECK:       %[[NEG:.*]] = arith.negf %{{.*}} : f32
// CHECK:       %[[AMAX:.*]] = arith.maximumf %[[NEG]], %{{.*}} : f32
// CHECK:       arith.divf %[[AMAX]], %{{.*}} : f32
// CHECK-NOT:   arith.subf
// CHECK:       linalg.generic
func.func @dynamic_symmetric(%x: tensor<8xf32>) -> (tensor<8xi8>, tensor<f32>, tensor<i32>) {
  %q, %s, %z = compress.dynamic_quantize %x symmetric : tensor<8xf32> -> tensor<8xi8>, tensor<f32>, tensor<i32>
  return %q, %s, %z : tensor<8xi8>, tensor<f32>, tensor<i32>
}

// -----

// A constant per-tensor scale: no division per element. 0.1 has no exact
// reciprocal, so q0 = x * RN(1/s), clamped to +-2^20 (infinities stay
// infinite), is corrected by the exact remainder x - q0 * s (Markstein):
// the quotient, and so the code, is the one x / s gives.
// CHECK-LABEL: func.func @per_tensor_reciprocal
// CHECK-DAG:   %[[S:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG:   %[[R:.*]] = arith.constant 1.000000e+01 : f32
// CHECK:       ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK-DAG:     %[[LIM:.*]] = arith.constant 0x49800000 : f32
// CHECK-DAG:     %[[NLIM:.*]] = arith.constant 0xC9800000 : f32
// CHECK:         %[[Q0:.*]] = arith.mulf %[[IN]], %[[R]] : f32
// CHECK-NEXT:    %[[A:.*]] = arith.maximumf %[[Q0]], %[[NLIM]] : f32
// CHECK-NEXT:    %[[B:.*]] = arith.minimumf %[[A]], %[[LIM]] : f32
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[B]] : f32
// CHECK-NEXT:    %[[E:.*]] = math.fma %[[N]], %[[S]], %[[IN]] : f32
// CHECK-NEXT:    %[[Q:.*]] = math.fma %[[E]], %[[R]], %[[B]] : f32
// CHECK-NEXT:    math.roundeven %[[Q]] : f32
// CHECK-NOT:     arith.divf
func.func @per_tensor_reciprocal(%x: tensor<8xf32>) -> tensor<8xi8> {
  %q = compress.quantize %x : tensor<8xf32> -> tensor<8xi8>, #compress.quant<i8, scales = [0.1], zero_points = [0]>
  return %q : tensor<8xi8>
}

// -----

// A power-of-two scale: the reciprocal is exact, one multiply.
// CHECK-LABEL: func.func @per_tensor_power_of_two
// CHECK-DAG:   %[[R:.*]] = arith.constant 4.000000e+00 : f32
// CHECK:       ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT:    %[[Q:.*]] = arith.mulf %[[IN]], %[[R]] : f32
// CHECK-NEXT:    math.roundeven %[[Q]] : f32
// CHECK-NOT:     arith.divf
// CHECK-NOT:     math.fma
func.func @per_tensor_power_of_two(%x: tensor<8xf32>) -> tensor<8xi8> {
  %q = compress.quantize %x : tensor<8xf32> -> tensor<8xi8>, #compress.quant<i8, scales = [0.25], zero_points = [0]>
  return %q : tensor<8xi8>
}
