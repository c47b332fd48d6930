// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=skylake --canonicalize --cse | FileCheck %s --check-prefix=L2-256K
// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=znver3 --canonicalize --cse | FileCheck %s --check-prefix=L2-512K
// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=znver4 --canonicalize --cse | FileCheck %s --check-prefix=L2-1M
// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=icelake-server --canonicalize --cse | FileCheck %s --check-prefix=L2-1M
// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=sapphirerapids --canonicalize --cse | FileCheck %s --check-prefix=L2-1M

// The row panels of a GEMM whose activation (1024 x 512 f32, 2 KiB per row)
// does not stay in L2 hold as many rows as the target's L2 budget allows:
// max(L2 / 2, min(L2, 1 MiB)), i.e. the whole L2 of Skylake (256 KiB: 128
// rows) and Zen 3 (512 KiB: 256 rows), and 1 MiB (512 rows) on Zen 4
// (1 MiB L2), Ice Lake-SP (1.25 MiB) and Sapphire Rapids (2 MiB).
// L2-256K-LABEL: func.func @row_panels
// L2-256K:       scf.for %{{.*}} = %c0 to %c1024 step %c128
// L2-512K-LABEL: func.func @row_panels
// L2-512K:       scf.for %{{.*}} = %c0 to %c1024 step %c256
// L2-1M-LABEL:   func.func @row_panels
// L2-1M:         scf.for %{{.*}} = %c0 to %c1024 step %c512
func.func @row_panels(%x: tensor<1024x512xf32>) -> tensor<1024x64xf32> {
  %w = arith.constant dense<1.0> : tensor<512x64xf32>
  %e = tensor.empty() : tensor<1024x64xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1024x64xf32>) -> tensor<1024x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1024x512xf32>, tensor<512x64xf32>) outs(%i : tensor<1024x64xf32>) -> tensor<1024x64xf32>
  return %y : tensor<1024x64xf32>
}
