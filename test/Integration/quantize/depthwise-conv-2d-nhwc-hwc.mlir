// Executes linalg.depthwise_conv_2d_nhwc_hwc with dilation 2 (x: ?x7x7x5,
// W: 3x3x5, y: ?x3x3x5) after --compress-quantize, and checks each result
// against reference.py (see matmul.mlir).
//
// The output channel is C, weight dimension 2 (C indexes the input, the
// weight and the output; the reduction is over the 3x3 window only); a
// channel's slice is its 3x3 kernel, so group-size=3 makes one group per
// kernel row. Channel 2 is about 20 times smaller than the others and
// channel 3 has a single non-zero weight (0.75: one code at qmax, and under
// the asymmetric scheme a zero point at qmin). W has 45 elements (odd, for
// the int4 packing; the last one is not 0). @dws is @dw with a batch of 2
// known at compile time. @wide (make_model.py) has 40 channels: a 32-channel
// vector tile and a masked one.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=2x7x7x5:normal:1 init=2x3x3x5:normal:0.5
// RUN: echo '{"version": 2, "tensors": {"dw/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"dw/0": {"ranges": {"minmax": [-1, 2.984375]}}}}' > %t/asym.json
//
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e dw %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s dw --options '%{options}' %{inputs} %bf16dot \
// DEFINE:        --output %t/y.npy %{flags}
//
// Weight-only.
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-tensor symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=3
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=3 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = float-type=fp16
// RUN: %{check}
// REDEFINE: %{options} = float-type=bf16
// RUN: %{check}
//
// Static and dynamic activations: a depthwise convolution uses each
// activation element for one output channel only, so quantizing the
// activation would cost as much as the op; it is quantized weight-only
// instead (symmetric weights, f32 activations), which reference.py models.
// REDEFINE: %{options} = mode=static calibration=%t/sym.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic granularity=per-tensor symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 granularity=per-group group-size=3
// RUN: %{check}
// RUN: compress-opt %s --compress-quantize=mode=dynamic | FileCheck %s
// CHECK-NOT: compress.dynamic_quantize
// CHECK:     compress.dequantize {{.*}} : tensor<3x3x5xi8> -> tensor<3x3x5xf32>
// CHECK-NOT: compress.dynamic_quantize
//
// With a static batch, 8-bit log2 codes (11 ops to decode) are decoded
// once, before all loops, into a buffer of every vector tile (one here);
// int8 codes (a conversion) are decoded in registers.
// REDEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// REDEFINE:   && compress-run %t/q.mlir -e dws %{inputs} --output %t/y.npy \
// REDEFINE:   && %python %S/reference.py %s dws --options '%{options}' %{inputs} %bf16dot \
// REDEFINE:        --output %t/y.npy %{flags}
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=8
// RUN: %{check}
// DEFINE: %{kernels} = --convert-compress-to-linalg --compress-fuse-dequant --compress-tile-and-vectorize=cpu=znver4
// RUN: compress-opt %s --compress-quantize='bits=8 scheme=log2' %{kernels} | FileCheck %s --check-prefix=LOG2
// LOG2-LABEL: func.func @dws
// LOG2:       tensor.empty() : tensor<1x3x3x16xf32>
// LOG2:       math.absi {{.*}} : vector<16xi32>
// LOG2:       scf.for {{.*}} -> (tensor<2x3x3x5xf32>)
// LOG2-NOT:   math.absi
// LOG2:       vector.fma
// RUN: %python %S/make_model.py %t/wide.mlir wide conv depthwise_nhwc_hwc 40 40 3 1 12 0.3
// RUN: %python %S/make_inputs.py %t wx=2x12x12x40:normal:1 winit=2x10x10x40:normal:0.5
// RUN: compress-opt %t/wide.mlir --compress-quantize='bits=8 scheme=log2' %{kernels} | FileCheck %s --check-prefix=WIDE
// WIDE:       tensor.empty() : tensor<2x3x3x32xf32>
// REDEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %t/wide.mlir --compress-quantize='%{options}' -o %t/q.mlir \
// REDEFINE:   && compress-run %t/q.mlir -e wide --input %t/wx.npy --input %t/winit.npy --output %t/y.npy \
// REDEFINE:   && %python %S/reference.py %t/wide.mlir wide --options '%{options}' --input %t/wx.npy --input %t/winit.npy \
// REDEFINE:        --output %t/y.npy
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2
// RUN: %{check}
// RUN: compress-opt %s --compress-quantize=bits=8 %{kernels} | FileCheck %s --check-prefix=INT8
// INT8-LABEL: func.func @dws
// INT8-NOT:   tensor.empty() : tensor<1x3x3x16xf32>
// INT8:       arith.sitofp {{.*}} : vector<16xi32> to vector<16xf32>
// INT8:       vector.fma

func.func @dw(%x: tensor<?x7x7x5xf32>, %init: tensor<?x3x3x5xf32>) -> tensor<?x3x3x5xf32> {
  %w = arith.constant dense<[[[0.3613, -0.7741, 0.02339, 0.0, 0.6774],
                              [-0.03159, 0.394, -0.03852, 0.0, 0.04664],
                              [-0.6212, 0.4963, -0.01046, 0.0, -1.04]],
                             [[-0.4859, 0.1596, -0.0293, 0.0, 0.5251],
                              [0.1782, -0.297, -0.008073, 0.75, 0.5959],
                              [-0.1975, -0.6258, 0.029, 0.0, 0.3664]],
                             [[0.1217, -0.5148, -0.02537, 0.0, -0.4131],
                              [0.1479, -0.3727, 0.01844, 0.0, 0.3923],
                              [0.5192, -0.1437, -0.002826, 0.0, 0.2364]]]> : tensor<3x3x5xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<?x7x7x5xf32>, tensor<3x3x5xf32>)
         outs(%init : tensor<?x3x3x5xf32>) -> tensor<?x3x3x5xf32>
  return %y : tensor<?x3x3x5xf32>
}

func.func @dws(%x: tensor<2x7x7x5xf32>, %init: tensor<2x3x3x5xf32>) -> tensor<2x3x3x5xf32> {
  %w = arith.constant dense<[[[0.3613, -0.7741, 0.02339, 0.0, 0.6774],
                              [-0.03159, 0.394, -0.03852, 0.0, 0.04664],
                              [-0.6212, 0.4963, -0.01046, 0.0, -1.04]],
                             [[-0.4859, 0.1596, -0.0293, 0.0, 0.5251],
                              [0.1782, -0.297, -0.008073, 0.75, 0.5959],
                              [-0.1975, -0.6258, 0.029, 0.0, 0.3664]],
                             [[0.1217, -0.5148, -0.02537, 0.0, -0.4131],
                              [0.1479, -0.3727, 0.01844, 0.0, 0.3923],
                              [0.5192, -0.1437, -0.002826, 0.0, 0.2364]]]> : tensor<3x3x5xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<2x7x7x5xf32>, tensor<3x3x5xf32>)
         outs(%init : tensor<2x3x3x5xf32>) -> tensor<2x3x3x5xf32>
  return %y : tensor<2x3x3x5xf32>
}
