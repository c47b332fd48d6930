// compress-report after compress-cp-decompose of convolutions: each factor
// convolution carries its decomposition (method, ranks, which factor, the
// weight error, the sweeps, and the parameters and multiply-adds per image
// of the original layer and of all its factors); a layer left dense says
// why.
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank=2" --compress-report -o /dev/null 2>&1 | FileCheck %s
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=30" --compress-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=KEPT

// CHECK:      "ops": [
// CHECK:        "decomposition": {
// CHECK-NEXT:     "factor": 1,
// CHECK-NEXT:     "flops": 2880,
// CHECK-NEXT:     "iterations": {{[0-9]+}},
// CHECK-NEXT:     "method": "tucker2",
// CHECK-NEXT:     "original_flops": 13824,
// CHECK-NEXT:     "original_params": 384,
// CHECK-NEXT:     "params": 72,
// CHECK-NEXT:     "ranks": [
// CHECK-NEXT:       2,
// CHECK-NEXT:       2
// CHECK-NEXT:     ],
// CHECK-NEXT:     "weight_error": {{.*}}
// CHECK-NEXT:   },
// CHECK:        "op": "linalg.conv_2d_nchw_fchw",
// CHECK:        "decomposition": {
// CHECK-NEXT:     "factor": 2,
// CHECK:        "decomposition": {
// CHECK-NEXT:     "factor": 3,
// KEPT:         "decomposition": {
// KEPT-NEXT:      "skipped": "rank 30 keeps 1.90 of the FLOPs: no reduction"
func.func @predict(%x: tensor<1x4x9x8xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4x4x3xf32>
  %z = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<1x8x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x9x8xf32>, tensor<8x4x4x3xf32>) outs(%f : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}
