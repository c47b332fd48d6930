// compress-report after compress-cp-decompose: each factor matmul carries
// its decomposition (method, rank, which factor, the errors, and the
// parameters and multiply-adds per row of the original weight and of both
// factors), and a layer left dense says why.
// RUN: compress-opt %s --compress-cp-decompose=rank=1 --compress-report -o /dev/null 2>&1 | FileCheck %s

// CHECK:      "ops": [
// CHECK:        "decomposition": {
// CHECK-NEXT:     "factor": 1,
// CHECK-NEXT:     "flops": 128,
// CHECK-NEXT:     "method": "svd",
// CHECK-NEXT:     "original_flops": 4096,
// CHECK-NEXT:     "original_params": 4096,
// CHECK-NEXT:     "params": 128,
// CHECK-NEXT:     "rank": 1,
// CHECK-NEXT:     "weight_error": {{.*}}
// CHECK-NEXT:   },
// CHECK:        "params": 64,
// CHECK:        "weight_shape": [
// CHECK-NEXT:     64,
// CHECK-NEXT:     1
// CHECK:        "decomposition": {
// CHECK-NEXT:     "factor": 2,
// CHECK:        "params": 64,
// CHECK:        "decomposition": {
// CHECK-NEXT:     "skipped": "rank 1 keeps 0.83 of the vector multiply-adds, above 0.80 where the factors run faster than the dense layer"
// CHECK-NEXT:   },
// CHECK:        "params": 96,
// The second layer (3 x 32) at rank 1 needs 3 + 2 of the 6 vector
// multiply-adds a row of the dense one (outputs in vectors of 16).
func.func @predict(%x: tensor<2x64xf32>, %x2: tensor<2x3xf32>) -> (tensor<2x64xf32>, tensor<2x32xf32>) {
  %w = arith.constant dense<0.25> : tensor<64x64xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x64xf32>) -> tensor<2x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x64xf32>, tensor<64x64xf32>) outs(%f : tensor<2x64xf32>) -> tensor<2x64xf32>
  %w2 = arith.constant dense<1.5> : tensor<3x32xf32>
  %e2 = tensor.empty() : tensor<2x32xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x32xf32>) -> tensor<2x32xf32>
  %y2 = linalg.matmul ins(%x2, %w2 : tensor<2x3xf32>, tensor<3x32xf32>) outs(%f2 : tensor<2x32xf32>) -> tensor<2x32xf32>
  return %y, %y2 : tensor<2x64xf32>, tensor<2x32xf32>
}
