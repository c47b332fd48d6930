// RUN: compress-opt %s -split-input-file --compress-fold-batchnorm | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// A per-column batch norm after a matmul: y * a + b with a = gamma / sqrt(var
// + eps) = [2, -0.5] and b = beta - mean * a = [1 - 2, 0 - 0.5]. The weight
// columns are scaled by a; one bias add of b remains.
// CHECK-LABEL: func.func @matmul_bn
// CHECK:       %[[W:.*]] = arith.constant dense<{{\[}}[2.000000e+00, -5.000000e-01], [4.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK:       %[[Y:.*]] = linalg.matmul ins(%{{.*}}, %[[W]] :
// CHECK:       %[[B:.*]] = arith.constant dense<[-1.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK:       %[[R:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[B]] : tensor<4x2xf32>, tensor<2xf32>)
// CHECK:         arith.addf
// CHECK-NOT:     math.rsqrt
// CHECK:       return %[[R]]
func.func @matmul_bn(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %mean = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %var = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[2.0, -1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bn = linalg.generic {indexing_maps = [#id, #col, #col, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %mean, %var, %gamma, %beta : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %m: f32, %s: f32, %g: f32, %b: f32, %o: f32):
    %eps = arith.constant 1.0 : f32
    %c = arith.subf %v, %m : f32
    %d = arith.addf %s, %eps : f32
    %r = math.sqrt %d : f32
    %n = arith.divf %c, %r : f32
    %t = arith.mulf %n, %g : f32
    %u = arith.addf %t, %b : f32
    linalg.yield %u : f32
  } -> tensor<4x2xf32>
  return %bn : tensor<4x2xf32>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// A chain of separate ops (as TOSA lowers a batch norm: mul by a 1xCx1x1
// scale, then add a shift) is folded up to the ReLU, which stays. The scale
// only has 1s and 3s and the shift is 2: the weight of channel 1 is tripled.
// CHECK-LABEL: func.func @conv_chain_stops_at_relu
// CHECK:       %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK:       linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W]] :
// CHECK:       %[[B:.*]] = arith.constant dense<2.000000e+00> : tensor<2xf32>
// CHECK:       linalg.generic {{.*}} ins(%{{.*}}, %[[B]] :
// CHECK:         arith.addf
// CHECK:       linalg.generic
// CHECK:         arith.maximumf
// CHECK-NOT:   linalg.generic
func.func @conv_chain_stops_at_relu(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x1x1xf32>
  %scale = arith.constant dense<[[[[1.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %shift = arith.constant dense<2.0> : tensor<1x2x1x1xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) outs(%i : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %m = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %scale : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %r = arith.mulf %v, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  %a = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m, %shift : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %r = arith.addf %v, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  return %relu : tensor<1x2x4x4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Negative cases, all unchanged: a scale that is not a constant, a square of
// the result (not affine), a scale that varies along rows (not the channel),
// and a matmul that accumulates into a non-zero init.
// CHECK-LABEL: func.func @negative
// CHECK:       %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 1.000000e+00], [2.000000e+00, 2.000000e+00]]>
// CHECK-COUNT-4: linalg.matmul ins(%{{.*}}, %[[W]] :
// CHECK-NOT:   arith.addf
func.func @negative(%x: tensor<4x2xf32>, %s: tensor<2xf32>, %init: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  %w = arith.constant dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %rows = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y0 = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  %a = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y0, %s : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %k: f32, %o: f32):
    %r = arith.mulf %v, %k : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %y1 = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %y2 = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  %d = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2, %rows : tensor<4x2xf32>, tensor<4xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %k: f32, %o: f32):
    %r = arith.mulf %v, %k : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %y3 = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %f = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y3, %c : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %k: f32, %o: f32):
    %r = arith.mulf %v, %k : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  return %a, %b, %d, %f : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// The same batch norm with every constant a dense_resource blob (as large
// models and importers write them): a = [2, -0.5], b = [-1, -0.5].
// CHECK-LABEL: func.func @resource_bn
// CHECK:       %[[W:.*]] = arith.constant dense<{{\[}}[2.000000e+00, -5.000000e-01], [4.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK:       %[[Y:.*]] = linalg.matmul ins(%{{.*}}, %[[W]] :
// CHECK:       %[[B:.*]] = arith.constant dense<[-1.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK:       linalg.generic {{.*}} ins(%[[Y]], %[[B]] : tensor<4x2xf32>, tensor<2xf32>)
func.func @resource_bn(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense_resource<w> : tensor<2x2xf32>
  %mean = arith.constant dense_resource<mean> : tensor<2xf32>
  %scale = arith.constant dense_resource<scale> : tensor<2xf32>
  %beta = arith.constant dense_resource<beta> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bn = linalg.generic {indexing_maps = [#id, #col, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %mean, %scale, %beta : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%v: f32, %m: f32, %s: f32, %b: f32, %o: f32):
    %c = arith.subf %v, %m : f32
    %t = arith.mulf %c, %s : f32
    %u = arith.addf %t, %b : f32
    linalg.yield %u : f32
  } -> tensor<4x2xf32>
  return %bn : tensor<4x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000803F0000004000000040",
      mean: "0x040000000000803F000080BF",
      scale: "0x0400000000000040000000BF",
      beta: "0x040000000000803F00000000"
    }
  }
#-}
