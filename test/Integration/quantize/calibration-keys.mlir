// Static quantization reads the calibrated range of each op's activation
// under the key <function>/<ordinal>, the ordinal counting the contractions
// and convolutions of the function in program order. Here @two_layers
// chains two matmuls (the second one's activation is the first one's
// result, computed by the integer kernel) and @one_layer has one: the keys
// are two_layers/0, two_layers/1 and one_layer/0, each with its own range
// (and the ranges of other methods differ again), so reading the wrong
// entry changes the numbers that reference.py checks (see matmul.mlir).
// Dynamic quantization of the same chain computes the second range from the
// first layer's result at run time.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=5x6:normal:1 init=5x4:normal:0.5 init3=5x3:normal:0.5
// RUN: echo '{"version": 2, "tensors": { \
// RUN:   "two_layers/0": {"ranges": {"minmax": [-1.5, 2], "entropy": [-1, 1]}}, \
// RUN:   "two_layers/1": {"ranges": {"minmax": [-2, 2.5], "entropy": [-3, 0.5]}}, \
// RUN:   "one_layer/0": {"ranges": {"minmax": [-0.5, 1.25], "entropy": [-2, 2]}}}}' > %t/cal.json
//
// DEFINE: %{fn} = two_layers
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} = --require-clamped
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e %{fn} %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s %{fn} --options '%{options}' %{inputs} \
// DEFINE:        --output %t/y.npy %{flags}
//
// REDEFINE: %{options} = mode=static calibration=%t/cal.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json calibration-method=entropy
// RUN: %{check}
// REDEFINE: %{fn} = one_layer
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init3.npy
// REDEFINE: %{options} = mode=static calibration=%t/cal.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json calibration-method=entropy symmetric=false
// RUN: %{check}
//
// The dynamic chain (nothing is clamped).
// REDEFINE: %{fn} = two_layers
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{flags} =
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}

func.func @two_layers(%x: tensor<?x6xf32>, %init: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty(%n) : tensor<?x8xf32>
  %h0 = linalg.fill ins(%zero : f32) outs(%empty : tensor<?x8xf32>) -> tensor<?x8xf32>
  %w1 = arith.constant dense<[[0.1794, 0.7553, -0.8932, 0.8433, -0.02366, -0.4, -0.4015, -0.5414],
                              [-0.1118, 0.4169, 0.292, 0.3191, -0.8474, -0.7855, 0.7769, 0.4844],
                              [1.092, 0.6049, -0.5122, 0.6426, 0.3142, 0.1074, -0.4099, 0.00139],
                              [-0.0735, 0.4463, 0.06225, 0.7924, -0.3872, 0.2356, 0.2494, -0.4322],
                              [-0.5906, 0.5068, 0.2587, -0.08125, 0.1972, -0.3377, 0.1192, -0.3026],
                              [0.09439, 0.493, -0.1698, 0.4249, -0.5171, -0.1442, -0.6824, -0.05029]]> : tensor<6x8xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<?x6xf32>, tensor<6x8xf32>)
                     outs(%h0 : tensor<?x8xf32>) -> tensor<?x8xf32>
  %w2 = arith.constant dense<[[0.03933, -0.09863, -0.1338, 0.6701],
                              [0.7119, -0.6078, 0.5871, -0.8615],
                              [-0.3672, -0.08672, 0.05553, -0.5237],
                              [-0.3612, 0.03833, -0.3467, -0.3206],
                              [0.3331, 0.4659, -0.03003, 0.009099],
                              [-0.009799, -0.2272, -0.2557, -0.5189],
                              [0.3242, -0.04208, -0.06872, 0.1003],
                              [0.2653, 0.7105, -0.1368, -0.2006]]> : tensor<8x4xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<?x8xf32>, tensor<8x4xf32>)
                     outs(%init : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

func.func @one_layer(%x: tensor<?x6xf32>, %init: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[0.1003, -0.4228, 0.6362],
                             [0.4631, 0.347, -0.05981],
                             [0.3698, 0.5251, 0.25],
                             [-0.14, -0.8425, 0.4735],
                             [-0.1766, -0.4216, 0.4453],
                             [0.1691, -0.7094, -0.04952]]> : tensor<6x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x6xf32>, tensor<6x3xf32>)
                     outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
