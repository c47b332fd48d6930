// compress-cp-decompose method=tucker2: a convolution becomes a 1x1
// convolution C -> R1, the kernel's convolution R1 -> R2 (with the strides
// and dilations) and a 1x1 convolution R2 -> F into the original init, in
// the op's layout; a pad of zeros around the input moves after the first
// 1x1 convolution. Layers whose factors would not pay stay, with the
// reason; matmuls are left to method=svd.
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank=2" | FileCheck %s
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank-ratio=0.9" | FileCheck %s --check-prefix=SLOW
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank-ratio=0.8" | FileCheck %s --check-prefix=ABOVE
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank=100" | FileCheck %s --check-prefix=FULL
// RUN: compress-opt %s --compress-cp-decompose="method=svd rank=2" | FileCheck %s --check-prefix=SVD
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 tolerance=1e-6" | FileCheck %s --check-prefix=TOL0
// RUN: compress-opt %s --compress-cp-decompose="method=tucker2 rank=2 max-iterations=0" | FileCheck %s --check-prefix=HOSVD

// CHECK-LABEL: func.func @nchw_padded(
// CHECK-SAME:      %[[X:.*]]: tensor<1x8x6x6xf32>
// CHECK-NOT:     tensor.pad %[[X]]
// CHECK:         %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x12x6x6xf32>
// CHECK:         %[[V:.*]] = arith.constant dense<{{.*}}> : tensor<2x8x1x1xf32>
// CHECK:         %[[Z1:.*]] = linalg.fill {{.*}} -> tensor<1x2x6x6xf32>
// CHECK:         %[[T1:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 : i64, flops = 2736 : i64, iterations = {{[0-9]+}} : i64, method = "tucker2", original_flops = 31104 : i64, original_params = 864 : i64, params = 76 : i64, ranks = array<i64: 2, 2>, weight_error = {{.*}} : f64}, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[V]] : tensor<1x8x6x6xf32>, tensor<2x8x1x1xf32>) outs(%[[Z1]] : tensor<1x2x6x6xf32>)
// CHECK:         %[[P:.*]] = tensor.pad %[[T1]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
// CHECK:         %[[G:.*]] = arith.constant dense<{{.*}}> : tensor<2x2x3x3xf32>
// CHECK:         %[[Z2:.*]] = linalg.fill {{.*}} -> tensor<1x2x6x6xf32>
// CHECK:         %[[T2:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 2 : i64{{.*}}} ins(%[[P]], %[[G]] : tensor<1x2x8x8xf32>, tensor<2x2x3x3xf32>) outs(%[[Z2]] : tensor<1x2x6x6xf32>)
// CHECK:         %[[U:.*]] = arith.constant dense<{{.*}}> : tensor<12x2x1x1xf32>
// CHECK:         %[[Y:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 3 : i64{{.*}}} ins(%[[T2]], %[[U]] : tensor<1x2x6x6xf32>, tensor<12x2x1x1xf32>) outs(%[[INIT]] : tensor<1x12x6x6xf32>)
// CHECK:         return %[[Y]]
// SLOW-LABEL:  func.func @nchw_padded(
// SLOW:          linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "ranks (7, 11) keep 1.02 of the FLOPs: no reduction"
// ABOVE-LABEL: func.func @nchw_padded(
// ABOVE:         linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "ranks (6, 10) keep 0.82 of the FLOPs, above 0.80 where the factors run faster than the dense convolution"
// FULL-LABEL:  func.func @nchw_padded(
// FULL:          linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "ranks (8, 12) are not below (C, F) = (8, 12)"
// SVD-LABEL:   func.func @nchw_padded(
// SVD:           linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "method=svd factors matmuls; method=cp or tucker2 factors convolutions"
// A kernel of rank 1 in both modes: a tolerance of 1e-6 needs ranks (1, 1).
// max-iterations=0: the truncated HOSVD, no HOOI sweep.
// HOSVD-LABEL: func.func @nchw_padded(
// HOSVD:         compress.decomposed = {factor = 1 : i64, flops = 2736 : i64, iterations = 0 : i64
// TOL0-LABEL:  func.func @nchw_padded(
// TOL0:          linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 : i64{{.*}}ranks = array<i64: 1, 1>
func.func @nchw_padded(%x: tensor<1x8x6x6xf32>) -> tensor<1x12x6x6xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %w = arith.constant dense<1.0> : tensor<12x8x3x3xf32>
  %e = tensor.empty() : tensor<1x12x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x8x8x8xf32>, tensor<12x8x3x3xf32>) outs(%f : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  return %y : tensor<1x12x6x6xf32>
}

// NHWC, strided and dilated, the input not padded: the 1x1 factors are
// 1x1xCxR1 and 1x1xR2xF, the core R1 -> R2 keeps strides and dilations;
// a dynamic batch is carried.
// CHECK-LABEL: func.func @nhwc_strided(
// CHECK-SAME:      %[[X:.*]]: tensor<?x11x11x8xf32>
// CHECK:         tensor.empty(%{{.*}}) : tensor<?x11x11x2xf32>
// CHECK:         %[[T1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}}dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %{{.*}} : tensor<?x11x11x8xf32>, tensor<1x1x8x2xf32>) outs(%{{.*}} : tensor<?x11x11x2xf32>)
// CHECK:         %[[T2:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}}dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[T1]], %{{.*}} : tensor<?x11x11x2xf32>, tensor<3x3x2x2xf32>) outs(%{{.*}} : tensor<?x4x4x2xf32>)
// CHECK:         linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[T2]], %{{.*}} : tensor<?x4x4x2xf32>, tensor<1x1x2x16xf32>) outs(%{{.*}} : tensor<?x4x4x16xf32>)
func.func @nhwc_strided(%x: tensor<?x11x11x8xf32>) -> tensor<?x4x4x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x11x11x8xf32>
  %z = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<3x3x8x16xf32>
  %e = tensor.empty(%n) : tensor<?x4x4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x4x4x16xf32>) -> tensor<?x4x4x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<?x11x11x8xf32>, tensor<3x3x8x16xf32>) outs(%f : tensor<?x4x4x16xf32>) -> tensor<?x4x4x16xf32>
  return %y : tensor<?x4x4x16xf32>
}

// A pad that is not only of zeros around the image stays before the first
// factor, which then runs on the padded input.
// CHECK-LABEL: func.func @pad_of_ones(
// CHECK:         %[[P:.*]] = tensor.pad
// CHECK:         linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 : i64{{.*}} ins(%[[P]], %{{.*}} : tensor<1x8x8x8xf32>, tensor<2x8x1x1xf32>)
func.func @pad_of_ones(%x: tensor<1x8x6x6xf32>) -> tensor<1x12x6x6xf32> {
  %z = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %one : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %w = arith.constant dense<1.0> : tensor<12x8x3x3xf32>
  %e = tensor.empty() : tensor<1x12x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x8x8x8xf32>, tensor<12x8x3x3xf32>) outs(%f : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  return %y : tensor<1x12x6x6xf32>
}

// Left alone: a depthwise convolution (no channel mixing to factor), a
// kernel that is not a constant, and, under method=tucker2, a matmul.
// CHECK-LABEL: func.func @left_alone(
// CHECK:         linalg.depthwise_conv_2d_nchw_chw {dilations
// CHECK:         linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "the kernel is not an f32 constant"
// CHECK:         linalg.matmul {compress.decomposition_skipped = "method=cp and tucker2 factor convolutions; method=svd factors matmuls"}
func.func @left_alone(%x: tensor<1x8x8x8xf32>, %k: tensor<12x8x3x3xf32>, %a: tensor<4x8xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x12x6x6xf32>, tensor<4x8xf32>) {
  %z = arith.constant 0.0 : f32
  %dw = arith.constant dense<1.0> : tensor<8x3x3xf32>
  %e0 = tensor.empty() : tensor<1x8x6x6xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %y0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %dw : tensor<1x8x8x8xf32>, tensor<8x3x3xf32>) outs(%f0 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %e1 = tensor.empty() : tensor<1x12x6x6xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %y1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k : tensor<1x8x8x8xf32>, tensor<12x8x3x3xf32>) outs(%f1 : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %w = arith.constant dense<1.0> : tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %y2 = linalg.matmul ins(%a, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%f2 : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y0, %y1, %y2 : tensor<1x8x6x6xf32>, tensor<1x12x6x6xf32>, tensor<4x8xf32>
}

// A dynamic batch with a pad: the factors' batch size comes from the
// unpadded input, so the original pad (of 8 channels) is gone.
// CHECK-LABEL: func.func @dynamic_padded(
// CHECK-SAME:      %[[X:.*]]: tensor<?x8x6x6xf32>
// CHECK-NOT:     tensor.pad %[[X]]
// CHECK:         %[[T1:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X]], %{{.*}} : tensor<?x8x6x6xf32>, tensor<2x8x1x1xf32>)
// CHECK:         tensor.pad %[[T1]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK-NOT:     tensor.pad %[[X]]
// CHECK:         return
func.func @dynamic_padded(%x: tensor<?x8x6x6xf32>) -> tensor<?x12x6x6xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<?x8x6x6xf32> to tensor<?x8x8x8xf32>
  %w = arith.constant dense<1.0> : tensor<12x8x3x3xf32>
  %e = tensor.empty(%n) : tensor<?x12x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x12x6x6xf32>) -> tensor<?x12x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<?x8x8x8xf32>, tensor<12x8x3x3xf32>) outs(%f : tensor<?x12x6x6xf32>) -> tensor<?x12x6x6xf32>
  return %y : tensor<?x12x6x6xf32>
}

// A pad of the channels too stays before the first factor, which reads
// the padded input (10 channels); a kernel with a NaN is left alone.
// CHECK-LABEL: func.func @pad_channels(
// CHECK:         %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 1] high[0, 1, 1, 1]
// CHECK:         linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 : i64{{.*}} ins(%[[P]], %{{.*}} : tensor<1x10x8x8xf32>, tensor<2x10x1x1xf32>)
// CHECK:         linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "the kernel has non-finite values"
func.func @pad_channels(%x: tensor<1x8x6x6xf32>) -> (tensor<1x12x6x6xf32>, tensor<1x12x6x6xf32>) {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 1] high[0, 1, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x6x6xf32> to tensor<1x10x8x8xf32>
  %w = arith.constant dense<1.0> : tensor<12x10x3x3xf32>
  %e = tensor.empty() : tensor<1x12x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x10x8x8xf32>, tensor<12x10x3x3xf32>) outs(%f : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  %nan = arith.constant dense<0x7FC00000> : tensor<12x10x3x3xf32>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %nan : tensor<1x10x8x8xf32>, tensor<12x10x3x3xf32>) outs(%f : tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  return %y, %y2 : tensor<1x12x6x6xf32>, tensor<1x12x6x6xf32>
}
