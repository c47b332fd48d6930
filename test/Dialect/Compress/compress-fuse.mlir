// RUN: compress-opt %s -split-input-file --compress-fuse | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// matmul -> bias add (named linalg.add of a linalg.broadcast) -> relu: the
// elementwise chain, broadcast included, becomes one generic that reads the
// 1-D bias, grouped with the matmul.
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK:       %[[G:.*]] = compress.fusion_group -> tensor<8x32xf32> {
// CHECK-NEXT:    %[[MM:.*]] = linalg.matmul
// CHECK-NEXT:    %[[E:.*]] = linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<8x32xf32>, tensor<32xf32>)
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK:         compress.yield %[[E]] : tensor<8x32xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  return %[[G]]
func.func @matmul_bias_relu(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>, %bias: tensor<32xf32>) -> tensor<8x32xf32> {
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%i : tensor<8x32xf32>) -> tensor<8x32xf32>
  %bb = linalg.broadcast ins(%bias : tensor<32xf32>) outs(%e : tensor<8x32xf32>) dimensions = [0]
  %s = linalg.add ins(%y, %bb : tensor<8x32xf32>, tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: the matmul result has two users (no group); an elementwise
// result used twice is not fused into its consumers (it would be computed
// twice).
// CHECK-LABEL: func.func @shared_results
// CHECK-NOT:   compress.fusion_group
// CHECK:       linalg.matmul
// CHECK:       linalg.generic
// CHECK:         math.tanh
// CHECK:       linalg.generic
// CHECK:         math.exp
func.func @shared_results(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>, %o: tensor<8x32xf32>) -> (tensor<8x32xf32>, tensor<8x32xf32>, tensor<8x32xf32>) {
  %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%o : tensor<8x32xf32>) -> tensor<8x32xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x32xf32>) outs(%o : tensor<8x32xf32>) {
  ^bb0(%v: f32, %out: f32):
    %m = math.tanh %v : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x32xf32>) outs(%o : tensor<8x32xf32>) {
  ^bb0(%v: f32, %out: f32):
    %m = math.exp %v : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  return %y, %a, %b : tensor<8x32xf32>, tensor<8x32xf32>, tensor<8x32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>

// Negative: an epilogue that reads the result transposed, or that reads its
// own output, is not grouped.
// CHECK-LABEL: func.func @not_epilogues
// CHECK-NOT:   compress.fusion_group
func.func @not_epilogues(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>, %o: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %y = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %a = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x8xf32>) outs(%o : tensor<8x8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %m = math.tanh %v : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %y2 = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2 : tensor<8x8xf32>) outs(%o : tensor<8x8xf32>) {
  ^bb0(%v: f32, %out: f32):
    %m = arith.addf %v, %out : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  return %a, %b : tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// The dequantization of an integer matmul accumulates into a zero fill: it
// reads the fill scalar instead, writes the empty tensor, and becomes the
// matmul's epilogue (the f32 fill is never materialized).
// CHECK-LABEL: func.func @dequant_into_fill
// CHECK-SAME:    %{{.*}}: tensor<8x16xi8>
// CHECK:       %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:       compress.fusion_group -> tensor<8x32xf32> {
// CHECK:         linalg.matmul
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<8x32xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[F:.*]] = arith.sitofp %[[IN]]
// CHECK:           %[[M:.*]] = arith.mulf %[[F]], %[[S]]
// CHECK:           arith.addf %[[M]], %[[Z]]
func.func @dequant_into_fill(%x: tensor<8x16xi8>, %w: tensor<16x32xi8>, %s: tensor<32xf32>) -> tensor<8x32xf32> {
  %ei = tensor.empty() : tensor<8x32xi32>
  %zi = arith.constant 0 : i32
  %ii = linalg.fill ins(%zi : i32) outs(%ei : tensor<8x32xi32>) -> tensor<8x32xi32>
  %y = linalg.matmul ins(%x, %w : tensor<8x16xi8>, tensor<16x32xi8>) outs(%ii : tensor<8x32xi32>) -> tensor<8x32xi32>
  %ef = tensor.empty() : tensor<8x32xf32>
  %zf = arith.constant 0.0 : f32
  %if = linalg.fill ins(%zf : f32) outs(%ef : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %s : tensor<8x32xi32>, tensor<32xf32>) outs(%if : tensor<8x32xf32>) {
  ^bb0(%v: i32, %sc: f32, %o: f32):
    %f = arith.sitofp %v : i32 to f32
    %m = arith.mulf %f, %sc : f32
    %a = arith.addf %o, %m : f32
    linalg.yield %a : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: an output filled with something other than a fill (a function
// argument) is still read; no group.
// CHECK-LABEL: func.func @reads_real_output
// CHECK-NOT:   compress.fusion_group
func.func @reads_real_output(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>, %o: tensor<8x32xf32>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%o : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x32xf32>) outs(%acc : tensor<8x32xf32>) {
  ^bb0(%v: f32, %a: f32):
    %s = arith.addf %a, %v : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}
