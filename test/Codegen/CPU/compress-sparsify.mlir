// The n:m kernel (first with few rows when a weight fits it) is off here
// but for @nm: the other kernels' forms.
// RUN: compress-opt %s -split-input-file --compress-sparsify="nm-kernel=false small-layers=false" | FileCheck %s
// RUN: compress-opt %s -split-input-file --compress-sparsify=small-layers=false | FileCheck %s --check-prefix=NM
// RUN: compress-opt %s -split-input-file --compress-sparsify=min-sparsity=0.5 | FileCheck %s --check-prefix=FORCED
// RUN: compress-opt %s -split-input-file --compress-sparsify | FileCheck %s --check-prefix=SMALL
// RUN: compress-opt %s -split-input-file --compress-sparsify=threads=2 | FileCheck %s --check-prefix=SMALL2
// RUN: not compress-opt %s --compress-sparsify=threads=0 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: error: compress-sparsify: threads must be in [1, 1024], got 0
// RUN: not compress-opt %s --compress-sparsify=min-sparsity=1.5 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not compress-opt %s --compress-sparsify=min-block-sparsity=-0.5 2>&1 | FileCheck %s --check-prefix=BLOCKRANGE
// BLOCKRANGE: error: compress-sparsify: min-block-sparsity must be in [0, 1] (or -1: the measured crossover), got -0.5
// RANGE: error: compress-sparsify: min-sparsity must be in [0, 1] (or -1: the measured crossover), got 1.5
// RUN: compress-opt %s -split-input-file --compress-sparsify="min-sparsity=0.5 min-shared-pairs=0" | FileCheck %s --check-prefix=PAIRS
// RUN: not compress-opt %s --compress-sparsify=min-shared-pairs=1.5 2>&1 | FileCheck %s --check-prefix=PAIRRANGE
// PAIRRANGE: error: compress-sparsify: min-shared-pairs must be in [0, 1] (or -1: the measured rule), got 1.5

// A 4 x 8 weight with 29 of 32 zeros (91%) and one activation row (the
// crossover of a small weight is 0.9): transposed activation, the weight by
// columns (column 0 holds rows 0 and 3, column 1 none, column 2 row 1, the
// others none; each padded to 4 entries), the result transposed back; the
// zero fill is dropped.
// CHECK-LABEL: func.func @one_row
// CHECK-DAG:   %[[OFF:.*]] = arith.constant dense<[0, 4, 4, 8, 8, 8, 8, 8, 8]> : tensor<9xi32>
// CHECK-DAG:   %[[ROWS:.*]] = arith.constant dense<[0, 3, 0, 0, 1, 0, 0, 0]> : tensor<8xi16>
// CHECK-DAG:   %[[VALS:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<8xf32>
// CHECK:       %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x4xf32>) outs(%{{.*}} : tensor<4x1xf32>) permutation = [1, 0]
// CHECK:       %[[YT:.*]] = compress.sparse_matmul %[[XT]], %[[OFF]], %[[ROWS]], %[[VALS]] {group = 4 : i64} : tensor<4x1xf32>, tensor<9xi32>, tensor<8xi16>, tensor<8xf32> -> tensor<8x1xf32>
// CHECK:       %[[Y:.*]] = linalg.transpose ins(%[[YT]] : tensor<8x1xf32>) outs(%{{.*}} : tensor<1x8xf32>) permutation = [1, 0]
// CHECK:       return %[[Y]]
// CHECK-NOT:   linalg.matmul
func.func @one_row(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// Accumulating into an init that is not a zero fill: the sparse product is
// added to it.
// CHECK-LABEL: func.func @accumulate
// CHECK:       compress.sparse_matmul
// CHECK:       %[[Y:.*]] = linalg.transpose
// CHECK:       linalg.generic {{.*}} ins(%{{.*}}, %[[Y]] : tensor<1x8xf32>, tensor<1x8xf32>)
// CHECK:         arith.addf
func.func @accumulate(%x: tensor<1x4xf32>, %c: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x8xf32>) outs(%c : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// 78% zeros with 8 activation rows (crossover 0.8) or a dynamic number
// (taken as few, 0.9) stays dense by default; min-sparsity=0.5 forces it;
// with 16 rows (crossover 0.6) it runs sparse.
// CHECK-LABEL: func.func @eight_rows
// CHECK:       linalg.matmul
// CHECK-NOT:   compress.sparse_matmul
// FORCED-LABEL: func.func @eight_rows
// FORCED:       compress.sparse_matmul {{.*}} -> tensor<8x8xf32>
func.func @eight_rows(%x: tensor<8x4xf32>) -> tensor<8x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 3.0, 0.0, 0.0, 6.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_rows
// CHECK:       linalg.matmul
// FORCED-LABEL: func.func @dynamic_rows
// FORCED:       compress.sparse_matmul {{.*}} : tensor<4x?xf32>, tensor<9xi32>, tensor<24xi16>, tensor<24xf32> -> tensor<8x?xf32>
func.func @dynamic_rows(%x: tensor<?x4xf32>, %f: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 3.0, 0.0, 0.0, 6.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x8xf32>) outs(%f : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Not sparsified: a weight that is not a constant, a dense one, and a
// matmul with transposed indexing maps.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT:   compress.sparse_matmul
func.func @left_alone(%x: tensor<1x4xf32>, %v: tensor<4x3xf32>, %f: tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>) {
  %d = arith.constant dense<1.0> : tensor<4x3xf32>
  %t = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0]]> : tensor<3x4xf32>
  %a = linalg.matmul ins(%x, %v : tensor<1x4xf32>, tensor<4x3xf32>) outs(%f : tensor<1x3xf32>) -> tensor<1x3xf32>
  %b = linalg.matmul ins(%x, %d : tensor<1x4xf32>, tensor<4x3xf32>) outs(%f : tensor<1x3xf32>) -> tensor<1x3xf32>
  %c = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %t : tensor<1x4xf32>, tensor<3x4xf32>) outs(%f : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %a, %b, %c : tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @sixteen_rows
// CHECK:       compress.sparse_matmul {{.*}} -> tensor<8x16xf32>
// CHECK-NOT:   linalg.matmul
func.func @sixteen_rows(%x: tensor<16x4xf32>) -> tensor<16x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 3.0, 0.0, 0.0, 6.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<16x4xf32>, tensor<4x8xf32>) outs(%f : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y : tensor<16x8xf32>
}

// -----

// Half the weights zero (as 2:4 pruning leaves them): sparse from 32 rows
// (the measured crossover is 0.5 there), dense with 16.
// CHECK-LABEL: func.func @half_zeros
// CHECK:       compress.sparse_matmul {{.*}} -> tensor<8x64xf32>
// CHECK:       linalg.matmul {{.*}} -> tensor<16x8xf32>
func.func @half_zeros(%x: tensor<64x4xf32>, %x16: tensor<16x4xf32>) -> (tensor<64x8xf32>, tensor<16x8xf32>) {
  %w = arith.constant dense<[[1.0, 0.0, 2.0, 0.0, 3.0, 0.0, 4.0, 0.0], [0.0, 5.0, 0.0, 6.0, 0.0, 7.0, 0.0, 8.0], [1.0, 0.0, 2.0, 0.0, 3.0, 0.0, 4.0, 0.0], [0.0, 5.0, 0.0, 6.0, 0.0, 7.0, 0.0, 8.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x8xf32>) -> tensor<64x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x4xf32>, tensor<4x8xf32>) outs(%f : tensor<64x8xf32>) -> tensor<64x8xf32>
  %e16 = tensor.empty() : tensor<16x8xf32>
  %f16 = linalg.fill ins(%z : f32) outs(%e16 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %y16 = linalg.matmul ins(%x16, %w : tensor<16x4xf32>, tensor<4x8xf32>) outs(%f16 : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y, %y16 : tensor<64x8xf32>, tensor<16x8xf32>
}

// -----

// Half the weights zero, half of the nonzeros in rows that both columns of
// their pair keep (pair (0, 1): row 0 both, row 1 column 0, row 2 column
// 1): with 64 rows the columns are stored by pairs (per pair, the shared
// rows as two entries each, then each column's own, every range padded to
// 4 entries); with 16 rows (dense by default: the crossover is 0.6; forced
// here) by columns, as pairs pay there from three quarters of the nonzeros
// shared, unless min-shared-pairs is set.
// CHECK-LABEL: func.func @paired
// CHECK-DAG:   arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48]> : tensor<13xi32>
// CHECK-DAG:   arith.constant dense<[0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]> : tensor<48xi16>
// CHECK-DAG:   arith.constant dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00,
// CHECK:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<4x64xf32>, tensor<13xi32>, tensor<48xi16>, tensor<48xf32> -> tensor<8x64xf32>
// CHECK:       linalg.matmul {{.*}} -> tensor<16x8xf32>
// FORCED-LABEL: func.func @paired
// FORCED:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<4x64xf32>, tensor<13xi32>
// FORCED:       compress.sparse_matmul {{.*}} {group = 4 : i64} : tensor<4x16xf32>, tensor<9xi32>
// PAIRS-LABEL: func.func @paired
// PAIRS:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<4x64xf32>, tensor<13xi32>
// PAIRS:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<4x16xf32>, tensor<13xi32>
func.func @paired(%x: tensor<64x4xf32>, %x16: tensor<16x4xf32>) -> (tensor<64x8xf32>, tensor<16x8xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 5.0, 6.0], [7.0, 0.0, 8.0, 9.0, 0.0, 1.0, 2.0, 0.0], [0.0, 3.0, 4.0, 0.0, 5.0, 6.0, 0.0, 7.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x8xf32>) -> tensor<64x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x4xf32>, tensor<4x8xf32>) outs(%f : tensor<64x8xf32>) -> tensor<64x8xf32>
  %e16 = tensor.empty() : tensor<16x8xf32>
  %f16 = linalg.fill ins(%z : f32) outs(%e16 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %y16 = linalg.matmul ins(%x16, %w : tensor<16x4xf32>, tensor<4x8xf32>) outs(%f16 : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y, %y16 : tensor<64x8xf32>, tensor<16x8xf32>
}

// -----

// Weight-only int8 (compress.dequantize of codes, symmetric, per output
// column or per tensor): the codes stay i8 and the scales multiply the
// sums (forced: 0.875 zeros are below the crossover of one row and a small
// weight). Per input row (axis 0) or with zero points, the weight stays
// dense.
// CHECK-LABEL: func.func @int8_codes
// CHECK-COUNT-4: linalg.matmul
// CHECK-NOT:   compress.sparse_matmul
// FORCED-LABEL: func.func @int8_codes
// FORCED:       compress.dequantize {{.*}} axis = 0>
// FORCED:       compress.dequantize {{.*}} zero_points = [3]>
// FORCED:       %[[CODES:.*]] = arith.constant dense<[1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, -3, 0, 0, 0]> : tensor<16xi8>
// FORCED:       %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 5.000000e-01, 2.500000e-01, 5.000000e-01, 2.500000e-01, 5.000000e-01, 2.500000e-01]> : tensor<8xf32>
// FORCED:       %[[OFFSETS:.*]] = arith.constant dense<[0, 4, 4, 8, 8, 12, 12, 16, 16]> : tensor<9xi32>
// FORCED:       %[[ROWS:.*]] = arith.constant dense<[0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]> : tensor<16xi16>
// FORCED:       compress.sparse_matmul %{{.*}}, %[[OFFSETS]], %[[ROWS]], %[[CODES]] scales(%[[SCALES]] : tensor<8xf32>) {group = 4 : i64}
// FORCED:       arith.constant dense<5.000000e-01> : tensor<8xf32>
// FORCED:       compress.sparse_matmul {{.*}} scales(
// FORCED-COUNT-2: linalg.matmul
func.func @int8_codes(%x: tensor<1x4xf32>) -> (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) {
  %codes = arith.constant dense<[[1, 0, 2, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, -3, 0], [0, 0, 0, 0, 4, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]> : tensor<4x8xi8>
  %w = compress.dequantize %codes : tensor<4x8xi8> -> tensor<4x8xf32>, #compress.quant<i8, scales = [0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25], zero_points = [0, 0, 0, 0, 0, 0, 0, 0], axis = 1>
  %t = compress.dequantize %codes : tensor<4x8xi8> -> tensor<4x8xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  %r = compress.dequantize %codes : tensor<4x8xi8> -> tensor<4x8xf32>, #compress.quant<i8, scales = [0.5, 0.25, 0.5, 0.25], zero_points = [0, 0, 0, 0], axis = 0>
  %a = compress.dequantize %codes : tensor<4x8xi8> -> tensor<4x8xf32>, #compress.quant<i8, scales = [0.5], zero_points = [3]>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  %yt = linalg.matmul ins(%x, %t : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  %yr = linalg.matmul ins(%x, %r : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  %ya = linalg.matmul ins(%x, %a : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y, %yt, %yr, %ya : tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
}

// -----

// A 2 x 32 weight whose 1 x 16 blocks are zero but one (75% of the blocks):
// the block kernel on the activation as it is, no transposes. Group 0 holds
// the block of row 1 (padded to 4 blocks), group 1 none.
// CHECK-LABEL: func.func @blocks
// CHECK-DAG:   %[[OFF:.*]] = arith.constant dense<[0, 4, 4]> : tensor<3xi32>
// CHECK-DAG:   %[[ROWS:.*]] = arith.constant dense<[1, 0, 0, 0]> : tensor<4xi16>
// CHECK:       %[[Y:.*]] = compress.block_sparse_matmul %{{.*}}, %[[OFF]], %[[ROWS]], %{{.*}} {group = 4 : i64} : tensor<3x2xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4x16xf32> -> tensor<3x32xf32>
// CHECK-NOT:   linalg.transpose
// CHECK:       return %[[Y]]
// With 16 rows or more the column kernel runs such a weight faster, by
// pairs of columns (which share all their rows).
// CHECK-LABEL: func.func @blocks_many_rows
// CHECK:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<2x16xf32>
// CHECK-NOT:   compress.block_sparse_matmul
func.func @blocks(%x: tensor<3x2xf32>) -> tensor<3x32xf32> {
  %w = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x32xf32>) -> tensor<3x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x32xf32>) outs(%f : tensor<3x32xf32>) -> tensor<3x32xf32>
  return %y : tensor<3x32xf32>
}

func.func @blocks_many_rows(%x: tensor<16x2xf32>) -> tensor<16x32xf32> {
  %w = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<16x2xf32>, tensor<2x32xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %y : tensor<16x32xf32>
}

// -----

// A 3 x 3 convolution of one channel (a 5 x 6 padded input) by 2 filters
// with one nonzero each (8 of 9 zeros; 14 output positions: crossover
// 0.8): filter 0 holds w[0, 0, 1, 2] (weight row 1 * 3 + 2 = 5), filter 1
// w[1, 0, 2, 0] (row 6), each padded to 4 entries with the first row of
// its block (0). The zero fill is dropped; a bias init is added.
// CHECK-LABEL: func.func @conv_nchw
// CHECK-DAG:   %[[OFF:.*]] = arith.constant dense<[0, 4, 8]> : tensor<3xi32>
// CHECK-DAG:   %[[ROWS:.*]] = arith.constant dense<[5, 0, 0, 0, 6, 0, 0, 0]> : tensor<8xi16>
// CHECK-DAG:   %[[VALS:.*]] = arith.constant dense<[5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<8xf32>
// CHECK:       %[[Y:.*]] = compress.sparse_conv %{{.*}}, %[[OFF]], %[[ROWS]], %[[VALS]] {group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x1x5x6xf32>, tensor<3xi32>, tensor<8xi16>, tensor<8xf32> -> tensor<1x2x3x4xf32>
// CHECK:       compress.sparse_conv
// CHECK:       linalg.generic
// CHECK:       arith.addf
// CHECK:       return %[[Y]], %{{.*}}
// CHECK-NOT:   linalg.conv_2d
func.func @conv_nchw(%x: tensor<1x1x5x6xf32>, %b: tensor<1x2x3x4xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) {
  %w = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]]]]> : tensor<2x1x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %yb = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%b : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %y, %yb : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>
}

// -----

// 15 of 20 weights zero (0.75) on a 16 x 16 output: below the convolution
// crossover (0.8), dense; forced at 0.5, sparse.
// CHECK-LABEL: func.func @conv_below_crossover
// CHECK:       linalg.conv_2d_nchw_fchw
// CHECK-NOT:   compress.sparse_conv
// FORCED-LABEL: func.func @conv_below_crossover
// FORCED:      compress.sparse_conv
func.func @conv_below_crossover(%x: tensor<1x1x16x16xf32>, %f: tensor<1x20x16x16xf32>) -> tensor<1x20x16x16xf32> {
  %w = arith.constant dense<[[[[0.0]]], [[[2.0]]], [[[0.0]]], [[[0.0]]], [[[0.0]]], [[[2.0]]], [[[0.0]]], [[[0.0]]], [[[0.0]]], [[[2.0]]], [[[0.0]]], [[[0.0]]], [[[0.0]]], [[[2.0]]], [[[0.0]]], [[[0.0]]], [[[0.0]]], [[[2.0]]], [[[0.0]]], [[[0.0]]]]> : tensor<20x1x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x16x16xf32>, tensor<20x1x1x1xf32>) outs(%f : tensor<1x20x16x16xf32>) -> tensor<1x20x16x16xf32>
  return %y : tensor<1x20x16x16xf32>
}

// -----

// The same weight with dilations 2 x 1 over a 7 x 6 input (the kernel
// spans 5 x 3): the taps move, the stored rows do not; the input is cropped
// to the 7 x 5 columns the 3 x 3 output reads.
// CHECK-LABEL: func.func @conv_dilated
// CHECK:       tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 1, 7, 5] [1, 1, 1, 1] : tensor<1x1x7x6xf32> to tensor<1x1x7x5xf32>
// CHECK:       compress.sparse_conv {{.*}} {dilations = array<i64: 2, 1>, group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x1x7x5xf32>, tensor<3xi32>, tensor<8xi16>, tensor<8xf32> -> tensor<1x2x3x3xf32>
// CHECK-NOT:   linalg.conv_2d
func.func @conv_dilated(%x: tensor<1x1x7x6xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]]]]> : tensor<2x1x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x1x7x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// The same weight quantized to int8 per filter (compress.dequantize of its
// codes, scales along the filter axis): the codes are stored with the
// scales; a per-tensor one too. Asymmetric codes and scales along another
// axis are left to the dense kernel.
// CHECK-LABEL: func.func @conv_int8
// CHECK-DAG:   %[[WA:.*]] = compress.dequantize {{.*}} zero_points = [3]>
// CHECK-DAG:   %[[WC:.*]] = compress.dequantize {{.*}} axis = 2>
// CHECK-DAG:   %[[CODES:.*]] = arith.constant dense<[127, 0, 0, 0, 127, 0, 0, 0]> : tensor<8xi8>
// CHECK-DAG:   %[[SCALES:.*]] = arith.constant dense<[0.0393700786, 0.05511811]> : tensor<2xf32>
// CHECK:       compress.sparse_conv %{{.*}}, %{{.*}}, %{{.*}}, %[[CODES]] scales(%[[SCALES]] : tensor<2xf32>) {group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x1x5x6xf32>, tensor<3xi32>, tensor<8xi16>, tensor<8xi8> -> tensor<1x2x3x4xf32>
// CHECK:       compress.sparse_conv {{.*}} scales(%{{.*}} : tensor<2xf32>)
// CHECK:       linalg.conv_2d_nchw_fchw ins(%{{.*}}, %[[WA]] :
// CHECK:       linalg.conv_2d_nchw_fchw ins(%{{.*}}, %[[WC]] :
func.func @conv_int8(%x: tensor<1x1x5x6xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) {
  %codes = arith.constant dense<[[[[0, 0, 0], [0, 0, 127], [0, 0, 0]]], [[[0, 0, 0], [0, 0, 0], [127, 0, 0]]]]> : tensor<2x1x3x3xi8>
  %w = compress.dequantize %codes : tensor<2x1x3x3xi8> -> tensor<2x1x3x3xf32>, #compress.quant<i8, scales = [0.0393700786, 0.05511811], zero_points = [0, 0], axis = 0>
  %wt = compress.dequantize %codes : tensor<2x1x3x3xi8> -> tensor<2x1x3x3xf32>, #compress.quant<i8, scales = [0.04], zero_points = [0]>
  %wa = compress.dequantize %codes : tensor<2x1x3x3xi8> -> tensor<2x1x3x3xf32>, #compress.quant<i8, scales = [0.04], zero_points = [3]>
  %wc = compress.dequantize %codes : tensor<2x1x3x3xi8> -> tensor<2x1x3x3xf32>, #compress.quant<i8, scales = [0.04, 0.05, 0.06], zero_points = [0, 0, 0], axis = 2>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %yt = linalg.conv_2d_nchw_fchw ins(%x, %wt : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %ya = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %yc = linalg.conv_2d_nchw_fchw ins(%x, %wc : tensor<1x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %y, %yt, %ya, %yc : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>
}

// -----

// A batch_matmul with a constant 2 x 4 x 3 weight (one nonzero per batch:
// batch 0's (1, 2), batch 1's (3, 0)) and 2 rows: one sparse_matmul on the
// block-diagonal 8 x 6 weight: column 2 holds row 1, column 3 (batch 1's
// column 0) row 4 + 3 = 7, each padded to 4 entries. The activation is
// transposed to 2 x 4 x 2 and collapsed to 8 x 2, the 6 x 2 result
// expanded to 2 x 3 x 2 and transposed back.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG:   %[[OFF:.*]] = arith.constant dense<[0, 0, 0, 4, 8, 8, 8]> : tensor<7xi32>
// CHECK-DAG:   %[[ROWS:.*]] = arith.constant dense<[1, 0, 0, 0, 7, 0, 0, 0]> : tensor<8xi16>
// CHECK:       %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x2x4xf32>) outs(%{{.*}} : tensor<2x4x2xf32>) permutation = [0, 2, 1]
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %[[XT]] {{\[}}[0, 1], [2]] : tensor<2x4x2xf32> into tensor<8x2xf32>
// CHECK:       %[[YT:.*]] = compress.sparse_matmul %[[FLAT]], %[[OFF]], %[[ROWS]], %{{.*}} {group = 4 : i64} : tensor<8x2xf32>, tensor<7xi32>, tensor<8xi16>, tensor<8xf32> -> tensor<6x2xf32>
// CHECK:       %[[Y3:.*]] = tensor.expand_shape %[[YT]] {{\[}}[0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xf32> into tensor<2x3x2xf32>
// CHECK:       linalg.transpose ins(%[[Y3]] : tensor<2x3x2xf32>) outs(%{{.*}} : tensor<2x2x3xf32>) permutation = [0, 2, 1]
// CHECK-NOT:   linalg.batch_matmul
func.func @batch_matmul(%x: tensor<2x2x4xf32>) -> tensor<2x2x3xf32> {
  %w = arith.constant dense<[[[0.0, 0.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [3.0, 0.0, 0.0]]]> : tensor<2x4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x2x4xf32>, tensor<2x4x3xf32>) outs(%f : tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  return %y : tensor<2x2x3xf32>
}

// -----

// Left alone: batch_matmuls whose weight is not a constant, whose
// activation has a dynamic batch, or whose weight has too few zeros
// (forced at 0.5: 2 nonzeros of 4 still run sparse).
// CHECK-LABEL: func.func @batch_matmul_left_alone
// CHECK-COUNT-3: linalg.batch_matmul
// FORCED-LABEL: func.func @batch_matmul_left_alone
// FORCED-COUNT-2: linalg.batch_matmul
// FORCED:       compress.sparse_matmul
func.func @batch_matmul_left_alone(%x: tensor<1x2x2xf32>, %xd: tensor<?x2x2xf32>, %v: tensor<1x2x2xf32>, %f: tensor<1x2x2xf32>, %fd: tensor<?x2x2xf32>) -> (tensor<1x2x2xf32>, tensor<?x2x2xf32>, tensor<1x2x2xf32>) {
  %w = arith.constant dense<[[[1.0, 0.0], [0.0, 2.0]]]> : tensor<1x2x2xf32>
  %a = linalg.batch_matmul ins(%x, %v : tensor<1x2x2xf32>, tensor<1x2x2xf32>) outs(%f : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %b = linalg.batch_matmul ins(%xd, %w : tensor<?x2x2xf32>, tensor<1x2x2xf32>) outs(%fd : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
  %c = linalg.batch_matmul ins(%x, %w : tensor<1x2x2xf32>, tensor<1x2x2xf32>) outs(%f : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  return %a, %b, %c : tensor<1x2x2xf32>, tensor<?x2x2xf32>, tensor<1x2x2xf32>
}

// -----

// NHWC with an HWCF weight (the same nonzeros): the input is transposed to
// NCHW and the result back; a dynamic batch.
// CHECK-LABEL: func.func @conv_nhwc
// CHECK:       %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<?x5x6x1xf32>) outs(%{{.*}} : tensor<?x1x5x6xf32>) permutation = [0, 3, 1, 2]
// CHECK:       %[[Y:.*]] = compress.sparse_conv %[[XT]], {{.*}} -> tensor<?x2x3x4xf32>
// CHECK:       linalg.transpose ins(%[[Y]] : tensor<?x2x3x4xf32>) outs(%{{.*}} : tensor<?x3x4x2xf32>) permutation = [0, 2, 3, 1]
// CHECK-NOT:   linalg.conv_2d
func.func @conv_nhwc(%x: tensor<?x5x6x1xf32>, %f: tensor<?x3x4x2xf32>) -> tensor<?x3x4x2xf32> {
  %w = arith.constant dense<[[[[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]]], [[[0.0, 0.0]], [[0.0, 0.0]], [[5.0, 0.0]]], [[[0.0, 7.0]], [[0.0, 0.0]], [[0.0, 0.0]]]]> : tensor<3x3x1x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<?x5x6x1xf32>, tensor<3x3x1x2xf32>) outs(%f : tensor<?x3x4x2xf32>) -> tensor<?x3x4x2xf32>
  return %y : tensor<?x3x4x2xf32>
}

// -----

// Left alone: stride 2 with dilation 2, a weight below the crossover (3 nonzeros of 9,
// 0.67 zeros; forced at 0.5), a dynamic width, a weight that is not
// constant.
// CHECK-LABEL: func.func @conv_left_alone
// CHECK-COUNT-4: linalg.conv_2d_nchw_fchw
// CHECK-NOT:   compress.sparse_conv
// FORCED-LABEL: func.func @conv_left_alone
// FORCED:      linalg.conv_2d_nchw_fchw {{.*}}dilations = dense<2>
// FORCED:      compress.sparse_conv
// FORCED:      linalg.conv_2d_nchw_fchw
// FORCED:      linalg.conv_2d_nchw_fchw
func.func @conv_left_alone(%x: tensor<1x1x5x6xf32>, %xd: tensor<1x1x5x?xf32>, %v: tensor<1x1x3x3xf32>, %f: tensor<1x1x3x4xf32>, %fd: tensor<1x1x3x?xf32>, %f2: tensor<1x1x1x1xf32>) -> (tensor<1x1x1x1xf32>, tensor<1x1x3x4xf32>, tensor<1x1x3x?xf32>, tensor<1x1x3x4xf32>) {
  %w = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 2.0, 5.0], [3.0, 0.0, 0.0]]]]> : tensor<1x1x3x3xf32>
  %s = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x1x5x6xf32>, tensor<1x1x3x3xf32>) outs(%f2 : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x5x6xf32>, tensor<1x1x3x3xf32>) outs(%f : tensor<1x1x3x4xf32>) -> tensor<1x1x3x4xf32>
  %d = linalg.conv_2d_nchw_fchw ins(%xd, %w : tensor<1x1x5x?xf32>, tensor<1x1x3x3xf32>) outs(%fd : tensor<1x1x3x?xf32>) -> tensor<1x1x3x?xf32>
  %n = linalg.conv_2d_nchw_fchw ins(%x, %v : tensor<1x1x5x6xf32>, tensor<1x1x3x3xf32>) outs(%f : tensor<1x1x3x4xf32>) -> tensor<1x1x3x4xf32>
  return %s, %y, %d, %n : tensor<1x1x1x1xf32>, tensor<1x1x3x4xf32>, tensor<1x1x3x?xf32>, tensor<1x1x3x4xf32>
}

// -----

// A 2:4 weight (8 x 4) and one activation row: the compact n:m form on the
// activation as it is (no transposes). 4 slots (2 groups x 2) of one tile of 16 columns:
// slot 0 holds column 0's row 0 (position 0), column 1's row 1 (1) and
// column 2's row 3 (3): word 0 + (1 << 2) + (3 << 4) = 52; slot 1 rows 2
// and 3 (2 + (3 << 2) = 14); slot 2 rows 5 and 4 (1 + 0 = 1); slot 3 rows
// 7 and 6 (3 + (2 << 2) = 11). Column 3 keeps nothing. With 16 rows, with
// min-sparsity set or with nm-kernel=false the other kernels are used.
// NM-LABEL:    func.func @nm
// NM-DAG:      %[[IDX:.*]] = arith.constant dense<{{\[}}[52, 14, 1, 11]]> : tensor<1x4xi32>
// NM-DAG:      %[[VALS:.*]] = arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 5.000000e+00, 9.000000e+00, 0.000000e+00, {{.*}}], [2.000000e+00, 6.000000e+00, 0.000000e+00, {{.*}}], [3.000000e+00, 7.000000e+00, 0.000000e+00, {{.*}}], [4.000000e+00, 8.000000e+00, 0.000000e+00, {{.*}}]]]> : tensor<1x4x16xf32>
// NM:          %[[Y:.*]] = compress.nm_sparse_matmul %{{.*}}, %[[VALS]], %[[IDX]] {m = 4 : i64, n = 2 : i64} : tensor<1x8xf32>, tensor<1x4x16xf32>, tensor<1x4xi32> -> tensor<1x4xf32>
// NM:          linalg.transpose
// NM:          compress.sparse_matmul
// NM:          return %[[Y]],
// CHECK-LABEL: func.func @nm
// CHECK-NOT:   compress.nm_sparse_matmul
// FORCED-LABEL: func.func @nm
// FORCED-NOT:  compress.nm_sparse_matmul
func.func @nm(%x: tensor<1x8xf32>, %x16: tensor<16x8xf32>) -> (tensor<1x4xf32>, tensor<16x4xf32>) {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0], [0.0, 6.0, 9.0, 0.0], [0.0, 7.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0], [0.0, 8.0, 0.0, 0.0], [4.0, 0.0, 0.0, 0.0]]> : tensor<8x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x8xf32>, tensor<8x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %e16 = tensor.empty() : tensor<16x4xf32>
  %f16 = linalg.fill ins(%z : f32) outs(%e16 : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y16 = linalg.matmul ins(%x16, %w : tensor<16x8xf32>, tensor<8x4xf32>) outs(%f16 : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y, %y16 : tensor<1x4xf32>, tensor<16x4xf32>
}

// -----

// The n:m op needs a static reduction and static columns: with a dynamic
// activation width the 2:4 weight takes another kernel. A convolution
// whose input batch is dynamic and result batch static keeps the static
// result type.
// NM-LABEL:    func.func @nm_dynamic_k
// NM-NOT:      compress.nm_sparse_matmul
// NM:          compress.sparse_conv {{.*}} : tensor<?x1x5x6xf32>, {{.*}} -> tensor<1x2x3x4xf32>
// NM:          return {{.*}} : tensor<1x4xf32>, tensor<1x2x3x4xf32>
func.func @nm_dynamic_k(%x: tensor<1x?xf32>, %xc: tensor<?x1x5x6xf32>) -> (tensor<1x4xf32>, tensor<1x2x3x4xf32>) {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0], [0.0, 6.0, 9.0, 0.0], [0.0, 7.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0], [0.0, 8.0, 0.0, 0.0], [4.0, 0.0, 0.0, 0.0]]> : tensor<8x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x?xf32>, tensor<8x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %wc = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]]]]> : tensor<2x1x3x3xf32>
  %ec = tensor.empty() : tensor<1x2x3x4xf32>
  %fc = linalg.fill ins(%z : f32) outs(%ec : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %yc = linalg.conv_2d_nchw_fchw ins(%xc, %wc : tensor<?x1x5x6xf32>, tensor<2x1x3x3xf32>) outs(%fc : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %y, %yc : tensor<1x4xf32>, tensor<1x2x3x4xf32>
}

// -----

// Linalg accepts a convolution (with a dynamic batch) whose input is
// smaller than its output and
// kernel read (found by the fuzzer): left alone, even when forced.
// CHECK-LABEL:  func.func @conv_too_small
// CHECK:        linalg.conv_2d_nchw_fchw
// FORCED-LABEL: func.func @conv_too_small
// FORCED:       linalg.conv_2d_nchw_fchw
// FORCED-NOT:   compress.sparse_conv
func.func @conv_too_small(%x: tensor<?x1x5x1xf32>, %f: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %w = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]]]]> : tensor<2x1x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<?x1x5x1xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// The measured crossover is raised for layers with little work (small-layers,
// on by default) as measured for the threads of the compiled code. One
// thread: below 3 M multiply-adds 0.6, so 0.78 zeros run sparse. Two
// threads: dense with 16 rows (512 multiply-adds) and with 65536 rows (2 M:
// dense at any sparsity), sparse with 2^20 rows (34 M, crossover 0.7).
// SMALL-LABEL: func.func @small_layers
// SMALL:       compress.sparse_matmul {{.*}} -> tensor<8x16xf32>
// SMALL:       compress.sparse_matmul {{.*}} -> tensor<8x65536xf32>
// SMALL:       compress.sparse_matmul {{.*}} -> tensor<8x1048576xf32>
// SMALL-NOT:   linalg.matmul
// SMALL2-LABEL: func.func @small_layers
// SMALL2:       linalg.matmul {{.*}} -> tensor<16x8xf32>
// SMALL2:       linalg.matmul {{.*}} -> tensor<65536x8xf32>
// SMALL2:       compress.sparse_matmul {{.*}} -> tensor<8x1048576xf32>
// SMALL2-NOT:   linalg.matmul
func.func @small_layers(%a: tensor<16x4xf32>, %b: tensor<65536x4xf32>, %c: tensor<1048576x4xf32>) -> (tensor<16x8xf32>, tensor<65536x8xf32>, tensor<1048576x8xf32>) {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 3.0, 0.0, 0.0, 6.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %ea = tensor.empty() : tensor<16x8xf32>
  %fa = linalg.fill ins(%z : f32) outs(%ea : tensor<16x8xf32>) -> tensor<16x8xf32>
  %ya = linalg.matmul ins(%a, %w : tensor<16x4xf32>, tensor<4x8xf32>) outs(%fa : tensor<16x8xf32>) -> tensor<16x8xf32>
  %eb = tensor.empty() : tensor<65536x8xf32>
  %fb = linalg.fill ins(%z : f32) outs(%eb : tensor<65536x8xf32>) -> tensor<65536x8xf32>
  %yb = linalg.matmul ins(%b, %w : tensor<65536x4xf32>, tensor<4x8xf32>) outs(%fb : tensor<65536x8xf32>) -> tensor<65536x8xf32>
  %ec = tensor.empty() : tensor<1048576x8xf32>
  %fc = linalg.fill ins(%z : f32) outs(%ec : tensor<1048576x8xf32>) -> tensor<1048576x8xf32>
  %yc = linalg.matmul ins(%c, %w : tensor<1048576x4xf32>, tensor<4x8xf32>) outs(%fc : tensor<1048576x8xf32>) -> tensor<1048576x8xf32>
  return %ya, %yb, %yc : tensor<16x8xf32>, tensor<65536x8xf32>, tensor<1048576x8xf32>
}
