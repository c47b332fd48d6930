// The ops= option of compress-quantize, compress-prune and
// compress-cp-decompose restricts a pass to the ops it names by key
// (<function>/<ordinal>, as in calibration files and compress-report):
// here only the second of two matmuls changes. An unknown key is an error
// that lists the keys; channel pruning cannot be restricted (it removes
// channels from whole groups of coupled ops).
//
// RUN: compress-opt %s --compress-quantize="bits=8 ops=predict/1" | FileCheck %s --check-prefix=QUANT
// RUN: compress-opt %s --compress-prune="sparsity=0.5 ops=predict/1" | FileCheck %s --check-prefix=PRUNE
// RUN: compress-opt %s --compress-cp-decompose="rank=1 only-faster=false ops=predict/1" | FileCheck %s --check-prefix=SVD
// RUN: compress-opt %s --compress-quantize="bits=8 ops=predict/0,predict/1" | FileCheck %s --check-prefix=BOTH
// RUN: compress-opt %s --compress-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not compress-opt %s --compress-quantize="ops=predict/7" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not compress-opt %s --compress-prune="ops=other/0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PRUNE
// RUN: not compress-opt %s --compress-cp-decompose="rank=1 ops=x" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN-SVD
// RUN: not compress-opt %s --compress-prune="structure=channel sparsity=0.5 ops=predict/0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHANNEL

// QUANT-LABEL: func.func @predict
// QUANT:       linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>)
// QUANT:       compress.dequantize %{{.*}} : tensor<4x3xi8> -> tensor<4x3xf32>
// QUANT-NOT:   compress.dequantize
// PRUNE-LABEL: func.func @predict
// PRUNE:       linalg.matmul ins
// PRUNE-NOT:   compress.pruned
// PRUNE-SAME:  -> tensor<2x4xf32>
// PRUNE:       linalg.matmul {compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}}
// SVD-LABEL:   func.func @predict
// SVD:         linalg.matmul ins({{.*}}tensor<4x4xf32>)
// SVD:         linalg.matmul {compress.decomposed = {factor = 1
// SVD:         linalg.matmul {compress.decomposed = {factor = 2
// BOTH-COUNT-2: compress.dequantize
// REPORT:      "key": "predict/0",
// REPORT:      "key": "predict/1",
// UNKNOWN:     error: compress-quantize: ops names 'predict/7', which is not a compressible op (the keys are predict/0, predict/1)
// UNKNOWN-PRUNE: error: compress-prune: ops names 'other/0', which is not a compressible op (the keys are predict/0, predict/1)
// UNKNOWN-SVD: error: compress-cp-decompose: ops names 'x', which is not a compressible op (the keys are predict/0, predict/1)
// CHANNEL:     ops= conflicts with structure=channel: channel pruning removes channels from whole groups of coupled ops
func.func @predict(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w0 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 2.0, 0.25], [1.0, 0.0, -2.0, 1.0], [3.0, 1.0, 0.5, -0.5]]> : tensor<4x4xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0], [0.5, -1.0, 2.0], [1.0, 0.0, -2.0], [3.0, 1.0, 0.5]]> : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<2x4xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %h = linalg.matmul ins(%x, %w0 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f0 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e1 = tensor.empty() : tensor<2x3xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%h, %w1 : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f1 : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
