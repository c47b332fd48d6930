// Executes linalg.matmul with a dynamic batch (x: tensor<?x15xf32>) after
// --compress-quantize in every mode, and checks each result against
// reference.py, which recomputes it from the weights below, the options and
// the inputs with numpy, independently of the compiler.
//
// W (15x7) has 105 elements, an odd number, so the packed int4 constant ends
// with an unused half byte (and the last weight, -0.1182, is not 0, so
// reading the wrong nibble shows). Its columns (the output channels):
//   0, 3  reach |w| = 127/64: 8-bit symmetric scales (per channel and per
//         tensor) are 1/64, and the planted values 2.5/64, -3.5/64, 32.5/64
//         (column 0) and 1.5/64, -6.5/64 (column 3) are rounding ties;
//   1     magnitudes over three decades (log2 exponents beyond 4-bit reach);
//   2     small values (scales near 2e-4);
//   4, 6  all >= 0 and all <= 0: asymmetric zero points -128 and 127 (8-bit),
//         -8 and 7 (4-bit);
//   5     all zero: scale 1, codes 0.
// The per-group runs use groups of 5 (3 per column).
//
// Static runs read a calibration file written here: the activations are on
// a grid of 1/64 (1/128) and the calibrated scales are 1/32 (1/64), so many
// activations are exact rounding ties, and the inputs reach beyond the
// calibrated ranges, so codes are clamped at both ends. Dynamic runs use the
// same kind of inputs (the run-time scale is then exact too) and plain
// normal inputs.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_inputs.py %t x=5x15:normal:1 init=5x7:normal:0.5 \
// RUN:   x1=1x15:normal:2 init1=1x7:normal:0.5 x0=0x15:normal:1 init0=0x7:normal:1 \
// RUN:   xs=6x15:grid:-3:5:0.015625 xa=6x15:grid:-1.5:3.5:0.0078125 init6=6x7:normal:0.5 \
// RUN:   xds=4x15:grid:-2:3.96875:0.015625 xda=4x15:grid:-1:2.984375:0.0078125 init4=4x7:normal:1 \
// RUN:   xpos=4x15:grid:0.5:3.984375:0.0078125 xneg=4x15:grid:-3.984375:-0.5:0.0078125 xzero=4x15:grid:0:0:1
//
// Calibrated ranges: symmetric [-2, 3.96875] -> scale 1/32; asymmetric
// [-1, 2.984375] -> scale 1/64, zero point -64. The percentile range of
// sym.json is narrower ([-1, 1.984375] -> 1/64) to show that
// calibration-method picks it; those of asym.json lie on one side of 0
// ([0.5, 3.984375] and [-3.984375, -0.5], extended to 0: scale 1/64, zero
// points -128 and 127).
// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [-2, 3.96875], "percentile": [-1, 1.984375]}}}}' > %t/sym.json
// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [-1, 2.984375], \
// RUN:   "percentile": [0.5, 3.984375], "entropy": [-3.984375, -0.5]}}}}' > %t/asym.json
//
// %{check} quantizes this file with %{options}, runs @matmul on %{inputs}
// and has reference.py recompute the result: it exits non-zero, listing the
// worst elements, if any value is off by more than 1e-5 * max|y| + 1e-6
// (weight-only kernels, which accumulate in f32 in their own order) or by
// more than the f32 rounding of the epilogue (integer kernels, otherwise
// exact), or if the float result would pass as well. %{flags} also require
// rounding ties or clamped activation codes among the inputs. %bf16dot
// tells it whether the host has AVX512_BF16, where float-type=bf16 kernels
// round their activations to bf16 (vdpbf16ps).
//
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %s --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e matmul %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %s matmul --options '%{options}' %{inputs} %bf16dot \
// DEFINE:        --output %t/y.npy %{flags}
//
// Weight-only, 8 bits.
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = bits=8 granularity=per-group group-size=5 symmetric=false
// RUN: %{check}
//
// Weight-only, 4 bits (packed two per byte).
// REDEFINE: %{options} = bits=4 granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-tensor symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-channel symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=5 symmetric=false
// RUN: %{check}
//
// Weight-only, log2 codes.
// REDEFINE: %{options} = bits=4 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2 granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2 granularity=per-group group-size=5
// RUN: %{check}
//
// Half-precision weights.
// REDEFINE: %{options} = float-type=fp16
// RUN: %{check}
// REDEFINE: %{options} = float-type=bf16
// RUN: %{check}
// The vdpbf16ps kernel with rounded activations on any AVX-512 CPU (each
// dot expanded into vector ops with the instruction's semantics):
// RUN: %if cpu-avx512 %{ compress-opt %s --compress-quantize=float-type=bf16 --convert-compress-to-linalg \
// RUN:   --compress-fuse-dequant --compress-tile-and-vectorize=emulate-bf16-dot -o %t/emulated.mlir %}
// RUN: %if cpu-avx512 %{ compress-run %t/emulated.mlir -e matmul --input %t/x.npy --input %t/init.npy --output %t/y.npy %}
// RUN: %if cpu-avx512 %{ %python %S/reference.py %s matmul --options float-type=bf16 --input %t/x.npy \
// RUN:   --input %t/init.npy --output %t/y.npy --bf16-dot %}
// With bf16-activations=false the activations stay f32 on every CPU:
// RUN: compress-run %t/q.mlir -e matmul --input %t/x.npy --input %t/init.npy --output %t/y.npy \
// RUN:   --compress-to-llvm-options=bf16-activations=false
// RUN: %python %S/reference.py %s matmul --options float-type=bf16 --input %t/x.npy --input %t/init.npy --output %t/y.npy
//
// Other batch sizes: 1 and 0 rows.
// REDEFINE: %{inputs} = --input %t/x1.npy --input %t/init1.npy
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=5 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false granularity=per-group group-size=3
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/x0.npy --input %t/init0.npy
// RUN: %{check}
//
// Static activations (i8 codes, integer kernel).
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init6.npy
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{options} = mode=static calibration=%t/sym.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json bits=4 granularity=per-group group-size=5
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/sym.json granularity=per-tensor
// RUN: %{check}
// The percentile range gives a scale of 1/64: no ties on the 1/64 grid.
// REDEFINE: %{flags} = --require-clamped
// REDEFINE: %{options} = mode=static calibration=%t/sym.json calibration-method=percentile
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xa.npy --input %t/init6.npy
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false calibration-method=percentile
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/asym.json symmetric=false calibration-method=entropy
// RUN: %{check}
//
// Dynamic activations: exact grids (ties), then normal inputs.
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xds.npy --input %t/init4.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic granularity=per-tensor
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xda.npy --input %t/init4.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// All activations > 0 or < 0 (the range extended to 0: zero points -128 and
// 127), then all zero (scale 1; the result is init).
// REDEFINE: %{inputs} = --input %t/xpos.npy --input %t/init4.npy
// RUN: %{check}
// REDEFINE: %{inputs} = --input %t/xneg.npy --input %t/init4.npy
// RUN: %{check}
// REDEFINE: %{flags} = --same-as-float
// REDEFINE: %{inputs} = --input %t/xzero.npy --input %t/init4.npy
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false granularity=per-tensor
// RUN: %{check}

func.func @matmul(%x: tensor<?x15xf32>, %init: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %w = arith.constant dense<[[1.984375, -1.065, 0.00008121, 1.052, 0.01293, 0.0, -0.02793],
                             [0.02533, -0.06681, -0.00003629, -0.2733, 0.06173, 0.0, -0.01463],
                             [0.01218, -0.0344, 0.00007573, -1.984375, 0.006116, 0.0, -0.009184],
                             [0.0390625, -0.04282, -0.02626, -1.151, 0.2241, 0.0, -0.06306],
                             [0.00455, 0.0, -0.00106, 0.00334, 0.1113, 0.0, -0.3207],
                             [0.8472, 0.001972, -0.001156, 0.0234375, 0.002307, 0.0, -0.1259],
                             [-0.09014, -0.009044, -0.009926, -0.05065, 0.05114, 0.0, -0.2724],
                             [-0.0546875, 0.1682, -0.006893, 0.005636, 0.383, 0.0, -0.005624],
                             [0.5518, 0.5754, -0.01279, 0.03907, 0.009959, 0.0, -0.001575],
                             [0.2167, -0.4817, 0.0002103, -0.1015625, 0.1242, 0.0, -0.3902],
                             [0.004243, -0.04195, -0.0145, -0.02781, 0.08802, 0.0, -0.001776],
                             [0.5078125, 0.4535, 0.0136, -0.1436, 0.00818, 0.0, -0.3031],
                             [0.4676, 0.002313, 0.008986, 0.004673, 0.02002, 0.0, -0.01338],
                             [0.00515, -0.02317, -0.00003123, 0.009196, 0.02752, 0.0, -0.003118],
                             [0.02077, -0.2249, 0.002746, 0.0295, 0.5999, 0.0, -0.1182]]> : tensor<15x7xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x15xf32>, tensor<15x7xf32>)
                     outs(%init : tensor<?x7xf32>) -> tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}
