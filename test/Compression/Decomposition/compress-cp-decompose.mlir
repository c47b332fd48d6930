// RUN: compress-opt %s -split-input-file --compress-cp-decompose="rank=1 only-faster=false" | FileCheck %s
// RUN: compress-opt %s -split-input-file --compress-cp-decompose="rank-ratio=0.5" | FileCheck %s --check-prefix=RATIO
// RUN: compress-opt %s -split-input-file --compress-cp-decompose="tolerance=0" | FileCheck %s --check-prefix=TOL
// RUN: compress-opt %s -split-input-file --compress-cp-decompose="tolerance=0 only-faster=false" | FileCheck %s --check-prefix=TOLALL
// RUN: compress-opt %s -split-input-file --compress-cp-decompose="rank=8" | FileCheck %s --check-prefix=RANK8

// The layers here are tiny, so most tests factor them with
// only-faster=false; by default the pass counts the vector multiply-adds a
// kernel runs (outputs in vectors of 16 lanes) and keeps a layer dense
// unless its factors need at most 0.8 of them.

// A rank-1 weight (every row a multiple of [1, 2, 2]): rank 1 reproduces
// it exactly. A = W v (4 x 1), B = v^T (1 x 3) with v = [1, 2, 2] / 3; the
// first factor into a zero fill of M x 1 (M dynamic), the second into the
// matmul's own init. tolerance=0 also picks rank 1 (error 0). By default
// nothing here is factored: the 3 outputs fill one vector, so the layer
// costs 4 vector multiply-adds a row and its rank-1 factors 4 + 1;
// rank-ratio=0.5 rounds 0.5 x 3 to rank 2 (4 + 2).
// CHECK-LABEL: func.func @rank_one
// CHECK-DAG:   %[[A:.*]] = arith.constant dense<{{\[}}[3.000000e+00], [-1.500000e+00], [0.000000e+00], [6.000000e+00]]> : tensor<4x1xf32>
// CHECK-DAG:   %[[B:.*]] = arith.constant dense<{{\[}}[0.333333{{[0-9]*}}, 0.666666{{[0-9]*}}, 0.666666{{[0-9]*}}]]> : tensor<1x3xf32>
// CHECK-DAG:   %[[M:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x4xf32>
// CHECK:       %[[E:.*]] = tensor.empty(%[[M]]) : tensor<?x1xf32>
// CHECK:       %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<?x1xf32>)
// CHECK:       %[[T:.*]] = linalg.matmul {compress.decomposed = {factor = 1 : i64, flops = 7 : i64, method = "svd", original_flops = 12 : i64, original_params = 12 : i64, params = 7 : i64, rank = 1 : i64, weight_error = {{[-+.0-9eE]+}} : f64}} ins(%{{.*}}, %[[A]] : tensor<?x4xf32>, tensor<4x1xf32>) outs(%[[F]] : tensor<?x1xf32>)
// CHECK:       %[[Y:.*]] = linalg.matmul {compress.decomposed = {factor = 2 : i64, flops = 7 : i64, method = "svd", original_flops = 12 : i64, original_params = 12 : i64, params = 7 : i64, rank = 1 : i64, weight_error = {{[-+.0-9eE]+}} : f64}} ins(%[[T]], %[[B]] : tensor<?x1xf32>, tensor<1x3xf32>) outs(%{{.*}} : tensor<?x3xf32>)
// CHECK:       return %[[Y]]
// CHECK-NOT:   tensor<4x3xf32>
// TOLALL-LABEL: func.func @rank_one
// TOLALL:      linalg.matmul {compress.decomposed = {factor = 1 : i64, flops = 7 : i64, method = "svd", original_flops = 12 : i64, original_params = 12 : i64, params = 7 : i64, rank = 1 : i64
// TOL-LABEL:   func.func @rank_one
// TOL:         linalg.matmul {compress.decomposition_skipped = "rank 1 keeps 1.25 of the vector multiply-adds (outputs in vectors of 16): no reduction"}
// RATIO-LABEL: func.func @rank_one
// RATIO:       linalg.matmul {compress.decomposition_skipped = "rank 2 keeps 1.50 of the vector multiply-adds (outputs in vectors of 16): no reduction"}
func.func @rank_one(%x: tensor<?x4xf32>, %init: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 2.0], [-0.5, -1.0, -1.0], [0.0, 0.0, 0.0], [2.0, 4.0, 4.0]]> : tensor<4x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x3xf32>) outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// A 16 x 16 weight at rank 1: the factors keep 2 x 16 / 256 = 0.125 of the
// FLOPs but 17 / 16 of the vector multiply-adds. Two matmuls sharing the
// weight are factored once each; the weight is erased.
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-4: linalg.matmul {compress.decomposed
// CHECK-NOT:   tensor<16x16xf32>
// RATIO-LABEL: func.func @shared
// RATIO-COUNT-2: compress.decomposition_skipped = "rank 8 keeps 1.50 of the vector multiply-adds (outputs in vectors of 16): no reduction"
func.func @shared(%x: tensor<2x16xf32>, %init: tensor<2x16xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %w = arith.constant dense<0.25> : tensor<16x16xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x16xf32>, tensor<16x16xf32>) outs(%init : tensor<2x16xf32>) -> tensor<2x16xf32>
  %b = linalg.matmul ins(%x, %w : tensor<2x16xf32>, tensor<16x16xf32>) outs(%init : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %a, %b : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// Left alone: a weight that is not a constant (marked), a transposed
// matmul, a convolution, an integer matmul.
// CHECK-LABEL: func.func @left_alone
// CHECK:       linalg.matmul {compress.decomposition_skipped = "the weight is not an f32 constant"}
// CHECK:       linalg.matmul indexing_maps
// CHECK:       linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "method=svd factors matmuls; method=cp or tucker2 factors convolutions"
// CHECK:       linalg.matmul ins({{.*}} : tensor<2x4xi8>
// CHECK-NOT:   compress.decomposed
func.func @left_alone(%x: tensor<2x4xf32>, %v: tensor<4x3xf32>, %init: tensor<2x3xf32>, %img: tensor<1x1x4x4xf32>, %ci: tensor<1x2x2x2xf32>, %xi: tensor<2x4xi8>, %ii: tensor<2x3xi32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x2xf32>, tensor<2x3xi32>) {
  %a = linalg.matmul ins(%x, %v : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  %wt = arith.constant dense<1.0> : tensor<3x4xf32>
  %b = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %wt : tensor<2x4xf32>, tensor<3x4xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  %wc = arith.constant dense<1.0> : tensor<2x1x3x3xf32>
  %c = linalg.conv_2d_nchw_fchw ins(%img, %wc : tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>) outs(%ci : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %wi = arith.constant dense<1> : tensor<4x3xi8>
  %d = linalg.matmul ins(%xi, %wi : tensor<2x4xi8>, tensor<4x3xi8>) outs(%ii : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %a, %b, %c, %d : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x2xf32>, tensor<2x3xi32>
}

// -----

// A batch_matmul with a constant 2 x 4 x 3 weight: each batch factored at
// the same rank (batch 0 is rank 1, batch 1 rank 2); the first factor
// (B x K x r) into a zero fill of B x M x r, the second (B x r x N) into
// the op's init. tolerance=0 takes the largest rank a batch needs (2),
// factored with only-faster=false, else left dense: 4 + 2 vector
// multiply-adds a row against 4.
// CHECK-LABEL: func.func @batch
// CHECK-SAME:      %[[X:.*]]: tensor<2x5x4xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<2x5x3xf32>
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<{{.*}}> : tensor<2x4x1xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<2x1x3xf32>
// CHECK:         %[[Z:.*]] = linalg.fill {{.*}} -> tensor<2x5x1xf32>
// CHECK:         %[[T:.*]] = linalg.batch_matmul {compress.decomposed = {factor = 1 : i64, flops = 14 : i64, method = "svd", original_flops = 24 : i64, original_params = 24 : i64, params = 14 : i64, rank = 1 : i64, weight_error = {{.*}}}} ins(%[[X]], %[[A]] : tensor<2x5x4xf32>, tensor<2x4x1xf32>) outs(%[[Z]] : tensor<2x5x1xf32>)
// CHECK:         linalg.batch_matmul {compress.decomposed = {factor = 2 : i64{{.*}}}} ins(%[[T]], %[[B]] : tensor<2x5x1xf32>, tensor<2x1x3xf32>) outs(%[[INIT]] : tensor<2x5x3xf32>)
// TOL-LABEL:   func.func @batch
// TOL:           linalg.batch_matmul {compress.decomposition_skipped = "rank 2 keeps 1.50 of the vector multiply-adds (outputs in vectors of 16): no reduction"}
// TOLALL-LABEL: func.func @batch
// TOLALL:        linalg.batch_matmul {compress.decomposed = {factor = 1 : i64, flops = 28 : i64, method = "svd", original_flops = 24 : i64, original_params = 24 : i64, params = 28 : i64, rank = 2 : i64
func.func @batch(%x: tensor<2x5x4xf32>) -> tensor<2x5x3xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 2.0], [2.0, 4.0, 4.0], [0.0, 0.0, 0.0], [1.0, 2.0, 2.0]],
                             [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [2.0, 1.0, 0.0]]]> : tensor<2x4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x5x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x5x4xf32>, tensor<2x4x3xf32>) outs(%f : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// Where the vector multiply-adds decide: a 64 x 64 layer at rank 8 needs
// 64 + 8 x 4 = 96 of its 256 (factored); a 64 x 10 classifier at rank 8
// needs 64 + 8 of its 64 although its FLOPs fall to 0.93 of them: its 10
// outputs cost one vector like 16 would (measured: a 32 x 10 layer at
// batch 64 took 1.5 us dense and 1.7 us as rank-5 factors).
// RANK8-LABEL: func.func @vector_work
// RANK8:       linalg.matmul {compress.decomposed = {factor = 1 : i64, flops = 1024 : i64, {{.*}}rank = 8 : i64
// RANK8:       linalg.matmul {compress.decomposed = {factor = 2 : i64
// RANK8:       linalg.matmul {compress.decomposition_skipped = "rank 8 keeps 1.12 of the vector multiply-adds (outputs in vectors of 16): no reduction"} {{.*}} tensor<64x10xf32>
func.func @vector_work(%x: tensor<4x64xf32>) -> tensor<4x10xf32> {
  %w1 = arith.constant dense<0.5> : tensor<64x64xf32>
  %w2 = arith.constant dense<0.25> : tensor<64x10xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x64xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<4x64xf32>) -> tensor<4x64xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<4x64xf32>, tensor<64x64xf32>) outs(%f1 : tensor<4x64xf32>) -> tensor<4x64xf32>
  %e2 = tensor.empty() : tensor<4x10xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<4x10xf32>) -> tensor<4x10xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<4x64xf32>, tensor<64x10xf32>) outs(%f2 : tensor<4x10xf32>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}
