// compress-cp-decompose method=cp: a convolution becomes a 1x1
// convolution C -> R, a depthwise kh x 1 convolution (the vertical stride
// and dilation), a depthwise 1 x kw convolution (the horizontal ones) and
// a 1x1 convolution R -> F into the original init, in the op's layout; a
// pad of zeros around the input moves after the first 1x1 convolution.
// Ranks whose factors would not run faster stay dense, with the reason.
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=2" | FileCheck %s
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=20" | FileCheck %s --check-prefix=SLOW
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=20 only-faster=false" | FileCheck %s --check-prefix=FORCED
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank-ratio=0.25" | FileCheck %s --check-prefix=RATIO
// RUN: compress-opt %s --compress-cp-decompose="method=cp tolerance=1e-5" | FileCheck %s --check-prefix=TOL
// RUN: compress-opt %s --compress-cp-decompose="method=cp rank=100 only-faster=false max-iterations=1" | FileCheck %s --check-prefix=CAP

// CHECK-LABEL: func.func @nchw_strided(
// CHECK-SAME:      %[[X:.*]]: tensor<1x8x13x13xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x12x7x7xf32>
// CHECK:         %[[T1:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 1 : i64, flops = {{[0-9]+}} : i64, iterations = {{[0-9]+}} : i64, method = "cp", original_flops = 42336 : i64, original_params = 864 : i64, params = 52 : i64, ranks = array<i64: 2>, weight_error = {{.*}} : f64}, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %{{.*}} : tensor<1x8x13x13xf32>, tensor<2x8x1x1xf32>) outs(%{{.*}} : tensor<1x2x13x13xf32>)
// CHECK:         %[[P:.*]] = tensor.pad %[[T1]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<1x2x13x13xf32> to tensor<1x2x15x15xf32>
// CHECK:         %[[T2:.*]] = linalg.depthwise_conv_2d_nchw_chw {compress.decomposed = {factor = 2 : i64{{.*}}}, dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[P]], %{{.*}} : tensor<1x2x15x15xf32>, tensor<2x3x1xf32>) outs(%{{.*}} : tensor<1x2x7x15xf32>)
// CHECK:         %[[T3:.*]] = linalg.depthwise_conv_2d_nchw_chw {compress.decomposed = {factor = 3 : i64{{.*}}}, dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%[[T2]], %{{.*}} : tensor<1x2x7x15xf32>, tensor<2x1x3xf32>) outs(%{{.*}} : tensor<1x2x7x7xf32>)
// CHECK:         %[[Y:.*]] = linalg.conv_2d_nchw_fchw {compress.decomposed = {factor = 4 : i64{{.*}} ins(%[[T3]], %{{.*}} : tensor<1x2x7x7xf32>, tensor<12x2x1x1xf32>) outs(%[[INIT]] : tensor<1x12x7x7xf32>)
// CHECK:         return %[[Y]]
// SLOW-LABEL:  func.func @nchw_strided(
// SLOW:          linalg.conv_2d_nchw_fchw {compress.decomposition_skipped = "rank 20 keeps 1.13 of the FLOPs: no reduction"
// FORCED-LABEL: func.func @nchw_strided(
// FORCED:        ranks = array<i64: 20>
// Of min(F, C kh kw) = 12: round(0.25 x 12) = 3.
// RATIO-LABEL: func.func @nchw_strided(
// RATIO:         ranks = array<i64: 3>
// A rank above C kh kw = 72 is capped there (the factors are exact);
// max-iterations=1 runs one ALS sweep.
// CAP-LABEL:   func.func @nchw_strided(
// CAP:           iterations = 1 : i64, method = "cp"{{.*}}ranks = array<i64: 72>
// A kernel of CP rank 1: the tolerance needs rank 1.
// TOL-LABEL:   func.func @nchw_strided(
// TOL:           ranks = array<i64: 1>, weight_error
func.func @nchw_strided(%x: tensor<1x8x13x13xf32>) -> tensor<1x12x7x7xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x13x13xf32> to tensor<1x8x15x15xf32>
  %w = arith.constant dense<1.0> : tensor<12x8x3x3xf32>
  %e = tensor.empty() : tensor<1x12x7x7xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x12x7x7xf32>) -> tensor<1x12x7x7xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x8x15x15xf32>, tensor<12x8x3x3xf32>) outs(%f : tensor<1x12x7x7xf32>) -> tensor<1x12x7x7xf32>
  return %y : tensor<1x12x7x7xf32>
}

// NHWC with dilation 2 and a dynamic batch: depthwise HWC kernels of 3x1xR
// and 1x3xR.
// CHECK-LABEL: func.func @nhwc_dilated(
// CHECK-SAME:      %[[X:.*]]: tensor<?x12x12x8xf32>
// CHECK:         %[[T1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %{{.*}} : tensor<?x12x12x8xf32>, tensor<1x1x8x2xf32>) outs(%{{.*}} : tensor<?x12x12x2xf32>)
// CHECK:         %[[T2:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}}dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[T1]], %{{.*}} : tensor<?x12x12x2xf32>, tensor<3x1x2xf32>) outs(%{{.*}} : tensor<?x8x12x2xf32>)
// CHECK:         %[[T3:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}}dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[T2]], %{{.*}} : tensor<?x8x12x2xf32>, tensor<1x3x2xf32>) outs(%{{.*}} : tensor<?x8x8x2xf32>)
// SLOW-LABEL:  func.func @nhwc_dilated(
// SLOW:          linalg.conv_2d_nhwc_hwcf {compress.decomposition_skipped = "rank 20 keeps 0.72 of the FLOPs, above 0.45 where the factors run faster than the dense convolution"
// CHECK:         linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[T3]], %{{.*}} : tensor<?x8x8x2xf32>, tensor<1x1x2x16xf32>) outs(%{{.*}} : tensor<?x8x8x16xf32>)
func.func @nhwc_dilated(%x: tensor<?x12x12x8xf32>) -> tensor<?x8x8x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x12x12x8xf32>
  %z = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<3x3x8x16xf32>
  %e = tensor.empty(%n) : tensor<?x8x8x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x8x8x16xf32>) -> tensor<?x8x8x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x12x12x8xf32>, tensor<3x3x8x16xf32>) outs(%f : tensor<?x8x8x16xf32>) -> tensor<?x8x8x16xf32>
  return %y : tensor<?x8x8x16xf32>
}
