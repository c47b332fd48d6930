// Per-group quantization keeps each group inside one reduction: the group
// size must divide the product of the weight's reduced dimensions (K of a
// batch_matmul, not B * K), and the reduced dimensions must be the innermost
// of each channel's slice.

// The second case is an error, so every run exits non-zero; the IR (stdout)
// and the errors (stderr) are checked separately.
// RUN: not compress-opt %s -split-input-file --compress-quantize='bits=4 granularity=per-group group-size=3' 2>/dev/null | FileCheck %s
// RUN: not compress-opt %s -split-input-file --compress-quantize='bits=4 granularity=per-group group-size=3' 2>&1 >/dev/null | FileCheck %s --check-prefix=ERR
// RUN: not compress-opt %s -split-input-file --compress-quantize='bits=4 granularity=per-group group-size=2' 2>&1 | FileCheck %s --check-prefix=TWO

// CHECK-LABEL: func.func @batch_matmul
// CHECK:       compress.dequantize %{{.*}} : tensor<2x3x1xi4> -> tensor<2x3x1xf32>, #compress.quant<i4, scales = [0.428466796875, 0.85693359375], zero_points = [0, 0], axis = 2, group_size = 3>
// TWO:         compress-quantize-groups.mlir:[[# @LINE + 3]]:8: error: compress-quantize: group-size 2 does not divide the reduction size 3 of linalg.batch_matmul (batch_matmul/0)
func.func @batch_matmul(%x: tensor<2x1x3xf32>, %init: tensor<2x1x1xf32>) -> tensor<2x1x1xf32> {
  %w = arith.constant dense<[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]]]> : tensor<2x3x1xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x1x3xf32>, tensor<2x3x1xf32>)
                           outs(%init : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  return %y : tensor<2x1x1xf32>
}

// -----

// A weight [K, B, N] of a batched contraction: the batch dimension B sits
// inside the reduced K, so groups would mix batches.
// ERR:   compress-quantize-groups.mlir:[[# @LINE + 4]]:8: error: compress-quantize: per-group quantization needs the reduced dimensions of the weight innermost; linalg.generic (kbn/0) has a 'tensor<3x2x1xf32>' weight with a parallel dimension inside them
// TWO:   compress-quantize-groups.mlir:[[# @LINE + 3]]:8: error: compress-quantize: per-group quantization needs the reduced dimensions
func.func @kbn(%x: tensor<2x1x3xf32>, %init: tensor<2x1x1xf32>) -> tensor<2x1x1xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2x1xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, b, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<2x1x3xf32>, tensor<3x2x1xf32>) outs(%init : tensor<2x1x1xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x1x1xf32>
  return %y : tensor<2x1x1xf32>
}
