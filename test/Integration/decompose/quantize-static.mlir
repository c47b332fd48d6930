// Decompose, then quantize with static int8 (and int4) activations: the
// factors are ordinary matmuls and convolutions with constant weights, so
// after a calibration of the factored model (compress-instrument, one run
// of compress-run --calibration-out) compress-quantize gives each factor
// an integer kernel, its activation quantized with its own calibrated
// range (keys <function>/<ordinal> count the factors). The compiled
// results are checked by the independent numpy reference of
// compress-quantize (../quantize/reference.py), which evaluates the
// factored model's function op by op:
//  - @mm: a 48 x 40 matmul as rank-8 SVD factors (48 x 8, then 8 x 40);
//  - @conv: a 3x3 NHWC convolution (16 -> 24 channels on 10 x 10) as
//    Tucker-2 factors at ranks 6 and 6 (1x1, 3x3, 1x1).
// CP's depthwise factors are quantized weight-only in these modes (the
// pass's contract): its 1x1 factors get integer kernels.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../quantize/make_model.py %t/mm.mlir mm 48 40 0.2
// RUN: %python %S/../quantize/make_model.py %t/conv.mlir conv conv nhwc_hwcf 16 24 3 1 10 0.2
// RUN: %python %S/../quantize/make_inputs.py %t x=6x48:normal:1 init=6x40:normal:0.5 \
// RUN:   cx=2x10x10x16:normal:1 cinit=2x8x8x24:normal:0.5
// RUN: compress-opt %t/mm.mlir --compress-cp-decompose="rank=8 only-faster=false" \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/mm8.mlir
// RUN: compress-opt %t/conv.mlir --compress-cp-decompose="method=tucker2 rank=6 only-faster=false" \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/conv6.mlir
// RUN: compress-opt %t/conv.mlir --compress-cp-decompose="method=cp rank=12 only-faster=false" -o %t/cp.mlir
//
// Calibrate each factored model on its inputs.
// RUN: compress-opt %t/mm8.mlir --compress-instrument -o %t/mm8.inst.mlir
// RUN: compress-run %t/mm8.inst.mlir -e mm --input %t/x.npy --input %t/init.npy --calibration-out %t/mm8.json --output %t/o.npy
// RUN: compress-opt %t/conv6.mlir --compress-instrument -o %t/conv6.inst.mlir
// RUN: compress-run %t/conv6.inst.mlir -e conv --input %t/cx.npy --input %t/cinit.npy --calibration-out %t/conv6.json --output %t/o.npy
// RUN: compress-opt %t/cp.mlir --compress-instrument -o %t/cp.inst.mlir
// RUN: compress-run %t/cp.inst.mlir -e conv --input %t/cx.npy --input %t/cinit.npy --calibration-out %t/cp.json --output %t/o.npy
//
// The integer kernels: both SVD factors take i8 activations and i8
// weights into i32; the second factor's activation is the first one's
// result, quantized with its own range.
// RUN: compress-opt %t/mm8.mlir --compress-quantize="mode=static calibration=%t/mm8.json" | FileCheck %s --check-prefix=MM
// MM:      compress.quantize %arg0 : tensor<?x48xf32> -> tensor<?x48xi8>
// MM:      ins(%{{.*}}, %{{.*}} : tensor<?x48xi8>, tensor<48x8xi8>) outs(%{{.*}} : tensor<?x8xi32>)
// MM:      compress.quantize %{{.*}} : tensor<?x8xf32> -> tensor<?x8xi8>
// MM:      ins(%{{.*}}, %{{.*}} : tensor<?x8xi8>, tensor<8x40xi8>) outs(%{{.*}} : tensor<?x40xi32>)
// RUN: compress-opt %t/conv6.mlir --compress-quantize="mode=static calibration=%t/conv6.json" | FileCheck %s --check-prefix=TUCKER
// TUCKER-COUNT-3: compress.quantize
// TUCKER-NOT:  compress.dequantize
// RUN: compress-opt %t/cp.mlir --compress-quantize="mode=static calibration=%t/cp.json" | FileCheck %s --check-prefix=CP
// CP:      compress.quantize %arg0 : tensor<?x10x10x16xf32> -> tensor<?x10x10x16xi8>
// CP:      compress.dequantize %{{.*}} : tensor<3x1x12xi8> -> tensor<3x1x12xf32>
// CP:      linalg.depthwise_conv_2d_nhwc_hwc
// CP:      compress.dequantize %{{.*}} : tensor<1x3x12xi8> -> tensor<1x3x12xf32>
// CP:      linalg.depthwise_conv_2d_nhwc_hwc
// CP:      compress.quantize %{{.*}} : tensor<?x8x8x12xf32> -> tensor<?x8x8x12xi8>
//
// DEFINE: %{model} = mm8
// DEFINE: %{fn} = mm
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %t/%{model}.mlir --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e %{fn} %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/../quantize/reference.py %t/%{model}.mlir %{fn} --options '%{options}' %{inputs} \
// DEFINE:        --output %t/y.npy
//
// REDEFINE: %{options} = mode=static calibration=%t/mm8.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/mm8.json symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/mm8.json bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{model} = conv6
// REDEFINE: %{fn} = conv
// REDEFINE: %{inputs} = --input %t/cx.npy --input %t/cinit.npy
// REDEFINE: %{options} = mode=static calibration=%t/conv6.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/conv6.json symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/conv6.json bits=4
// RUN: %{check}
//
// The quantized CP model runs and stays close to the float factors (its
// depthwise results are weight-only, which reference.py does not chain).
// RUN: compress-opt %t/cp.mlir --compress-quantize="mode=static calibration=%t/cp.json" -o %t/cpq.mlir
// RUN: compress-run %t/cp.mlir -e conv --input %t/cx.npy --input %t/cinit.npy --output %t/cpf.npy
// RUN: compress-run %t/cpq.mlir -e conv --input %t/cx.npy --input %t/cinit.npy --output %t/cpy.npy
// RUN: %python -c "import numpy as n; a = n.load('%t/cpf.npy'); b = n.load('%t/cpy.npy'); \
// RUN:   e = n.linalg.norm(a - b) / n.linalg.norm(a); print('relative error %%.4f' %% e); assert 0 < e < 0.05, e"
