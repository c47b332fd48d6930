// Degenerate calibrated ranges in mode=static: a range that is of zero width
// (once extended to contain 0), denormal (its scale would be below the
// smallest normal f32), or at the largest f32 magnitude says nothing about
// the values the op will see. Each gets a warning naming the tensor key, and
// its op quantizes the activation with the run-time range instead
// (compress.dynamic_quantize, as mode=dynamic does); the other ops keep their
// calibrated static scale. Narrow, wide and single-valued ranges are not
// degenerate.
//
// RUN: echo '{"version": 2, "tensors": {' \
// RUN:   '"zero_width/0": {"ranges": {"minmax": [0, 0]}},' \
// RUN:   '"denormal/0": {"ranges": {"minmax": [0, 1e-40]}},' \
// RUN:   '"flt_max/0": {"ranges": {"minmax": [-3.4028234663852886e38, 1]}},' \
// RUN:   '"beyond_f32/0": {"ranges": {"minmax": [0, 1e39]}},' \
// RUN:   '"single_value/0": {"ranges": {"minmax": [5, 5]}},' \
// RUN:   '"narrow/0": {"ranges": {"minmax": [0, 1e-30]}},' \
// RUN:   '"wide/0": {"ranges": {"minmax": [-1e38, 1e38]}}}}' > %t.json
// RUN: compress-opt %s --compress-quantize="mode=static calibration=%t.json" -verify-diagnostics \
// RUN:   | FileCheck %s
// RUN: compress-opt %s --compress-quantize="mode=static calibration=%t.json symmetric=false" -verify-diagnostics \
// RUN:   | FileCheck %s --check-prefix=ASYM

// CHECK-LABEL: func.func @zero_width(
// CHECK-SAME:    %[[X:.*]]: tensor<2x4xf32>
// CHECK-NOT:     compress.quantize
// CHECK:         %[[CODES:.*]], %[[SCALE:.*]], %[[ZP:.*]] = compress.dynamic_quantize %[[X]] symmetric
// CHECK:         %[[ACC:.*]] = linalg.generic {{.*}} ins(%[[CODES]], %{{.*}} : tensor<2x4xi8>, tensor<4x2xi8>)
// CHECK:         linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}}, %[[SCALE]], %[[ZP]] : tensor<2x2xi32>, tensor<2xi32>, tensor<2xf32>, tensor<f32>, tensor<i32>)
// ASYM-LABEL: func.func @zero_width(
// ASYM:         compress.dynamic_quantize %{{.*}} : tensor<2x4xf32>
func.func @zero_width(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  // expected-warning-re @below {{compress-quantize: calibration file '{{.*}}.json': tensor 'zero_width/0' has a degenerate "minmax" range [0, 0] (zero width); this linalg.matmul quantizes its input with its run-time range instead}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @denormal(
// CHECK-NOT:     compress.quantize
// CHECK:         compress.dynamic_quantize %{{.*}} symmetric
// ASYM-LABEL: func.func @denormal(
// ASYM-NOT:     compress.quantize
// ASYM:         compress.dynamic_quantize %{{.*}} : tensor<2x4xf32>
func.func @denormal(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  // expected-warning-re @below {{compress-quantize: calibration file '{{.*}}.json': tensor 'denormal/0' has a degenerate "minmax" range [0, 1e-40] (denormal: its scale would be below the smallest normal f32); this linalg.matmul quantizes its input with its run-time range instead}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @flt_max(
// CHECK-NOT:     compress.quantize
// CHECK:         compress.dynamic_quantize %{{.*}} symmetric
// ASYM-LABEL: func.func @flt_max(
// ASYM-NOT:     compress.quantize
// ASYM:         compress.dynamic_quantize %{{.*}} : tensor<2x4xf32>
func.func @flt_max(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  // expected-warning-re @below {{compress-quantize: calibration file '{{.*}}.json': tensor 'flt_max/0' has a degenerate "minmax" range [-3.40282e+38, 1] (a bound at the largest f32 magnitude); this linalg.matmul quantizes its input with its run-time range instead}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @beyond_f32(
// CHECK-NOT:     compress.quantize
// CHECK:         compress.dynamic_quantize %{{.*}} symmetric
// ASYM-LABEL: func.func @beyond_f32(
// ASYM-NOT:     compress.quantize
// ASYM:         compress.dynamic_quantize %{{.*}} : tensor<2x4xf32>
func.func @beyond_f32(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  // expected-warning-re @below {{compress-quantize: calibration file '{{.*}}.json': tensor 'beyond_f32/0' has a degenerate "minmax" range [0, 1e+39] (a bound at the largest f32 magnitude); this linalg.matmul quantizes its input with its run-time range instead}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @single_value(
// CHECK-NOT:     compress.dynamic_quantize
// CHECK:         compress.quantize %{{.*}} #compress.quant<i8, scales = [0.03937007874015748], zero_points = [0]>
// ASYM-LABEL: func.func @single_value(
// ASYM-NOT:     compress.dynamic_quantize
// ASYM:         compress.quantize %{{.*}} #compress.quant<i8, scales = [0.019607843137254902]
func.func @single_value(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @narrow(
// CHECK-NOT:     compress.dynamic_quantize
// CHECK:         compress.quantize %{{.*}} #compress.quant<i8, scales = [7.8740157480314962E-33], zero_points = [0]>
// ASYM-LABEL: func.func @narrow(
// ASYM-NOT:     compress.dynamic_quantize
// ASYM:         compress.quantize %{{.*}} #compress.quant<i8, scales = [3.9215686274509807E-33]
func.func @narrow(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @wide(
// CHECK-NOT:     compress.dynamic_quantize
// CHECK:         compress.quantize %{{.*}} #compress.quant<i8, scales = [7.8740157480314961E+35], zero_points = [0]>
// ASYM-LABEL: func.func @wide(
// ASYM-NOT:     compress.dynamic_quantize
// ASYM:         compress.quantize %{{.*}} #compress.quant<i8, scales = [7.8431372549019602E+35]
func.func @wide(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
