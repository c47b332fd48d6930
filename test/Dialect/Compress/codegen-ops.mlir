// RUN: compress-opt %s | compress-opt | FileCheck %s
// RUN: compress-opt %s --mlir-print-op-generic | compress-opt | FileCheck %s
// RUN: compress-opt %s --verify-roundtrip | FileCheck %s

// The CPU-only ops of CompressCodegenOps.td.

// CHECK-LABEL: func.func @fusion_group
// CHECK:       %[[R:.*]] = compress.fusion_group -> tensor<4x8xf32> {
// CHECK:         %[[MM:.*]] = linalg.matmul
// CHECK:         compress.yield %[[MM]] : tensor<4x8xf32>
// CHECK:       }
// CHECK:       return %[[R]]
func.func @fusion_group(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = compress.fusion_group -> tensor<4x8xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<4x16xf32>, tensor<16x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
    compress.yield %y : tensor<4x8xf32>
  }
  return %r : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @vnni_dot
// CHECK:       compress.vnni_dot %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi32>, vector<64xi8>
// CHECK:       compress.vnni_dot %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi32>, vector<32xi8>
func.func @vnni_dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                    %acc8: vector<8xi32>, %a8: vector<32xi8>) -> (vector<16xi32>, vector<8xi32>) {
  %r = compress.vnni_dot %acc, %a, %b : vector<16xi32>, vector<64xi8>
  %s = compress.vnni_dot %acc8, %a8, %a8 : vector<8xi32>, vector<32xi8>
  return %r, %s : vector<16xi32>, vector<8xi32>
}

// -----

// CHECK-LABEL: func.func @lookup
// CHECK:       compress.lookup %{{.*}}[%{{.*}}] : vector<16xf32>, vector<16xi32>
// CHECK:       compress.lookup %{{.*}}[%{{.*}}] : vector<16xi32>, vector<8xi32>
func.func @lookup(%t: vector<16xf32>, %ti: vector<16xi32>, %i16: vector<16xi32>,
                  %i8: vector<8xi32>) -> (vector<16xf32>, vector<8xi32>) {
  %r = compress.lookup %t[%i16] : vector<16xf32>, vector<16xi32>
  %s = compress.lookup %ti[%i8] : vector<16xi32>, vector<8xi32>
  return %r, %s : vector<16xf32>, vector<8xi32>
}

// -----

// CHECK-LABEL: func.func @sparse_matmul
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 2 : i64} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 1 : i64} : tensor<3x?xf32>, tensor<3xi32>, tensor<?xi32>, tensor<?xf32> -> tensor<2x?xf32>
func.func @sparse_matmul(%x: tensor<3x5xf32>, %xd: tensor<3x?xf32>, %r: tensor<?xi32>,
                         %v: tensor<?xf32>) -> (tensor<2x5xf32>, tensor<2x?xf32>) {
  %offsets = arith.constant dense<[0, 2, 4]> : tensor<3xi32>
  %rows = arith.constant dense<[0, 2, 1, 2]> : tensor<4xi16>
  %values = arith.constant dense<[1.0, 2.0, 3.0, 0.0]> : tensor<4xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 2}
      : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  %z = compress.sparse_matmul %xd, %offsets, %r, %v {group = 1}
      : tensor<3x?xf32>, tensor<3xi32>, tensor<?xi32>, tensor<?xf32> -> tensor<2x?xf32>
  return %y, %z : tensor<2x5xf32>, tensor<2x?xf32>
}

// -----

// Blocks of 2 rows (K = 3: blocks of 2 and 1); offsets by block, then by
// column.
// CHECK-LABEL: func.func @sparse_matmul_blocks
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 1 : i64, rows_per_block = 2 : i64} : tensor<3x5xf32>, tensor<5xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
func.func @sparse_matmul_blocks(%x: tensor<3x5xf32>) -> tensor<2x5xf32> {
  %offsets = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi32>
  %rows = arith.constant dense<[0, 1, 2, 2]> : tensor<4xi16>
  %values = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 1, rows_per_block = 2}
      : tensor<3x5xf32>, tensor<5xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// Columns by pairs: per pair, the shared rows (two entries per row), then
// each column's own; with blocks, per block and pair.
// CHECK-LABEL: func.func @sparse_matmul_paired
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 2 : i64, paired} : tensor<3x5xf32>, tensor<4xi32>, tensor<6xi16>, tensor<6xf32> -> tensor<2x5xf32>
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 2 : i64, paired, rows_per_block = 2 : i64} : tensor<3x5xf32>, tensor<7xi32>, tensor<6xi16>, tensor<6xf32> -> tensor<2x5xf32>
func.func @sparse_matmul_paired(%x: tensor<3x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  %offsets = arith.constant dense<[0, 2, 4, 6]> : tensor<4xi32>
  %rows = arith.constant dense<[1, 1, 0, 2, 2, 2]> : tensor<6xi16>
  %values = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 0.0]> : tensor<6xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 2, paired}
      : tensor<3x5xf32>, tensor<4xi32>, tensor<6xi16>, tensor<6xf32> -> tensor<2x5xf32>
  %boffsets = arith.constant dense<[0, 2, 4, 4, 4, 6, 6]> : tensor<7xi32>
  %brows = arith.constant dense<[1, 1, 0, 1, 2, 2]> : tensor<6xi16>
  %z = compress.sparse_matmul %x, %boffsets, %brows, %values {group = 2, paired, rows_per_block = 2}
      : tensor<3x5xf32>, tensor<7xi32>, tensor<6xi16>, tensor<6xf32> -> tensor<2x5xf32>
  return %y, %z : tensor<2x5xf32>, tensor<2x5xf32>
}

// int8 codes and their per-column scales.
// CHECK-LABEL: func.func @sparse_matmul_codes
// CHECK:       compress.sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} scales(%{{.*}} : tensor<2xf32>) {group = 1 : i64} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xi8> -> tensor<2x5xf32>
func.func @sparse_matmul_codes(%x: tensor<3x5xf32>) -> tensor<2x5xf32> {
  %offsets = arith.constant dense<[0, 2, 4]> : tensor<3xi32>
  %rows = arith.constant dense<[0, 2, 1, 2]> : tensor<4xi16>
  %codes = arith.constant dense<[1, -2, 3, 127]> : tensor<4xi8>
  %scales = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %codes scales(%scales : tensor<2xf32>) {group = 1}
      : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xi8> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// CHECK-LABEL: func.func @block_sparse_matmul
// CHECK:       compress.block_sparse_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 1 : i64} : tensor<?x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x4xf32> -> tensor<?x8xf32>
func.func @block_sparse_matmul(%x: tensor<?x3xf32>) -> tensor<?x8xf32> {
  %offsets = arith.constant dense<[0, 1, 2]> : tensor<3xi32>
  %rows = arith.constant dense<[2, 0]> : tensor<2xi16>
  %values = arith.constant dense<1.0> : tensor<2x4xf32>
  %y = compress.block_sparse_matmul %x, %offsets, %rows, %values {group = 1}
      : tensor<?x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x4xf32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// A 3 x 3 convolution of 2-channel 4 x 4 images (weight rows (c * 3 + i) *
// 3 + j), a dynamic batch; blocks of 9 weight rows (one channel each) with
// int8 codes and per-filter scales.
// CHECK-LABEL: func.func @sparse_conv
// CHECK:       compress.sparse_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {group = 2 : i64, kernel = array<i64: 3, 3>} : tensor<?x2x4x4xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<?x2x2x2xf32>
// CHECK:       compress.sparse_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} scales(%{{.*}} : tensor<2xf32>) {group = 1 : i64, kernel = array<i64: 3, 3>, rows_per_block = 9 : i64} : tensor<1x2x4x4xf32>, tensor<5xi32>, tensor<4xi32>, tensor<4xi8> -> tensor<1x2x2x2xf32>
func.func @sparse_conv(%x: tensor<?x2x4x4xf32>, %x1: tensor<1x2x4x4xf32>) -> (tensor<?x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %offsets = arith.constant dense<[0, 2, 4]> : tensor<3xi32>
  %rows = arith.constant dense<[0, 13, 4, 8]> : tensor<4xi16>
  %values = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = compress.sparse_conv %x, %offsets, %rows, %values {group = 2, kernel = array<i64: 3, 3>}
      : tensor<?x2x4x4xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<?x2x2x2xf32>
  %boffsets = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi32>
  %brows = arith.constant dense<[0, 4, 9, 13]> : tensor<4xi32>
  %codes = arith.constant dense<[1, -2, 3, -4]> : tensor<4xi8>
  %scales = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %z = compress.sparse_conv %x1, %boffsets, %brows, %codes scales(%scales : tensor<2xf32>) {group = 1, kernel = array<i64: 3, 3>, rows_per_block = 9}
      : tensor<1x2x4x4xf32>, tensor<5xi32>, tensor<4xi32>, tensor<4xi8> -> tensor<1x2x2x2xf32>
  return %y, %z : tensor<?x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// A dilated 3 x 3 kernel spans 5 x 7 rows and columns of a 6 x 8 input.
// CHECK-LABEL: func.func @sparse_conv_dilated
// CHECK:       compress.sparse_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 2, 3>, group = 2 : i64, kernel = array<i64: 3, 3>} : tensor<1x2x6x8xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<1x2x2x2xf32>
func.func @sparse_conv_dilated(%x: tensor<1x2x6x8xf32>) -> tensor<1x2x2x2xf32> {
  %offsets = arith.constant dense<[0, 2, 4]> : tensor<3xi32>
  %rows = arith.constant dense<[0, 13, 4, 8]> : tensor<4xi16>
  %values = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = compress.sparse_conv %x, %offsets, %rows, %values {group = 2, kernel = array<i64: 3, 3>, dilations = array<i64: 2, 3>}
      : tensor<1x2x6x8xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// A 2:4 weight of 8 x 20 (2 tiles of 16 columns, 4 slots) with f32 values,
// and with int8 codes and per-column scales.
// CHECK-LABEL: func.func @nm_sparse_matmul
// CHECK:       compress.nm_sparse_matmul %{{.*}}, %{{.*}}, %{{.*}} {m = 4 : i64, n = 2 : i64} : tensor<?x8xf32>, tensor<2x4x16xf32>, tensor<2x4xi32> -> tensor<?x20xf32>
// CHECK:       compress.nm_sparse_matmul %{{.*}}, %{{.*}}, %{{.*}} scales(%{{.*}} : tensor<20xf32>) {m = 4 : i64, n = 2 : i64} : tensor<?x8xf32>, tensor<2x4x16xi8>, tensor<2x4xi32> -> tensor<?x20xf32>
func.func @nm_sparse_matmul(%x: tensor<?x8xf32>, %v: tensor<2x4x16xf32>, %c: tensor<2x4x16xi8>, %i: tensor<2x4xi32>, %s: tensor<20xf32>) -> (tensor<?x20xf32>, tensor<?x20xf32>) {
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2}
      : tensor<?x8xf32>, tensor<2x4x16xf32>, tensor<2x4xi32> -> tensor<?x20xf32>
  %z = compress.nm_sparse_matmul %x, %c, %i scales(%s : tensor<20xf32>) {m = 4, n = 2}
      : tensor<?x8xf32>, tensor<2x4x16xi8>, tensor<2x4xi32> -> tensor<?x20xf32>
  return %y, %z : tensor<?x20xf32>, tensor<?x20xf32>
}
