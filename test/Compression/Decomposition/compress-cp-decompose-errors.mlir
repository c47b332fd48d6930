// Invalid options of compress-cp-decompose: each is an error naming the
// problem, and nothing is written.
// RUN: not compress-opt %s --compress-cp-decompose -o %t.mlir 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not test -e %t.mlir
// NONE: error: compress-cp-decompose: give the rank: one of rank, rank-ratio or tolerance
// RUN: not compress-opt %s --compress-cp-decompose=rank=0 2>&1 | FileCheck %s --check-prefix=RANK0
// RANK0: error: compress-cp-decompose: rank must be at least 1, got 0
// RUN: not compress-opt %s --compress-cp-decompose=rank=-3 2>&1 | FileCheck %s --check-prefix=RANKNEG
// RANKNEG: error: compress-cp-decompose: rank must be at least 1, got -3
// RUN: not compress-opt %s --compress-cp-decompose=rank-ratio=0 2>&1 | FileCheck %s --check-prefix=RATIO0
// RATIO0: error: compress-cp-decompose: rank-ratio must be in (0, 1], got 0
// RUN: not compress-opt %s --compress-cp-decompose=rank-ratio=1.5 2>&1 | FileCheck %s --check-prefix=RATIO15
// RATIO15: error: compress-cp-decompose: rank-ratio must be in (0, 1], got 1.5
// RUN: not compress-opt %s --compress-cp-decompose=tolerance=-0.1 2>&1 | FileCheck %s --check-prefix=TOL
// TOL: error: compress-cp-decompose: tolerance must be a finite number >= 0, got -0.1
// RUN: not compress-opt %s --compress-cp-decompose="rank=4 tolerance=0.1" 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not compress-opt %s --compress-cp-decompose="rank=4 rank-ratio=0.5" 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: compress-cp-decompose: rank, rank-ratio and tolerance choose the rank three ways; give one of them
// RUN: not compress-opt %s --compress-cp-decompose="rank=4 damp=0" 2>&1 | FileCheck %s --check-prefix=DAMP
// DAMP: error: compress-cp-decompose: damp must be in (0, 1], got 0
// RUN: not compress-opt %s --compress-cp-decompose="method=tucker rank=4" 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: for the --method option: unknown value 'tucker' (expected svd, tucker2 or cp)
// RUN: not compress-opt %s --compress-cp-decompose="method=tucker2 rank=4 max-iterations=-2" 2>&1 | FileCheck %s --check-prefix=ITER
// ITER: error: compress-cp-decompose: max-iterations must be >= 0, got -2
// RUN: not compress-opt %s --compress-cp-decompose="method=cp rank=4 max-iterations=0" 2>&1 | FileCheck %s --check-prefix=CPITER
// CPITER: error: compress-cp-decompose: max-iterations must be >= 1 with method=cp, got 0
// RUN: not compress-opt %s --compress-cp-decompose="rank=4 calibration=%t.missing/c.json" 2>&1 | FileCheck %s --check-prefix=FILE
// FILE: error: compress-cp-decompose: {{.*}}c.json

func.func @predict(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<1.0> : tensor<8x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
