// Executes the NHWC convolutions after --compress-quantize and checks each
// result against reference.py (see matmul.mlir):
//   @hwcf  linalg.conv_2d_nhwc_hwcf, strides [1, 2]: x ?x6x7x3, W 3x3x3x5
//          (output channel F = weight dimension 3), y ?x4x3x5;
//   @fhwc  linalg.conv_2d_nhwc_fhwc, dilations [2, 1]: x ?x7x6x3,
//          W 5x3x3x3 (output channel F = weight dimension 0), y ?x3x4x5.
// A channel's slice is its (kh, kw, c) block of 27 elements in row-major
// order, so group-size=9 makes one group per kernel row. Both weights have
// 135 elements (odd, for the int4 packing). Filter 4 of @hwcf is all <= 0
// (asymmetric zero point at qmax); @fhwc's magnitudes span 2.5 decades.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t \
// RUN:   x=2x6x7x3:normal:1 init=2x4x3x5:normal:0.5 \
// RUN:   xs=2x6x7x3:grid:-3:5:0.015625 xa=2x6x7x3:grid:-1.5:3.5:0.0078125 \
// RUN:   xd=1x6x7x3:grid:-1:2.984375:0.0078125 initd=1x4x3x5:normal:1 \
// RUN:   fx=1x7x6x3:normal:1 finit=1x3x4x5:normal:0.5 \
// RUN:   fxs=3x7x6x3:grid:-3:5:0.015625 finits=3x3x4x5:normal:0.5 \
// RUN:   fxd=2x7x6x3:grid:-2:3.96875:0.015625 finitd=2x3x4x5:normal:1
// RUN: echo '{"version": 2, "tensors": {"hwcf/0": {"ranges": {"minmax": [-2, 3.96875]}}, "fhwc/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"hwcf/0": {"ranges": {"minmax": [-1, 2.984375]}}, "fhwc/0": {"ranges": {"minmax": [-1, 2.984375]}}}}' > %t/asym.json
//
// DEFINE: %{fn} = hwcf
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e %{fn} %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s %{fn} --options '%{options}' %{inputs} %bf16dot \
// DEFINE:        --output %t/y.npy %{flags}
//
// @hwcf, weight-only.
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-tensor symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=9
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=9 symmetric=false
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
// @hwcf, static (scales 1/32 and 1/64; inputs exceed the ranges and hold
// ties) and dynamic activations.
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/sym.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xa.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xd.npy --input %t/initd.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false bits=4
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
//
// @fhwc.
// REDEFINE: %{fn} = fhwc
// REDEFINE: %{inputs} = --input %t/fx.npy --input %t/finit.npy
// REDEFINE: %{options} =
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=9 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2 granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{options} = float-type=bf16
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/fxs.npy --input %t/finits.npy
// REDEFINE: %{options} = mode=static calibration=%t/sym.json granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/fxd.npy --input %t/finitd.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}

func.func @hwcf(%x: tensor<?x6x7x3xf32>, %init: tensor<?x4x3x5xf32>) -> tensor<?x4x3x5xf32> {
  %w = arith.constant dense<[[[[0.1627, 0.3967, 0.2436, 0.3051, -0.0335],
                               [-0.2095, -0.2195, -0.1464, -0.3389, -0.1642],
                               [-0.02777, 0.07548, -0.1017, -0.5771, -0.02168]],
                              [[0.0676, 0.3253, 0.1734, -0.1931, -0.2171],
                               [0.6032, 0.227, 0.5494, 0.6388, -0.2454],
                               [0.1156, 0.1375, 0.1679, 0.1626, -0.06062]],
                              [[0.05224, -0.4507, -0.04962, -0.2243, -0.03783],
                               [-0.1403, 0.1856, 0.2457, 0.09261, -0.09485],
                               [0.02788, -0.1343, -0.04935, -0.1487, -0.1164]]],
                             [[[0.004234, 0.1744, -0.3986, 0.2663, -0.2288],
                               [-0.2203, -0.05923, -0.169, 0.08734, -0.1722],
                               [-0.3208, -0.2537, 0.3936, 0.01328, -0.3503]],
                              [[0.002513, -0.4668, 0.5369, -0.4573, -0.1436],
                               [0.1631, -0.435, 0.09008, 0.2992, -0.1403],
                               [0.0783, 0.2847, 0.04827, 0.1009, -0.03801]],
                              [[0.1895, -0.2824, 0.2375, -0.1516, -0.3272],
                               [0.1096, 0.5079, 0.2885, -0.1547, -0.2094],
                               [-0.1363, -0.03721, 0.02686, -0.6952, -0.05748]]],
                             [[[-0.3089, -0.2092, -0.4423, -0.455, -0.283],
                               [0.2477, 0.4998, -0.007562, 0.3275, -0.07919],
                               [-0.5736, 0.04497, 0.1337, -0.1286, -0.09067]],
                              [[0.1718, -0.259, -0.4431, -0.06638, -0.06332],
                               [-0.1058, 0.2962, 0.5177, -0.125, -0.2097],
                               [0.2823, 0.2139, 0.3142, -0.1168, -0.2219]],
                              [[0.6073, 0.2411, -0.186, 0.1823, -0.3787],
                               [0.1107, -0.169, 0.4629, -0.3749, -0.151],
                               [-0.004853, -0.3581, 0.3658, 0.1044, -0.35]]]]> : tensor<3x3x3x5xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>}
         ins(%x, %w : tensor<?x6x7x3xf32>, tensor<3x3x3x5xf32>)
         outs(%init : tensor<?x4x3x5xf32>) -> tensor<?x4x3x5xf32>
  return %y : tensor<?x4x3x5xf32>
}

func.func @fhwc(%x: tensor<?x7x6x3xf32>, %init: tensor<?x3x4x5xf32>) -> tensor<?x3x4x5xf32> {
  %w = arith.constant dense<[[[[-0.006344, -0.5581, -0.04213],
                               [0.0171, 0.006666, 0.07733],
                               [0.02515, 0.005261, -0.003048]],
                              [[-0.02406, 0.07261, 0.05014],
                               [-0.4499, 0.481, -0.5544],
                               [-0.2525, -0.03955, 0.05159]],
                              [[0.02491, 0.02523, -0.003214],
                               [0.2513, 0.01043, -0.002995],
                               [0.03709, 0.1577, 0.03113]]],
                             [[[-0.02058, -0.112, 0.00646],
                               [0.0027, 0.07659, -0.05361],
                               [0.3695, 0.02772, -0.2335]],
                              [[-0.002805, 0.00296, -0.07934],
                               [-0.009304, 0.003726, 0.005278],
                               [-0.02187, -0.01762, 0.06495]],
                              [[-0.4189, 0.02076, -0.007303],
                               [0.0705, -0.002561, 0.02318],
                               [0.01571, -0.02353, -0.003389]]],
                             [[[-0.06147, 0.09194, -0.1891],
                               [0.6262, -0.0195, 0.1106],
                               [0.03223, -0.008724, 0.423]],
                              [[0.1853, 0.5755, 0.2864],
                               [0.4975, 0.005287, 0.002769],
                               [0.007935, -0.02713, 0.1325]],
                              [[0.03157, -0.04858, 0.2021],
                               [0.003798, -0.1256, -0.003349],
                               [0.01059, -0.1617, -0.1291]]],
                             [[[0.02608, -0.01379, -0.2974],
                               [0.0123, 0.003028, 0.0105],
                               [-0.002858, -0.269, 0.005114]],
                              [[0.6887, 0.008621, 0.01473],
                               [0.07346, -0.01491, 0.02246],
                               [-0.004609, -0.02376, 0.002925]],
                              [[-0.009183, -0.4751, -0.01274],
                               [-0.01203, -0.1263, -0.4077],
                               [-0.01389, -0.02208, -0.1548]]],
                             [[[0.2418, -0.08661, -0.007089],
                               [0.00716, -0.1986, -0.148],
                               [0.4403, 0.2252, -0.02858]],
                              [[-0.005448, -0.4259, 0.1387],
                               [-0.06983, 0.1282, -0.02322],
                               [-0.01825, -0.06945, 0.04073]],
                              [[-0.1498, -0.5538, -0.3321],
                               [-0.02354, -0.02159, -0.525],
                               [0.02453, -0.2533, 0.004315]]]]> : tensor<5x3x3x3xf32>
  %y = linalg.conv_2d_nhwc_fhwc {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<?x7x6x3xf32>, tensor<5x3x3x3xf32>)
         outs(%init : tensor<?x3x4x5xf32>) -> tensor<?x3x4x5xf32>
  return %y : tensor<?x3x4x5xf32>
}
