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

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// A padded kernel result: the kernel writes into the interior of the filled
// padded tensor (extract_slice as its output, insert_slice of its result);
// no tensor.pad remains. For a reduction whose init is a fill (max pool:
// -inf), the fill moves onto the interior.
// CHECK-LABEL: func.func @pad_in_place
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:   %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:       %[[P0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x6x6x8xf32>)
// CHECK:       %[[S0:.*]] = tensor.extract_slice %[[P0]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK:       %[[R:.*]] = linalg.generic {{.*}} outs(%[[S0]] : tensor<1x4x4x8xf32>)
// CHECK:       %[[I0:.*]] = tensor.insert_slice %[[R]] into %[[P0]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK:       %[[P1:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK:       %[[S1:.*]] = tensor.extract_slice %[[P1]][0, 1, 1, 0] [1, 2, 2, 8] [1, 1, 1, 1]
// CHECK:       %[[F1:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%[[S1]] : tensor<1x2x2x8xf32>)
// CHECK:       %[[M:.*]] = linalg.pooling_nhwc_max {{.*}} ins(%[[I0]], %{{.*}} : tensor<1x6x6x8xf32>, tensor<3x3xf32>) outs(%[[F1]] : tensor<1x2x2x8xf32>)
// CHECK:       %[[I1:.*]] = tensor.insert_slice %[[M]] into %[[P1]]
// CHECK-NOT:   tensor.pad
// CHECK:       return %[[I1]]
func.func @pad_in_place(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %z = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %e2 = tensor.empty() : tensor<1x2x2x8xf32>
  %f2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
  %mp = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x6x6x8xf32>, tensor<3x3xf32>) outs(%f2 : tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
  %p2 = tensor.pad %mp low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x2x2x8xf32> to tensor<1x4x4x8xf32>
  return %p2 : tensor<1x4x4x8xf32>
}

// -----

// The quantization of a padded tensor moves above the pad, which then pads
// with the zero point (the body folded at 0.0: 3); the pad of the producer's
// result is then written in place.
// CHECK-LABEL: func.func @quantize_above_pad
// CHECK:       %[[ZP:.*]] = arith.constant 3 : i8
// CHECK:       %[[P:.*]] = linalg.fill ins(%[[ZP]] : i8) outs(%{{.*}} : tensor<1x6x6x8xi8>)
// CHECK:       %[[S:.*]] = tensor.extract_slice %[[P]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK:       %[[Q:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x4x4x8xf32>) outs(%[[S]] : tensor<1x4x4x8xi8>)
// CHECK:         arith.divf
// CHECK:         math.roundeven
// CHECK:       tensor.insert_slice %[[Q]] into %[[P]]
// CHECK-NOT:   tensor.pad
func.func @quantize_above_pad(%x: tensor<1x4x4x8xf32>) -> tensor<1x6x6x8xi8> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  %e = tensor.empty() : tensor<1x6x6x8xi8>
  %q = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p : tensor<1x6x6x8xf32>) outs(%e : tensor<1x6x6x8xi8>) {
  ^bb0(%v: f32, %o: i8):
    %s = arith.constant 0.5 : f32
    %zp = arith.constant 3.0 : f32
    %d = arith.divf %v, %s : f32
    %r = math.roundeven %d : f32
    %a = arith.addf %r, %zp : f32
    %i = arith.fptosi %a : f32 to i8
    linalg.yield %i : i8
  } -> tensor<1x6x6x8xi8>
  return %q : tensor<1x6x6x8xi8>
}

// -----

// Negative: a pad of a function argument (no kernel to write in place) and
// a pad with a dynamic amount stay.
// CHECK-LABEL: func.func @pads_that_stay
// CHECK:       tensor.pad %{{.*}} low[0, 1, 1, 0]
// CHECK:       tensor.pad %{{.*}} low[0, %{{.*}}, 0, 0]
func.func @pads_that_stay(%x: tensor<1x4x4x8xf32>, %n: index) -> (tensor<1x6x6x8xf32>, tensor<1x?x4x8xf32>) {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %d = tensor.pad %r low[0, %n, 0, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x4x8xf32> to tensor<1x?x4x8xf32>
  return %p, %d : tensor<1x6x6x8xf32>, tensor<1x?x4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// An epilogue that reads two matmuls (a residual block's conv and its
// downsampling conv) is grouped with the larger one (K = 64 against 8); the
// smaller result is read from memory.
// CHECK-LABEL: func.func @two_roots
// CHECK:       %[[SMALL:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x32xf32>)
// CHECK:       compress.fusion_group -> tensor<8x32xf32> {
// CHECK-NEXT:    linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x64xf32>, tensor<64x32xf32>)
// CHECK-NEXT:    linalg.generic {{.*}} ins(%{{.*}}, %[[SMALL]] :
// CHECK-NOT:   compress.fusion_group
func.func @two_roots(%a: tensor<8x64xf32>, %w: tensor<64x32xf32>, %b: tensor<8x8xf32>, %v: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %big = linalg.matmul ins(%a, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%i : tensor<8x32xf32>) -> tensor<8x32xf32>
  %small = linalg.matmul ins(%b, %v : tensor<8x8xf32>, tensor<8x32xf32>) outs(%i : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%big, %small : tensor<8x32xf32>, tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

// A transpose whose only user is an elementwise op (the quantization at the
// start of a channels-last region) is fused into it: the op reads through
// the permuted map and no transposed copy is made. A transpose after an
// epilogue (the end of the region) is not fused with it: the epilogue stays
// in the matmul's group.
// (The generic reads the 1x8x4x4 input into a 1x4x4x8 output: its input
// map is the permutation.)
// CHECK-LABEL: func.func @transposes
// CHECK-NOT:   linalg.transpose ins(%arg0
// CHECK:       %[[Q:.*]] = linalg.generic
// CHECK-SAME:    ins(%arg0 : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x8xi8>)
// CHECK:         arith.fptosi
// CHECK:       compress.fusion_group
// CHECK:       linalg.transpose ins(%{{.*}} : tensor<8x32xf32>)
func.func @transposes(%x: tensor<1x8x4x4xf32>, %a: tensor<8x16xf32>, %w: tensor<16x32xf32>) -> (tensor<1x4x4x8xi8>, tensor<32x8xf32>) {
  %et = tensor.empty() : tensor<1x4x4x8xf32>
  %t = linalg.transpose ins(%x : tensor<1x8x4x4xf32>) outs(%et : tensor<1x4x4x8xf32>) permutation = [0, 2, 3, 1]
  %eq = tensor.empty() : tensor<1x4x4x8xi8>
  %q = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%t : tensor<1x4x4x8xf32>) outs(%eq : tensor<1x4x4x8xi8>) {
  ^bb0(%v: f32, %o: i8):
    %i = arith.fptosi %v : f32 to i8
    linalg.yield %i : i8
  } -> tensor<1x4x4x8xi8>
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul ins(%a, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  %eb = tensor.empty() : tensor<32x8xf32>
  %b = linalg.transpose ins(%r : tensor<8x32xf32>) outs(%eb : tensor<32x8xf32>) permutation = [1, 0]
  return %q, %b : tensor<1x4x4x8xi8>, tensor<32x8xf32>
}
