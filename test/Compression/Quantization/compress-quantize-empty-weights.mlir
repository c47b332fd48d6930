// A weight with a dimension of size 0 has nothing to quantize: every mode
// leaves the op and its f32 constant unchanged. (Reading the empty constant
// passed a null pointer to memcpy, and a per-channel or per-group spec got no
// scales and failed QuantSpecAttr's verifier.)
// RUN: echo '{"version": 2, "tensors": {"empty_reduction/0": {"ranges": {"minmax": [-1, 1]}}, "empty_channels/0": {"ranges": {"minmax": [-1, 1]}}}}' > %t.json
// RUN: compress-opt %s --compress-quantize | FileCheck %s
// RUN: compress-opt %s --compress-quantize='granularity=per-group group-size=4 bits=4' | FileCheck %s
// RUN: compress-opt %s --compress-quantize='granularity=per-tensor symmetric=false' | FileCheck %s
// RUN: compress-opt %s --compress-quantize='scheme=log2' | FileCheck %s
// RUN: compress-opt %s --compress-quantize='mode=dynamic' | FileCheck %s
// RUN: compress-opt %s --compress-quantize='mode=static calibration=%t.json' | FileCheck %s

// CHECK-LABEL: func.func @empty_reduction(
// CHECK:         %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<0x2xf32>
// CHECK:         linalg.matmul ins(%{{.*}}, %[[W]] : tensor<2x0xf32>, tensor<0x2xf32>)
func.func @empty_reduction(%x: tensor<2x0xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<0x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x0xf32>, tensor<0x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @empty_channels(
// CHECK:         %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<4x0xf32>
// CHECK:         linalg.matmul ins(%{{.*}}, %[[W]] : tensor<2x4xf32>, tensor<4x0xf32>)
func.func @empty_channels(%x: tensor<2x4xf32>, %init: tensor<2x0xf32>) -> tensor<2x0xf32> {
  %w = arith.constant dense<1.0> : tensor<4x0xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x0xf32>) outs(%init : tensor<2x0xf32>) -> tensor<2x0xf32>
  return %y : tensor<2x0xf32>
}
