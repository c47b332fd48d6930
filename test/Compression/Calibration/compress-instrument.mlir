// RUN: compress-opt %s --compress-instrument | FileCheck %s
// RUN: compress-opt %s --compress-instrument=gram=false | FileCheck %s --check-prefix=NOGRAM

// Every contraction and convolution gets an observer of its activation keyed
// <function>/<ordinal>, with the activation's im2col view (rows = output
// positions, columns = reduced elements) for the Gram matrix.

// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$IM2COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1 * 2 + d4, d2 * 2 + d5)>
// CHECK-DAG:   #[[$BATCH:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-LABEL: func.func @f
// CHECK-SAME:  %[[X:[a-z0-9]+]]: tensor<?x4xf32>, %[[IMG:[a-z0-9]+]]: tensor<1x3x5x5xf32>, %[[B:[a-z0-9]+]]: tensor<2x3x4xf32>

// A matmul's view is its activation [M, K].
// CHECK:       %[[V0:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]]]{{.*}} ins(%[[X]] : tensor<?x4xf32>)
// CHECK:       %[[G0:.*]] = tensor.collapse_shape %[[V0]] {{\[}}[0], [1]] : tensor<?x4xf32> into tensor<?x4xf32>
// CHECK:       compress.observe "f/0" %[[X]] : tensor<?x4xf32> gram %[[G0]] : tensor<?x4xf32>
// CHECK:       linalg.matmul

// A strided NCHW convolution: rows (n, oh, ow), columns (c, kh, kw).
// CHECK:       %[[V1:.*]] = linalg.generic {indexing_maps = [#[[$IM2COL]], {{.*}}]{{.*}} ins(%[[IMG]] : tensor<1x3x5x5xf32>) outs(%{{.*}} : tensor<1x2x2x3x3x3xf32>)
// CHECK:       %[[G1:.*]] = tensor.collapse_shape %[[V1]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<1x2x2x3x3x3xf32> into tensor<4x27xf32>
// CHECK:       compress.observe "f/1" %[[IMG]] : tensor<1x3x5x5xf32> gram %[[G1]] : tensor<4x27xf32>
// CHECK:       linalg.conv_2d_nchw_fchw

// A batch_matmul with a constant weight: the batch is shared with the weight,
// so it is a column dimension (one block per batch): rows m, columns (b, k).
// CHECK:       %[[V2:.*]] = linalg.generic {indexing_maps = [#[[$BATCH]], {{.*}}]{{.*}} ins(%[[B]] : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3x2x4xf32>)
// CHECK:       %[[G2:.*]] = tensor.collapse_shape %[[V2]] {{\[}}[0], [1, 2]] : tensor<3x2x4xf32> into tensor<3x8xf32>
// CHECK:       compress.observe "f/2" %[[B]] : tensor<2x3x4xf32> gram %[[G2]] : tensor<3x8xf32>
// CHECK:       linalg.batch_matmul

// NOGRAM-LABEL: func.func @f
// NOGRAM-NOT:   linalg.generic
// NOGRAM:       compress.observe "f/0" %{{.*}} : tensor<?x4xf32>{{$}}
// NOGRAM:       compress.observe "f/1" %{{.*}} : tensor<1x3x5x5xf32>{{$}}
// NOGRAM:       compress.observe "f/2" %{{.*}} : tensor<2x3x4xf32>{{$}}
func.func @f(%x: tensor<?x4xf32>, %img: tensor<1x3x5x5xf32>, %b: tensor<2x3x4xf32>) -> (tensor<?x2xf32>, tensor<1x2x2x2xf32>, tensor<2x3x5xf32>) {
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x2xf32>) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %k = arith.constant dense<1.0> : tensor<2x3x3x3xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%img, %k : tensor<1x3x5x5xf32>, tensor<2x3x3x3xf32>) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %bw = arith.constant dense<1.0> : tensor<2x4x5xf32>
  %e3 = tensor.empty() : tensor<2x3x5xf32>
  %bm = linalg.batch_matmul ins(%b, %bw : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%e3 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %y, %c, %bm : tensor<?x2xf32>, tensor<1x2x2x2xf32>, tensor<2x3x5xf32>
}

// Negative: pooling and elementwise ops are not observed; the ordinal counts
// compressible ops only, per function.
// CHECK-LABEL: func.func @g
// CHECK-NOT:   compress.observe "g/0" %{{.*}} : tensor<1x1x4x4xf32>
// CHECK:       compress.observe "g/0" %{{.*}} : tensor<2x4xf32>
// CHECK-NOT:   compress.observe
// CHECK:       return
func.func @g(%p: tensor<1x1x4x4xf32>, %x: tensor<2x4xf32>, %w: tensor<4x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<2x2xf32>) {
  %window = tensor.empty() : tensor<2x2xf32>
  %pi = tensor.empty() : tensor<1x1x2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %window : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%pi : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r, %y : tensor<1x1x2x2xf32>, tensor<2x2xf32>
}
