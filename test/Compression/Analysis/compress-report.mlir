// RUN: compress-opt %s --compress-report -o %t.mlir 2>&1 | FileCheck %s
// RUN: compress-opt %s --compress-report=report=%t.json -o /dev/null && FileCheck %s < %t.json
// The IR is unchanged.
// RUN: compress-opt %s -o %t.ref.mlir && diff %t.mlir %t.ref.mlir
// RUN: not compress-opt %s --compress-report=report=%t.missing-dir/r.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: error: compress-report: cannot write '{{.*}}r.json'

// A matmul with a dense f32 weight holding 2 zeros out of 8: too few for
// the sparse kernel.
// CHECK:      "ops": [
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 32,
// CHECK-NEXT:   "dense_bytes": 32,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 48,
// CHECK-NEXT:   "kernel": "dense",
// CHECK-NEXT:   "kernel_reason": "0.250 of the weights are zero, below the crossover 0.90 where the sparse kernel starts to beat the dense one",
// CHECK-NEXT:   "key": "dense_matmul/0",
// CHECK-NEXT:   "kind": "contraction",
// CHECK-NEXT:   "loc": "{{.*}}compress-report.mlir:[[# @LINE + 13]]:8",
// CHECK-NEXT:   "op": "linalg.matmul",
// CHECK-NEXT:   "original_bytes": 32,
// CHECK-NEXT:   "params": 8,
// CHECK-NEXT:   "sparsity": 0.25,
// CHECK-NEXT:   "weight_shape": [
// CHECK-NEXT:     4,
// CHECK-NEXT:     2
// CHECK-NEXT:   ],
// CHECK-NEXT:   "weight_type": "f32",
// CHECK-NEXT:   "zeros": 2
func.func @dense_matmul(%x: tensor<3x4xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [2.0, 3.0], [0.0, 4.0], [5.0, 6.0]]> : tensor<4x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// A convolution whose weight is a dense_resource blob (one -0.0 and one
// 0.0 out of 4) and whose batch is dynamic (counted as 1).
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 16,
// CHECK-NEXT:   "dense_bytes": 16,
// CHECK-NEXT:   "dynamic": true,
// CHECK-NEXT:   "flops": 72,
// CHECK-NEXT:   "kernel": "dense",
// CHECK-NEXT:   "kernel_reason": "0.500 of the weights are zero, below the crossover 0.90 where the sparse convolution starts to beat the dense one",
// CHECK-NEXT:   "key": "{{[a-z_0-9]+/[0-9]+}}",
// CHECK-NEXT:   "kind": "convolution",
// CHECK-NEXT:   "loc": "{{.*}}compress-report.mlir:[[# @LINE + 8]]:8",
// CHECK-NEXT:   "op": "linalg.conv_2d_nchw_fchw",
// CHECK-NEXT:   "original_bytes": 16,
// CHECK-NEXT:   "params": 4,
// CHECK-NEXT:   "sparsity": 0.5,
// CHECK:        "zeros": 2
func.func @resource_conv(%x: tensor<?x1x4x4xf32>, %init: tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32> {
  %w = arith.constant dense_resource<conv_w> : tensor<1x1x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<?x1x4x4xf32>, tensor<1x1x2x2xf32>) outs(%init : tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32>
  return %r : tensor<?x1x3x3xf32>
}

// A fake-quantized weight counts with the spec's bits: 6 x 4 bits = 3 bytes.
// CHECK:        "bits": 4,
// CHECK-NEXT:   "bytes": 3,
// CHECK:        "op": "linalg.matmul",
// CHECK-NEXT:   "original_bytes": 24,
// CHECK-NEXT:   "params": 6,
// CHECK-NEXT:   "quant": "#compress.quant<i4, scales = [5.000000e-01], zero_points = [0]>",
func.func @quantized_matmul(%x: tensor<1x3xf32>, %init: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %q = compress.fake_quant %w : tensor<3x2xf32>, #compress.quant<i4, scales = [0.5], zero_points = [0]>
  %r = linalg.matmul ins(%x, %q : tensor<1x3xf32>, tensor<3x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %r : tensor<1x2xf32>
}

// 2^20 rows and 16 rows (a small layer: crossover 0.6 on one thread, the
// report's view) and a weight with one nonzero per column (0.875 zeros):
// the column-sparse kernel, which stores offsets (17 x 4 bytes) and each
// column's nonzero padded to a group of 4 (4 x (2-byte row + 4-byte value)
// per column): 68 + 384 = 452 bytes.
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 452,
// CHECK-NEXT:   "dense_bytes": 512,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 268435456,
// CHECK-NEXT:   "kernel": "csc",
// CHECK-NEXT:   "kernel_reason": "0.875 of the weights are zero, at least the crossover 0.70",
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 452,
// CHECK-NEXT:   "dense_bytes": 512,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 4096,
// CHECK-NEXT:   "kernel": "csc",
// CHECK-NEXT:   "kernel_reason": "0.875 of the weights are zero, at least the crossover 0.60",
// CHECK-NEXT:   "key": "sparse_matmul/1",
func.func @sparse_matmul(%x: tensor<1048576x8xf32>, %init: tensor<1048576x16xf32>) -> tensor<1048576x16xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 13.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 14.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 15.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 8.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.0]]> : tensor<8x16xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1048576x8xf32>, tensor<8x16xf32>) outs(%init : tensor<1048576x16xf32>) -> tensor<1048576x16xf32>
  %x16 = tensor.extract_slice %x[0, 0] [16, 8] [1, 1] : tensor<1048576x8xf32> to tensor<16x8xf32>
  %i16 = tensor.extract_slice %init[0, 0] [16, 16] [1, 1] : tensor<1048576x16xf32> to tensor<16x16xf32>
  %r16 = linalg.matmul ins(%x16, %w : tensor<16x8xf32>, tensor<8x16xf32>) outs(%i16 : tensor<16x16xf32>) -> tensor<16x16xf32>
  %out = tensor.insert_slice %r16 into %r[0, 0] [16, 16] [1, 1] : tensor<16x16xf32> into tensor<1048576x16xf32>
  return %out : tensor<1048576x16xf32>
}

// Nonzeros in 2 of 16 blocks of one row and 16 columns: the block kernel,
// which stores offsets (3 x 4 bytes) and the nonzero blocks of each group
// of 16 columns padded to 4 (4 x (2 + 64) bytes): 12 + 264 = 276 bytes.
// What pruning recorded on the op is reported with it.
// CHECK:        "bits": 32,
// CHECK-NEXT:   "bytes": 276,
// CHECK-NEXT:   "dense_bytes": 1024,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 512,
// CHECK-NEXT:   "kernel": "blocks-1x16",
// CHECK-NEXT:   "kernel_reason": "0.875 of the 1x16 blocks are zero, at least the crossover 0.50",
// CHECK:        "pruned": {
// CHECK-NEXT:     "sparsity": 0.875,
// CHECK-NEXT:     "structure": "block 1x16"
// CHECK-NEXT:   },
func.func @block_matmul(%x: tensor<1x8xf32>, %init: tensor<1x32xf32>) -> tensor<1x32xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x32xf32>
  %r = linalg.matmul {compress.pruned = {structure = "block 1x16", sparsity = 0.875 : f64}} ins(%x, %w : tensor<1x8xf32>, tensor<8x32xf32>) outs(%init : tensor<1x32xf32>) -> tensor<1x32xf32>
  return %r : tensor<1x32xf32>
}

// A 2:4 weight (8 x 16; no zero 1 x 16 block) and one activation row: the
// n:m kernel, which
// stores 4 slots x 16 columns of values (256 bytes) and a 4-byte word of
// 2-bit positions per slot (16 bytes): 272 bytes.
// CHECK:        "bytes": 272,
// CHECK-NEXT:   "dense_bytes": 512,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 256,
// CHECK-NEXT:   "kernel": "n:m",
// CHECK-NEXT:   "kernel_reason": "at most 2 of every 4 weights along K are nonzero, with 1 activation rows",
func.func @nm_matmul(%x: tensor<1x8xf32>, %init: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0], [0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0], [0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0], [3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0], [0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0], [4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0]]> : tensor<8x16xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x8xf32>, tensor<8x16xf32>) outs(%init : tensor<1x16xf32>) -> tensor<1x16xf32>
  return %r : tensor<1x16xf32>
}

// A 1x1 convolution with one nonzero per filter (0.875 zeros) on a 16 x
// 16 image (256 output positions: crossover 0.8): the sparse
// convolution, which stores offsets (9 x 4 bytes) and each filter's
// nonzero padded to a group of 4 (4 x (2-byte tap + 4-byte value) per
// filter): 36 + 192 = 228 bytes.
// CHECK:        "bytes": 228,
// CHECK-NEXT:   "dense_bytes": 256,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 32768,
// CHECK-NEXT:   "kernel": "csc",
// CHECK-NEXT:   "kernel_reason": "0.875 of the weights are zero, at least the crossover 0.80",
// CHECK-NEXT:   "key": "{{[a-z_0-9]+/[0-9]+}}",
// CHECK-NEXT:   "kind": "convolution",
func.func @sparse_conv(%x: tensor<1x8x16x16xf32>, %init: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %w = arith.constant dense<[[[[1.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[2.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[3.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[4.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[5.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[6.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[7.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[8.0]]]]> : tensor<8x8x1x1xf32>
  %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x16x16xf32>, tensor<8x8x1x1xf32>) outs(%init : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  return %r : tensor<1x8x16x16xf32>
}

// The same weight with dilation 2: the sparse convolution too.
// CHECK:        "kernel": "csc",
// CHECK-NEXT:   "kernel_reason": "0.875 of the weights are zero, at least the crossover 0.80",
func.func @dilated_conv(%x: tensor<1x8x16x16xf32>, %init: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %w = arith.constant dense<[[[[1.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[2.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[3.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[4.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[5.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[6.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[7.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[8.0]]]]> : tensor<8x8x1x1xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x16x16xf32>, tensor<8x8x1x1xf32>) outs(%init : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  return %r : tensor<1x8x16x16xf32>
}

// A batch_matmul with a constant 2 x 8 x 4 weight holding 2 nonzeros (one
// activation row: crossover 0.9): the column kernel on its block-diagonal
// form, (8 + 1) x 4 offset bytes and 2 entries padded to 4 each x 6 bytes.
// CHECK:        "bytes": 84,
// CHECK-NEXT:   "dense_bytes": 256,
// CHECK-NEXT:   "dynamic": false,
// CHECK-NEXT:   "flops": 128,
// CHECK-NEXT:   "kernel": "csc",
// CHECK-NEXT:   "kernel_reason": "0.969 of the weights are zero, at least the crossover 0.90",
// CHECK-NEXT:   "key": "{{[a-z_0-9]+/[0-9]+}}",
// CHECK-NEXT:   "kind": "contraction",
// CHECK-NEXT:   "loc": "{{.*}}",
// CHECK-NEXT:   "op": "linalg.batch_matmul",
func.func @sparse_batch_matmul(%x: tensor<2x1x8xf32>, %init: tensor<2x1x4xf32>) -> tensor<2x1x4xf32> {
  %w = arith.constant dense<[[[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.5, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [-2.0, 0.0, 0.0, 0.0]]]> : tensor<2x8x4xf32>
  %r = linalg.batch_matmul ins(%x, %w : tensor<2x1x8xf32>, tensor<2x8x4xf32>) outs(%init : tensor<2x1x4xf32>) -> tensor<2x1x4xf32>
  return %r : tensor<2x1x4xf32>
}

// Stride 2 and dilation 2: no sparse kernel, and the report says why.
// CHECK:        "kernel": "dense",
// CHECK-NEXT:   "kernel_reason": "the sparse convolution runs strides or dilations, not both",
func.func @strided_dilated_conv(%x: tensor<1x8x5x5xf32>, %init: tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32> {
  %w = arith.constant dense<0.0> : tensor<8x8x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x5x5xf32>, tensor<8x8x2x2xf32>) outs(%init : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return %r : tensor<1x8x2x2xf32>
}

// Stride 2 on a 5 x 5 input: its stride phases would reach past it (6 x 6),
// so it stays dense.
// CHECK:        "kernel": "dense",
// CHECK-NEXT:   "kernel_reason": "0.875 of the weights are zero; the 5 x 5 input is not whole stride phases of the output (it would need padding)",
func.func @strided_odd(%x: tensor<1x8x5x5xf32>, %init: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %w = arith.constant dense<[[[[1.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[2.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[3.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[4.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[5.0]], [[0.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[6.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[7.0]], [[0.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[8.0]]]]> : tensor<8x8x1x1xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x5x5xf32>, tensor<8x8x1x1xf32>) outs(%init : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}

// A depthwise NHWC convolution stays dense whatever its zeros: the
// transposes the sparse convolution needs cost more than the layer.
// CHECK:        "kernel": "dense",
// CHECK-NEXT:   "kernel_reason": "0.889 of the weights are zero; an NHWC depthwise convolution runs faster dense than transposed for the sparse convolution",
// CHECK-NEXT:   "key": "{{[a-z_0-9]+/[0-9]+}}",
// CHECK-NEXT:   "kind": "convolution",
func.func @depthwise_nhwc(%x: tensor<1x4x4x1xf32>, %init: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w = arith.constant dense<[[[0.0], [0.0], [0.0]], [[0.0], [5.0], [0.0]], [[0.0], [0.0], [0.0]]]> : tensor<3x3x1xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x4x4x1xf32>, tensor<3x3x1xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %r : tensor<1x2x2x1xf32>
}

// CHECK:      "skipped": [
// CHECK-NEXT:   {
// CHECK-NEXT:     "loc": "{{.*}}compress-report.mlir:[[# @LINE + 15]]:8",
// CHECK-NEXT:     "op": "linalg.batch_matmul",
// CHECK-NEXT:     "reason": "no constant weight operand"
// CHECK-NEXT:   }
// CHECK-NEXT: ],
// CHECK-NEXT: "total": {
// CHECK-NEXT:   "bytes": 3359,
// CHECK-NEXT:   "dynamic": true,
// CHECK-NEXT:   "flops": 268509388,
// CHECK-NEXT:   "ops": 13,
// CHECK-NEXT:   "original_bytes": 4716,
// CHECK-NEXT:   "params": 1179,
// CHECK-NEXT:   "ratio": 0.7122{{[0-9]*}},
// CHECK-NEXT:   "zeros": 1010
func.func @no_weight(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %init: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%init : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// Pooling and elementwise ops are not listed at all.
// CHECK-NOT: pooling
func.func @pooling(%x: tensor<1x1x4x4xf32>, %init: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %window = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv_w: "0x04000000000000800000803F000000000000003F"
    }
  }
#-}
