// RUN: compress-opt %s -split-input-file --compress-tile-and-vectorize | FileCheck %s

// A static f32 matmul: 8x32 tiles stepping K by 1, each an 8-row block of
// 32-lane FMAs; no linalg op remains.
// CHECK-LABEL: func.func @static_f32
// CHECK-DAG:   %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:   %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:   %[[C32:.*]] = arith.constant 32 : index
// CHECK:       scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C8]]
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32]]
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C1]]
// CHECK:             vector.transfer_read {{.*}} : tensor<16x64xf32>, vector<8x1xf32>
// CHECK:             vector.transfer_read {{.*}} : tensor<64x32xf32>, vector<1x32xf32>
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<32xf32>
// CHECK:             vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<16x32xf32>
// CHECK-NOT:   linalg.
// CHECK-NOT:   compress.tile_matmul
func.func @static_f32(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %y : tensor<16x32xf32>
}

// -----

// The i8 x i8 -> i32 kernel of compress-quantize is vectorized too: 8x1 and
// 1x32 code blocks are loaded and sign-extended as vectors. (The reduction
// over the unit K tile is still lowered element by element; a VNNI
// micro-kernel replaces this in the code-generation issue.)
// CHECK-LABEL: func.func @int8_kernel
// CHECK:       scf.for
// CHECK:         vector.transfer_read {{.*}} : tensor<8x16xi8>, vector<8x1xi8>
// CHECK:         vector.transfer_read {{.*}} : tensor<16x32xi8>, vector<1x32xi8>
// CHECK:         arith.extsi {{.*}} : vector<8x1xi8> to vector<8x1xi32>
// CHECK:         arith.extsi {{.*}} : vector<1x32xi8> to vector<1x32xi32>
// CHECK:         arith.muli
// CHECK:         vector.reduction <add>
// CHECK:         vector.transfer_write {{.*}} : vector<8x32xi32>, tensor<8x32xi32>
// CHECK-NOT:   linalg.generic
func.func @int8_kernel(%a: tensor<8x16xi8>, %b: tensor<16x32xi8>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x16xi8>, tensor<16x32xi8>) outs(%c : tensor<8x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x32xi32>
  return %y : tensor<8x32xi32>
}

// -----

// Negative: a dynamic batch gives dynamically sized tiles, which stay linalg
// ops (lowered to loops later); the tag is removed.
// CHECK-LABEL: func.func @negative_dynamic
// CHECK:       scf.for
// CHECK:         linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x1xf32>, tensor<1x32xf32>)
// CHECK-NOT:   vector.
// CHECK-NOT:   compress.tile_matmul
func.func @negative_dynamic(%a: tensor<?x64xf32>, %b: tensor<64x32xf32>, %c: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x32xf32>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// Negative: a decode of packed int4 codes (floordiv map, index arithmetic)
// and an elementwise op are not touched.
// CHECK-LABEL: func.func @negative_packed_and_elementwise
// CHECK-NOT:   scf.for
// CHECK-NOT:   vector.
// CHECK:       linalg.generic
// CHECK:       linalg.generic
func.func @negative_packed_and_elementwise(%a: tensor<8x4xf32>, %p: tensor<64xi8>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> ((k * 32 + n) floordiv 2)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : tensor<8x4xf32>, tensor<64xi8>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: f32, %b: i8, %acc: f32):
    %n = linalg.index 1 : index
    %i = arith.index_cast %n : index to i8
    %s = arith.shli %b, %i : i8
    %w = arith.sitofp %s : i8 to f32
    %m = arith.mulf %x, %w : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<8x32xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x32xf32>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %e = math.exp %v : f32
    linalg.yield %e : f32
  } -> tensor<8x32xf32>
  return %z : tensor<8x32xf32>
}
