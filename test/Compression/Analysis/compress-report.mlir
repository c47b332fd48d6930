// RUN: compress-opt %s --compress-report -o %t.mlir 2>&1 | FileCheck %s
// RUN: compress-opt %s --compress-report=report=%t.json -o /dev/null && FileCheck %s < %t.json
// The IR is unchanged.
// RUN: compress-opt %s -o %t.ref.mlir && diff %t.mlir %t.ref.mlir
// RUN: not compress-opt %s --compress-report=report=%t.missing-dir/r.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: error: compress-report: cannot write '{{.*}}r.json'

// A matmul with a dense f32 weight holding 2 zeros out of 8.
// CHECK:      "ops": [
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 32,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 48,
// CHECK-NEXT:   "kind": "contraction",
// CHECK-NEXT:   "loc": "{{.*}}compress-report.mlir:[[# @LINE + 13]]:8",
// CHECK-NEXT:   "op": "linalg.matmul",
// CHECK-NEXT:   "original_bytes": 32,
// CHECK-NEXT:   "params": 8,
// CHECK-NEXT:   "sparsity": 0.25,
// CHECK-NEXT:   "weight_shape": [
// CHECK-NEXT:     4,
// CHECK-NEXT:     2
// CHECK-NEXT:   ],
// CHECK-NEXT:   "weight_type": "f32",
// CHECK-NEXT:   "zeros": 2
func.func @dense_matmul(%x: tensor<3x4xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [2.0, 3.0], [0.0, 4.0], [5.0, 6.0]]> : tensor<4x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// A convolution whose weight is a dense_resource blob (one -0.0 and one
// 0.0 out of 4) and whose batch is dynamic (counted as 1).
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 16,
// CHECK-NEXT:   "dynamic": true,
// CHECK-NEXT:   "flops": 72,
// CHECK-NEXT:   "kind": "convolution",
// CHECK-NEXT:   "loc": "{{.*}}compress-report.mlir:[[# @LINE + 8]]:8",
// CHECK-NEXT:   "op": "linalg.conv_2d_nchw_fchw",
// CHECK-NEXT:   "original_bytes": 16,
// CHECK-NEXT:   "params": 4,
// CHECK-NEXT:   "sparsity": 0.5,
// CHECK:        "zeros": 2
func.func @resource_conv(%x: tensor<?x1x4x4xf32>, %init: tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32> {
  %w = arith.constant dense_resource<conv_w> : tensor<1x1x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<?x1x4x4xf32>, tensor<1x1x2x2xf32>) outs(%init : tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32>
  return %r : tensor<?x1x3x3xf32>
}

// A fake-quantized weight counts with the spec's bits: 6 x 4 bits = 3 bytes.
// CHECK:        "bits": 4,
// CHECK-NEXT:   "bytes": 3,
// CHECK:        "op": "linalg.matmul",
// CHECK-NEXT:   "original_bytes": 24,
// CHECK-NEXT:   "params": 6,
// CHECK-NEXT:   "quant": "#compress.quant<i4, scales = [5.000000e-01], zero_points = [0]>",
func.func @quantized_matmul(%x: tensor<1x3xf32>, %init: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %q = compress.fake_quant %w : tensor<3x2xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0]>
  %r = linalg.matmul ins(%x, %q : tensor<1x3xf32>, tensor<3x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %r : tensor<1x2xf32>
}

// CHECK:      "skipped": [
// CHECK-NEXT:   {
// CHECK-NEXT:     "loc": "{{.*}}compress-report.mlir:[[# @LINE + 15]]:8",
// CHECK-NEXT:     "op": "linalg.batch_matmul",
// CHECK-NEXT:     "reason": "no constant weight operand"
// CHECK-NEXT:   }
// CHECK-NEXT: ],
// CHECK-NEXT: "total": {
// CHECK-NEXT:   "bytes": 51,
// CHECK-NEXT:   "dynamic": true,
// CHECK-NEXT:   "flops": 132,
// CHECK-NEXT:   "ops": 3,
// CHECK-NEXT:   "original_bytes": 72,
// CHECK-NEXT:   "params": 18,
// CHECK-NEXT:   "ratio": 0.7083{{[0-9]*}},
// CHECK-NEXT:   "zeros": 4
func.func @no_weight(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %init: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%init : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// Pooling and elementwise ops are not listed at all.
// CHECK-NOT: pooling
func.func @pooling(%x: tensor<1x1x4x4xf32>, %init: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %window = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv_w: "0x04000000000000800000803F000000000000003F"
    }
  }
#-}
