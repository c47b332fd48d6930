// Conv + batch norm + residual add + relu, compiled three ways and checked
// against numpy: as written, with compress-fold-batchnorm (the BN folded into
// the weights and one bias), and with compress-fold-batchnorm + compress-fuse
// explicitly (one fusion group: conv kernel with the bias, residual and relu
// applied in registers). The width (33) is not a multiple of the vector tile.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(7); \
// RUN:   np.save('%t/x.npy', r.standard_normal((1, 4, 35, 35)).astype(np.float32)); \
// RUN:   np.save('%t/res.npy', r.standard_normal((1, 8, 33, 33)).astype(np.float32))"
// RUN: compress-run %s -e conv_bn_relu --input %t/x.npy --input %t/res.npy --output %t/plain.npy
// RUN: compress-opt %s --compress-fold-batchnorm -o %t/folded.mlir
// RUN: compress-run %t/folded.mlir -e conv_bn_relu --input %t/x.npy --input %t/res.npy --output %t/folded.npy
// RUN: compress-opt %s --compress-fold-batchnorm --compress-fuse -o %t/fused.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/fused.mlir
// RUN: compress-run %t/fused.mlir -e conv_bn_relu --input %t/x.npy --input %t/res.npy --output %t/fused.npy
// RUN: %python %S/reference.py conv_bn_relu %t/x.npy %t/res.npy %t/plain.npy %t/folded.npy %t/fused.npy | FileCheck %s
// CHECK: plain ok
// CHECK: folded ok
// CHECK: fused ok
// IR:      compress.fusion_group
// IR-NEXT:   linalg.conv_2d_nchw_fchw
// IR-NEXT:   linalg.generic
// IR-NOT:    linalg.generic
// IR:        compress.yield

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @conv_bn_relu(%x: tensor<1x4x35x35xf32>, %res: tensor<1x8x33x33xf32>) -> tensor<1x8x33x33xf32> {
  %w = arith.constant dense<0.25> : tensor<8x4x3x3xf32>
  %mean = arith.constant dense<[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]> : tensor<8xf32>
  %var = arith.constant dense<[1.0, 2.0, 0.5, 0.25, 4.0, 1.5, 1.0, 3.0]> : tensor<8xf32>
  %gamma = arith.constant dense<[1.0, -1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0]> : tensor<8xf32>
  %beta = arith.constant dense<[0.0, 0.5, -0.5, 1.0, 0.0, 2.0, 0.0, -1.0]> : tensor<8xf32>
  %e = tensor.empty() : tensor<1x8x33x33xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x33x33xf32>) -> tensor<1x8x33x33xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x35x35xf32>, tensor<8x4x3x3xf32>) outs(%i : tensor<1x8x33x33xf32>) -> tensor<1x8x33x33xf32>
  %bn = linalg.generic {indexing_maps = [#id, #ch, #ch, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %mean, %var, %gamma, %beta : tensor<1x8x33x33xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<1x8x33x33xf32>) {
  ^bb0(%v: f32, %m: f32, %s: f32, %g: f32, %b: f32, %o: f32):
    %eps = arith.constant 1.0e-5 : f32
    %c = arith.subf %v, %m : f32
    %d = arith.addf %s, %eps : f32
    %r = math.rsqrt %d : f32
    %n = arith.mulf %c, %r : f32
    %t = arith.mulf %n, %g : f32
    %u = arith.addf %t, %b : f32
    linalg.yield %u : f32
  } -> tensor<1x8x33x33xf32>
  %sum = linalg.add ins(%bn, %res : tensor<1x8x33x33xf32>, tensor<1x8x33x33xf32>) outs(%e : tensor<1x8x33x33xf32>) -> tensor<1x8x33x33xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x8x33x33xf32>) outs(%e : tensor<1x8x33x33xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x33x33xf32>
  return %relu : tensor<1x8x33x33xf32>
}
