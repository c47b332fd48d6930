// Pruning composes with quantization: the removed weights quantize to the
// zero code (symmetric) or to the zero point (asymmetric), so they
// dequantize to exactly 0 and the zeros survive.
//
// RUN: compress-opt %s --compress-prune="structure=n:m" --compress-quantize=bits=4 | FileCheck %s --check-prefix=INT4
// RUN: compress-opt %s --compress-prune="structure=n:m" --compress-quantize="bits=8 symmetric=false" | FileCheck %s --check-prefix=ASYM
// RUN: compress-opt %s --compress-prune="structure=n:m" --compress-quantize="bits=8 symmetric=false" --convert-compress-to-linalg | FileCheck %s --check-prefix=LOWERED
// INT4:      arith.constant dense<{{\[}}[6, 0], [0, -5], [4, 0], [0, 7], [0, -2], [7, 0], [-5, 0], [0, -6]]> : tensor<8x2xi4>
// ASYM:      arith.constant dense<{{\[}}[102, -8], [-19, -113], [54, -8], [-19, 127], [-19, -53], [127, -8], [-128, -8], [-19, -128]]> : tensor<8x2xi8>
// ASYM:      zero_points = [-19, -8]
// LOWERED-LABEL: func.func @matmul
// LOWERED:       linalg.matmul

func.func @matmul(%x: tensor<3x8xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[0.5, -0.1], [0.05, -0.7], [0.3, 0.2], [-0.01, 0.9], [0.25, -0.3], [0.6, 0.02], [-0.45, 0.15], [0.07, -0.8]]> : tensor<8x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x8xf32>, tensor<8x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
