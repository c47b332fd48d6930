// Decomposition composes with the other compression passes: its factors
// are ordinary matmuls with constant weights, so compress-quantize turns
// them into int8 codes (weight-only here; static int8 would give integer
// kernels), compress-prune removes their weights, and compress-report
// sees both. (The layer is too small for its factors to pay, so
// only-faster=false.)
//
// RUN: compress-opt %s --compress-cp-decompose="rank=2 only-faster=false" --compress-quantize=bits=8 | FileCheck %s --check-prefix=QUANT
// RUN: compress-opt %s --compress-cp-decompose="rank=2 only-faster=false" --compress-prune=sparsity=0.5 | FileCheck %s --check-prefix=PRUNE
// RUN: compress-opt %s --compress-cp-decompose="rank=2 only-faster=false" --compress-prune=sparsity=0.5 --compress-quantize=bits=8 --compress-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// QUANT-LABEL: func.func @predict
// QUANT:       compress.dequantize %{{.*}} : tensor<16x2xi8> -> tensor<16x2xf32>
// QUANT:       linalg.matmul {compress.decomposed = {factor = 1
// QUANT:       compress.dequantize %{{.*}} : tensor<2x16xi8> -> tensor<2x16xf32>
// QUANT:       linalg.matmul {compress.decomposed = {factor = 2
// PRUNE-LABEL: func.func @predict
// PRUNE:       linalg.matmul {compress.decomposed = {factor = 1 {{.*}}, compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}}
// PRUNE:       linalg.matmul {compress.decomposed = {factor = 2 {{.*}}, compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}}
// REPORT:      "decomposition": {
// REPORT-NEXT:   "factor": 1,
// REPORT:      "pruned": {
// REPORT-NEXT:   "sparsity": 0.5,
// REPORT:      "quant": "#compress.quant<i8
// REPORT:      "decomposition": {
// REPORT-NEXT:   "factor": 2,
func.func @predict(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125], [2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125], [2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125], [2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125, 1.0, 0.5, 0.25, 0.125], [2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25, 2.0, 1.0, 0.5, 0.25], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]]> : tensor<16x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
