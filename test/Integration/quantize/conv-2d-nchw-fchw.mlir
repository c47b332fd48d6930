// Executes linalg.conv_2d_nchw_fchw with stride 2 (x: ?x3x9x9, run with 2
// and 1 images; W: 5x3x3x3; y: ?x5x4x4) after --compress-quantize, and
// checks each result against reference.py (see matmul.mlir).
//
// The output channel is F, weight dimension 0; a channel's slice is its
// (c, kh, kw) block of 27 elements, so group-size=9 makes one group per input
// channel. Filter 1 is all >= 0 (asymmetric zero point at qmin), input
// channel 1 of filter 3 is about 100 times smaller than the rest (its own
// per-group scale), and W has 135 elements (odd, for the int4 packing).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=2x3x9x9:normal:1 init=2x5x4x4:normal:0.5 \
// RUN:   xs=2x3x9x9:grid:-3:5:0.015625 xa=2x3x9x9:grid:-1.5:3.5:0.0078125 \
// RUN:   xds=1x3x9x9:grid:-2:3.96875:0.015625 xda=1x3x9x9:grid:-1:2.984375:0.0078125 \
// RUN:   init1=1x5x4x4:normal:1
// RUN: echo '{"version": 2, "tensors": {"conv/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"conv/0": {"ranges": {"minmax": [-1, 2.984375]}}}}' > %t/asym.json
//
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e conv %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s conv --options '%{options}' %{inputs} %bf16dot \
// DEFINE:        --output %t/y.npy %{flags}
//
// Weight-only.
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
// Static activations: calibrated scales 1/32 (symmetric) and 1/64 with zero
// point -64 (asymmetric); the inputs exceed the ranges and hold ties.
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/sym.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xa.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false
// RUN: %{check}
//
// Dynamic activations: run-time scales 1/32 and 1/64 (exact, with ties),
// then normal inputs.
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xds.npy --input %t/init1.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xda.npy --input %t/init1.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic granularity=per-tensor
// RUN: %{check}

func.func @conv(%x: tensor<?x3x9x9xf32>, %init: tensor<?x5x4x4xf32>) -> tensor<?x5x4x4xf32> {
  %w = arith.constant dense<[[[[0.01026, 0.4079, 0.3674],
                               [-0.1531, -0.08939, -0.1582],
                               [0.1709, -0.01682, 0.2241]],
                              [[-0.5542, 0.47, -0.02893],
                               [0.2041, -0.04097, -0.1137],
                               [0.1389, 0.2474, -0.06076]],
                              [[-0.04584, 0.2057, -0.2611],
                               [-0.4543, 0.1185, -0.2012],
                               [-0.5761, -0.2442, -0.1403]]],
                             [[[0.358, 0.4477, 0.01099],
                               [0.2692, 0.06994, 0.2231],
                               [0.1155, 0.2152, 0.09]],
                              [[0.1634, 0.3129, 0.06209],
                               [0.2441, 0.1043, 0.07426],
                               [0.3296, 0.3854, 0.1985]],
                              [[0.2515, 0.5202, 0.03793],
                               [0.1583, 0.2216, 0.4157],
                               [0.2466, 0.1882, 0.1205]]],
                             [[[0.2867, -0.3996, 0.1842],
                               [0.1808, 0.0, 0.1041],
                               [-0.07513, 0.2345, -0.1317]],
                              [[-0.005472, 0.1029, -0.2629],
                               [0.1796, -0.03149, 0.1477],
                               [-0.1566, 0.3259, 0.1816]],
                              [[-0.05341, 0.1896, 0.3779],
                               [0.5374, -0.4721, 0.2649],
                               [0.1395, -0.02816, -0.302]]],
                             [[[0.3772, -0.3785, 0.1701],
                               [0.3906, -0.4799, -0.09076],
                               [-0.3928, 0.07322, 0.4543]],
                              [[0.006071, -0.005334, -0.001725],
                               [0.002111, 0.004738, 0.001264],
                               [-0.002238, 0.0008914, -0.00004986]],
                              [[-0.06112, -0.2203, 0.1162],
                               [0.09236, -0.0279, -0.06651],
                               [-0.3855, -0.1459, 0.3619]]],
                             [[[-0.05717, -0.4319, 0.4003],
                               [0.1591, 0.6324, 0.01875],
                               [-0.1384, -0.4343, 0.3972]],
                              [[0.7709, -0.2463, -0.1941],
                               [0.1789, -0.2491, -0.08117],
                               [-0.105, 0.05759, 0.3284]],
                              [[0.00662, 0.2757, -0.126],
                               [0.09834, -0.6415, -0.435],
                               [0.2388, -0.177, 0.174]]]]> : tensor<5x3x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<?x3x9x9xf32>, tensor<5x3x3x3xf32>)
         outs(%init : tensor<?x5x4x4xf32>) -> tensor<?x5x4x4xf32>
  return %y : tensor<?x5x4x4xf32>
}
