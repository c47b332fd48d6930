// Decomposition of convolutions composes with the other passes: batch
// norm folded first leaves a constant kernel for compress-cp-decompose;
// the factor convolutions (1x1 and depthwise) are ordinary convolutions
// with constant kernels, so compress-quantize gives them int8 codes and
// compress-prune removes their weights.
//
// RUN: compress-opt %s --compress-fold-batchnorm --compress-cp-decompose="method=tucker2 rank=2" | FileCheck %s --check-prefix=FOLD
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=2" --compress-quantize=bits=8 | FileCheck %s --check-prefix=QUANT
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank=2" --compress-prune=sparsity=0.5 | FileCheck %s --check-prefix=PRUNE

// The scale is folded into the kernel before it is factored; the shift
// stays as a bias add after the last factor.
// FOLD-LABEL: func.func @predict
// FOLD-NOT:     arith.mulf
// FOLD:         linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 {{.*}} tensor<2x4x1x1xf32>
// FOLD:         linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 2 {{.*}} tensor<2x2x3x3xf32>
// FOLD:         %[[Y:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 3 {{.*}} tensor<6x2x1x1xf32>
// FOLD:         linalg.generic {{.*}} ins(%[[Y]],
// FOLD:           arith.addf
// FOLD-NOT:     arith.mulf
// QUANT-LABEL: func.func @predict
// QUANT:        compress.dequantize %{{.*}} : tensor<2x4x1x1xi8> -> tensor<2x4x1x1xf32>
// QUANT:        linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1
// QUANT:        compress.dequantize %{{.*}} : tensor<2x3x1xi8> -> tensor<2x3x1xf32>
// QUANT:        linalg.depthwise_conv_2d_nchw_chw {compress.decomposed = {factor = 2
// QUANT:        compress.dequantize %{{.*}} : tensor<2x1x3xi8> -> tensor<2x1x3xf32>
// QUANT:        linalg.depthwise_conv_2d_nchw_chw {compress.decomposed = {factor = 3
// QUANT:        compress.dequantize %{{.*}} : tensor<6x2x1x1xi8> -> tensor<6x2x1x1xf32>
// QUANT:        linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 4
// PRUNE-LABEL: func.func @predict
// PRUNE:        linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 {{.*}}, compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}
// PRUNE:        linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 2 {{.*}}, compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}
// PRUNE:        linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 3 {{.*}}, compress.pruned = {sparsity = 5.000000e-01 : f64, structure = "unstructured"}
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>
func.func @predict(%x: tensor<1x4x8x8xf32>) -> tensor<1x6x6x6xf32> {
  %w = arith.constant dense<[[[[0.19, -0.52, -0.41], [-2.44, 1.8, 1.14], [-0.33, 0.77, 0.28]], [[-0.55, 0.98, -0.31], [-0.33, -0.79, 0.45], [-0.1, 0.55, -0.61]], [[0.13, -0.89, 0.84], [0.19, 0.33, 0.41], [-1.01, 0.78, 2.06]], [[-1.64, -1.73, -1.5], [0.84, 0.13, 1.08], [0.72, 0.21, 0.28]]], [[[-0.17, 0.87, -1.13], [-0.42, 0.24, 1.8], [-0.76, -1.08, -0.56]], [[0.97, -0.24, 1.32], [-1.87, 1.13, 1.03], [-1.42, 0.15, 1.22]], [[0.09, 1.0, 2.37], [0.27, -0.28, -0.77], [0.65, -0.2, -0.18]], [[-0.11, 0.65, -1.07], [-1.53, -2.43, 1.2], [0.07, 1.51, -0.01]]], [[[-0.74, 0.48, -0.08], [-1.25, -0.89, 1.77], [0.35, 0.42, -0.28]], [[-0.69, 0.89, -0.1], [-0.76, -0.13, -0.91], [0.19, 1.13, -0.84]], [[1.43, -0.67, 0.15], [-0.84, -0.22, 0.05], [-0.43, -0.7, -0.68]], [[-0.82, -1.57, -0.26], [0.4, 0.91, 0.65], [2.46, 0.32, -0.46]]], [[[1.87, -1.05, 0.97], [-0.96, 0.35, -1.97], [0.9, -0.16, -0.97]], [[1.68, 0.77, 0.05], [-0.75, -0.04, -0.16], [0.72, 0.8, -0.67]], [[-0.55, -0.53, -1.35], [-0.59, -0.09, 0.69], [1.32, -0.81, 0.55]], [[-0.44, 2.08, -0.05], [0.5, -0.94, -0.81], [0.2, -0.38, 0.35]]], [[[-1.56, 0.66, -0.9], [1.72, -0.29, 1.1], [-1.39, 0.43, -0.89]], [[-0.49, 0.02, -0.32], [0.26, 0.75, 0.65], [-0.09, -1.36, -0.8]], [[-0.2, -2.12, 0.75], [-0.24, -0.25, 0.95], [0.67, 0.22, -1.0]], [[0.31, 0.35, -0.88], [1.04, 0.51, -1.97], [0.12, -1.26, 1.14]]], [[[0.81, -1.1, -0.88], [0.1, -0.24, 1.53], [0.74, -0.28, 0.58]], [[-2.03, 0.31, 0.87], [-0.18, -0.71, 0.57], [1.96, 0.2, -1.12]], [[1.45, -1.88, 0.5], [-0.58, 0.93, -0.85], [1.32, 0.3, -1.73]], [[-1.97, -0.32, 1.29], [0.13, 0.07, -0.24], [0.74, 0.38, 0.28]]]]> : tensor<6x4x3x3xf32>
  %scale = arith.constant dense<[[[[1.0]], [[3.0]], [[0.5]], [[2.0]], [[1.5]], [[0.25]]]]> : tensor<1x6x1x1xf32>
  %shift = arith.constant dense<[[[[2.0]], [[2.0]], [[2.0]], [[2.0]], [[2.0]], [[2.0]]]]> : tensor<1x6x1x1xf32>
  %e = tensor.empty() : tensor<1x6x6x6xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) outs(%i : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %m = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %scale : tensor<1x6x6x6xf32>, tensor<1x6x1x1xf32>) outs(%e : tensor<1x6x6x6xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %r = arith.mulf %v, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x6x6x6xf32>
  %a = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m, %shift : tensor<1x6x6x6xf32>, tensor<1x6x1x1xf32>) outs(%e : tensor<1x6x6x6xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %r = arith.addf %v, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x6x6x6xf32>
  return %a : tensor<1x6x6x6xf32>
}
