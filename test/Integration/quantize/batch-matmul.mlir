// Executes linalg.batch_matmul with a constant [B, K, N] = [3, 5, 7] weight
// (x: tensor<3x?x5xf32>, a dynamic row count) after --compress-quantize, and
// checks each result against reference.py (see matmul.mlir).
//
// B and N both index the output; the output channel of the quantization is
// N, the last one, so a per-channel scale covers a column of all three
// batches: the batches are scaled by 0.25, 1 and 2 so that batch 2 sets the
// scales. Groups run over the 15 elements of a channel's (b, k) slice in
// row-major order: group-size=5 makes one group per batch. W has 105
// elements (odd, for the int4 packing) and one exact zero.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=3x4x5:normal:1 init=3x4x7:normal:0.5 \
// RUN:   xs=3x4x5:grid:-3:5:0.015625 xa=3x4x5:grid:-1.5:3.5:0.0078125 \
// RUN:   xds=3x2x5:grid:-2:3.96875:0.015625 xda=3x2x5:grid:-1:2.984375:0.0078125 \
// RUN:   init2=3x2x7:normal:1
// RUN: echo '{"version": 2, "tensors": {"bmm/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"bmm/0": {"ranges": {"minmax": [-1, 2.984375]}}}}' > %t/asym.json
//
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e bmm %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s bmm --options '%{options}' %{inputs} %bf16dot \
// DEFINE:        --output %t/y.npy %{flags}
//
// Weight-only.
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-tensor symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=5 symmetric=false
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
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xa.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false
// RUN: %{check}
//
// Dynamic activations: run-time scales 1/32 and 1/64 (exact, with ties),
// then normal inputs.
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xds.npy --input %t/init2.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic granularity=per-group group-size=1
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xda.npy --input %t/init2.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false granularity=per-tensor
// RUN: %{check}

func.func @bmm(%x: tensor<3x?x5xf32>, %init: tensor<3x?x7xf32>) -> tensor<3x?x7xf32> {
  %w = arith.constant dense<[[[0.02889, -0.1383, -0.06873, 0.00289, -0.00445, 0.1207, 0.0008149],
                              [-0.08933, 0.07773, 0.01169, 0.004524, 0.003926, 0.003429, 0.01025],
                              [0.01443, -0.01913, -0.2436, 0.07579, -0.0284, -0.2346, 0.00273],
                              [0.001988, 0.02687, 0.001018, 0.0009708, -0.01532, 0.01157, -0.1552],
                              [0.02958, 0.01525, 0.01381, -0.003286, 0.0008461, 0.002393, -0.04246]],
                             [[0.01003, 0.02654, 0.003231, -0.3759, 0.007694, -0.01476, -0.5021],
                              [-0.05949, -0.4148, 0.1257, -0.2262, -0.005355, -0.07126, -0.05881],
                              [-0.4768, -0.0253, 0.09896, 0.0, 0.02945, 0.0203, -0.007508],
                              [-0.3474, -0.02809, -0.8849, 0.0944, -0.103, -0.1244, -0.1553],
                              [0.007533, -0.03988, 0.01256, 0.03208, 0.005518, 0.8309, 0.0109]],
                             [[0.3023, 0.03565, 0.9688, 0.2861, 0.01349, -0.8198, 1.457],
                              [1.15, -0.168, -0.01461, 0.01915, 1.321, -0.152, -0.01788],
                              [-1.026, -0.2541, -0.168, 0.05518, 0.06736, 0.0251, 0.007874],
                              [-0.9808, 0.0934, 0.148, 0.04041, 0.4779, -0.007312, 0.05389],
                              [-0.007532, 0.01283, 1.655, 0.2789, -0.0744, -0.1289, 0.9617]]]> : tensor<3x5x7xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<3x?x5xf32>, tensor<3x5x7xf32>)
                           outs(%init : tensor<3x?x7xf32>) -> tensor<3x?x7xf32>
  return %y : tensor<3x?x7xf32>
}
