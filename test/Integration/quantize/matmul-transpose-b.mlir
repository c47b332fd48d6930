// Executes a linalg.matmul whose weight is stored transposed, [N, K] = [5, 21]
// (the layout of a PyTorch Linear weight: C[m, n] += A[m, k] * B[n, k], given
// by indexing_maps), after --compress-quantize, and checks each result
// against reference.py (see matmul.mlir).
//
// The output channel is N, weight dimension 0 here; a channel's slice is its
// row of 21 elements along K, so group-size=7 makes three groups per row.
// Row 1 is about 20 times smaller than the others, and the first group of
// row 3 about 50 times smaller than the rest of the row (its own per-group
// scale). W has 105 elements (odd, for the int4 packing).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=4x21:normal:1 init=4x5:normal:0.5 \
// RUN:   xs=6x21:grid:-3:5:0.015625 xa=6x21:grid:-1.5:3.5:0.0078125 init6=6x5:normal:0.5
// RUN: echo '{"version": 2, "tensors": {"mm/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"mm/0": {"ranges": {"minmax": [-1, 2.984375]}}}}' > %t/asym.json
//
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e mm %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s mm --options '%{options}' %{inputs} \
// DEFINE:        --output %t/y.npy %{flags}
//
// Weight-only.
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=7
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=7 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = float-type=fp16
// RUN: %{check}
//
// Static and dynamic activations.
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init6.npy
// REDEFINE: %{options} = mode=static calibration=%t/sym.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4 granularity=per-group group-size=7
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xa.npy --input %t/init6.npy
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 granularity=per-group group-size=7
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic granularity=per-group group-size=3
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}

func.func @mm(%x: tensor<?x21xf32>, %init: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %w = arith.constant dense<[[0.1593, -0.2251, 0.2355, 0.01685, -0.6284, 0.4007, -0.03915, 0.2479, 0.7347, 0.1074, -0.4298, -0.2724, 0.4067, -0.5827, 0.1054, 0.1501, -0.4601, 0.06771, 0.2225, -0.3091, -0.1922],
                             [0.01088, -0.02598, -0.0176, 0.01908, 0.001712, -0.02832, 0.0002275, 0.03882, -0.03026, 0.01632, 0.01517, -0.003536, 0.01211, -0.01348, 0.03089, 0.0344, -0.0176, -0.004273, 0.002638, -0.01251, 0.007054],
                             [-0.415, 0.231, -0.1203, -0.01952, 0.1884, 0.3705, -0.3935, 0.3157, 0.3516, -0.04607, 0.6151, -0.3058, -0.2182, 0.1528, -0.2721, 0.5571, 0.07921, 0.6878, -0.4217, -0.3798, 0.5343],
                             [-0.008385, 0.008605, -0.006458, 0.00212, 0.009326, -0.0004739, -0.009173, -0.1948, 0.4554, 0.07785, 0.2835, 0.03521, 0.1158, -0.0748, -0.405, 0.2188, 0.07453, -0.7913, 0.003843, 0.3903, 0.7744],
                             [-0.5406, 0.04668, 0.2245, 0.3046, -0.2776, 0.2059, -0.1655, -0.01669, -0.2118, 0.1246, -0.1542, 0.1224, -0.03245, 0.3679, 0.6744, -0.02996, -0.2921, -0.09069, -0.2121, -0.6623, 0.01125]]> : tensor<5x21xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<?x21xf32>, tensor<5x21xf32>)
         outs(%init : tensor<?x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}
