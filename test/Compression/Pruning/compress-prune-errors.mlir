// Invalid options and combinations of compress-prune: each is an error
// naming the option (and the other option it conflicts with), and the IR is
// not changed.
//
// RUN: not compress-opt %s --compress-prune=sparsity=1.5 2>&1 | FileCheck %s --check-prefix=SPARSITY
// SPARSITY: error: compress-prune: sparsity must be in [0, 1), got 1.5
// RUN: not compress-opt %s --compress-prune=sparsity=-0.25 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: compress-prune: sparsity must be in [0, 1), got -0.25
// RUN: not compress-opt %s --compress-prune=sparsity=1 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: error: compress-prune: sparsity must be in [0, 1), got 1
// RUN: not compress-opt %s --compress-prune="structure=n:m n=4 m=4" 2>&1 | FileCheck %s --check-prefix=NGEM
// NGEM: error: compress-prune: n:m needs 1 <= n < m, got n=4 m=4
// RUN: not compress-opt %s --compress-prune="structure=n:m n=0 m=4" 2>&1 | FileCheck %s --check-prefix=NZERO
// NZERO: error: compress-prune: n:m needs 1 <= n < m, got n=0 m=4
// RUN: not compress-opt %s --compress-prune="structure=block block=3" 2>&1 | FileCheck %s --check-prefix=BLOCKTEXT
// BLOCKTEXT: error: compress-prune: block must be RxC with positive integers R and C, got '3'
// RUN: not compress-opt %s --compress-prune="structure=block block=0x4" 2>&1 | FileCheck %s --check-prefix=BLOCKZERO
// BLOCKZERO: error: compress-prune: block must be RxC with positive integers R and C, got '0x4'
// RUN: not compress-opt %s --compress-prune=structure=triangle 2>&1 | FileCheck %s --check-prefix=ENUM
// ENUM: unknown value 'triangle' (expected unstructured, block, n:m or channel)
// RUN: not compress-opt %s --compress-prune=method=reconstruct 2>&1 | FileCheck %s --check-prefix=NOCAL
// NOCAL: error: compress-prune: method=reconstruct needs calibration=FILE
// RUN: not compress-opt %s --compress-prune=criterion=activation 2>&1 | FileCheck %s --check-prefix=NOCALACT
// NOCALACT: error: compress-prune: criterion=activation needs calibration=FILE
// RUN: not compress-opt %s --compress-prune=block=2x2 2>&1 | FileCheck %s --check-prefix=BLOCKSTRUCT
// BLOCKSTRUCT: error: compress-prune: block=2x2 conflicts with structure=unstructured: block applies to structure=block only
// RUN: not compress-opt %s --compress-prune="n=1 m=8" 2>&1 | FileCheck %s --check-prefix=NMSTRUCT
// NMSTRUCT: error: compress-prune: n=1 m=8 conflicts with structure=unstructured: n and m apply to structure=n:m only
// RUN: not compress-opt %s --compress-prune="structure=n:m sparsity=0.9" 2>&1 | FileCheck %s --check-prefix=NMSPARSITY
// NMSPARSITY: error: compress-prune: sparsity=0.9 conflicts with structure=n:m: n=2 m=4 removes 0.5 of the weights
// RUN: not compress-opt %s --compress-prune="structure=n:m scope=global" 2>&1 | FileCheck %s --check-prefix=NMGLOBAL
// NMGLOBAL: error: compress-prune: scope=global conflicts with structure=n:m: n:m fixes every layer's sparsity
// RUN: not compress-opt %s --compress-prune="method=reconstruct criterion=l2 calibration=c.json" 2>&1 | FileCheck %s --check-prefix=CRITERION
// CRITERION: error: compress-prune: criterion=l2 conflicts with method=reconstruct
// RUN: not compress-opt %s --compress-prune="calibration=c.json" 2>&1 | FileCheck %s --check-prefix=UNUSEDCAL
// UNUSEDCAL: error: compress-prune: calibration=c.json conflicts with method=magnitude
// RUN: not compress-opt %s --compress-prune="method=reconstruct calibration=c.json damp=0" 2>&1 | FileCheck %s --check-prefix=DAMP
// DAMP: error: compress-prune: damp must be in (0, 1], got 0
// RUN: not compress-opt %s --compress-prune="method=reconstruct calibration=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: compress-prune: {{.*}}missing.json
// RUN: not compress-opt %s --compress-prune="structure=channel method=reconstruct solver=obs calibration=c.json" 2>&1 | FileCheck %s --check-prefix=CHSOLVER
// CHSOLVER: error: compress-prune: solver=obs conflicts with structure=channel
//
// A structure that fits no layer (m=4 and 2 input channels): a warning per
// layer, then an error.
// RUN: not compress-opt %s --compress-prune="structure=n:m" 2>&1 | FileCheck %s --check-prefix=UNFIT
// UNFIT: warning: compress-prune: structure=n:m leaves linalg.matmul (predict/0) with a 'tensor<2x3xf32>' weight dense: m=4 does not divide its 2 input channels
// UNFIT: error: compress-prune: structure=n:m fits none of the weights (see the warnings)
// RUN: not compress-opt %s --compress-prune="structure=block block=1x2" 2>&1 | FileCheck %s --check-prefix=UNFITBLOCK
// UNFITBLOCK: warning: compress-prune: structure=block leaves linalg.matmul (predict/0) with a 'tensor<2x3xf32>' weight dense: block=1x2 does not divide its 3 output channels

func.func @predict(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x3xf32>) outs(%f : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
