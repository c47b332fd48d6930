// RUN: compress-opt %s -split-input-file --compress-channels-last --canonicalize | FileCheck %s

// A channels-first block (conv, bias + relu, pad, max pool): every rank-4
// tensor is stored channels last. The input is transposed once, the result
// once; between the ops no transpose remains. The constant filter is
// permuted at compile time (FCHW -> HWCF); the elementwise op's loops are
// renumbered so that its output map is the identity; the pad pads H and W
// in their new positions.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2 + d5, d3 + d6, d4)>
// CHECK-DAG:   #[[FILTER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d1)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d3, d1)>
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG:   #[[POOLIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2 * 3 + d4, d3 * 3 + d5, d1)>
// CHECK:       func.func @block
// CHECK-SAME:    (%[[X:.*]]: tensor<1x8x10x10xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK-DAG:   %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<3x3x8x16xf32>
// CHECK:       %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<1x8x10x10xf32>) outs(%{{.*}} : tensor<1x10x10x8xf32>) permutation = [0, 2, 3, 1]
// CHECK:       %[[C:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[FILTER]], #[[OUT]]]
// CHECK-SAME:    ins(%[[XT]], %[[W]] : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) outs(%{{.*}} : tensor<1x8x8x16xf32>)
// CHECK:       %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]]
// CHECK-SAME:    ins(%[[C]], %[[B]] : tensor<1x8x8x16xf32>, tensor<16xf32>)
// CHECK:       %[[P:.*]] = tensor.pad %[[R]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:       } : tensor<1x8x8x16xf32> to tensor<1x10x10x16xf32>
// CHECK:       %[[POOL:.*]] = linalg.generic {indexing_maps = [#[[POOLIN]],
// CHECK-SAME:    ins(%[[P]], %{{.*}} : tensor<1x10x10x16xf32>, tensor<3x3xf32>) outs(%{{.*}} : tensor<1x3x3x16xf32>)
// CHECK:         arith.maximumf
// CHECK:       %[[Y:.*]] = linalg.transpose ins(%[[POOL]] : tensor<1x3x3x16xf32>) outs(%{{.*}} : tensor<1x16x3x3xf32>) permutation = [0, 3, 1, 2]
// CHECK-NOT:   linalg.transpose
// CHECK:       return %[[Y]]
func.func @block(%x: tensor<1x8x10x10xf32>, %b: tensor<16xf32>) -> tensor<1x16x3x3xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x16x8x8xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%f1 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b : tensor<1x16x8x8xf32>, tensor<16xf32>) outs(%e1 : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %bb: f32, %o: f32):
    %s = arith.addf %v, %bb : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x10x10xf32>
  %e2 = tensor.empty() : tensor<1x16x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %ninf = arith.constant -3.0e38 : f32
  %f2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>}
      ins(%p, %win : tensor<1x16x10x10xf32>, tensor<3x3xf32>) outs(%f2 : tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32>
  return %pool : tensor<1x16x3x3xf32>
}

// -----

// The filter's elements really move: w[f][c][kh][kw] = 1000 f + 100 c +
// 10 kh + kw lands at [kh][kw][c][f].
// CHECK-LABEL: func.func @permuted_filter
// CHECK:       arith.constant dense<{{\[}}{{\[}}{{\[}}[0.000000e+00, 1.000000e+03], [1.000000e+02, 1.100000e+03]], {{\[}}[1.000000e+00, 1.001000e+03], [1.010000e+02, 1.101000e+03]]], {{\[}}{{\[}}[1.000000e+01, 1.010000e+03], [1.100000e+02, 1.110000e+03]], {{\[}}[1.100000e+01, 1.011000e+03], [1.110000e+02, 1.111000e+03]]]]> : tensor<2x2x2x2xf32>
func.func @permuted_filter(%x: tensor<1x2x3x3xf32>, %o: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0], [10.0, 11.0]], [[100.0, 101.0], [110.0, 111.0]]],
                             [[[1000.0, 1001.0], [1010.0, 1011.0]], [[1100.0, 1101.0], [1110.0, 1111.0]]]]> : tensor<2x2x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) outs(%o : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// Negative: no channels-first convolution (a channels-last one, and
// rank-4 elementwise ops): nothing changes.
// CHECK-LABEL: func.func @already_last
// CHECK-NOT:   linalg.transpose
// CHECK:       linalg.conv_2d_nhwc_hwcf
// CHECK:       linalg.add
func.func @already_last(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x16xf32>, %o: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %a = linalg.add ins(%c, %c : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %a : tensor<1x8x8x16xf32>
}

// -----

// A pad with a dynamic amount is left channels first (transposes around
// it); the ops on either side are still converted.
// CHECK-LABEL: func.func @dynamic_pad
// CHECK:       linalg.generic
// CHECK:       %[[BACK:.*]] = linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CHECK:       tensor.pad %[[BACK]] low[0, 0, %{{.*}}, 0]
// CHECK:       linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
func.func @dynamic_pad(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x2x2xf32>, %o: tensor<1x2x2x2xf32>, %n: index) -> tensor<1x2x?x2xf32> {
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) outs(%o : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %c low[0, 0, %n, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x2x2x2xf32> to tensor<1x2x?x2xf32>
  %e = tensor.empty(%n) : tensor<1x2x?x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p : tensor<1x2x?x2xf32>) outs(%e : tensor<1x2x?x2xf32>) {
  ^bb0(%v: f32, %out: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x2x?x2xf32>
  return %r : tensor<1x2x?x2xf32>
}
