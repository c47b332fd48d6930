// The integer convolution kernels of mode=static|dynamic (VNNI: k-quads
// along the input channels), against reference.py (see matmul.mlir), on
// models written by make_model.py: @nchw, conv_2d_nchw_fchw with 8 input
// channels (2 quads) and 20 filters (a 16-column tile and a masked one),
// stride 1; @nhwc, conv_2d_nhwc_hwcf with 6 input channels (a quad and a
// masked one) and 18 filters, stride 2; @rows, @nchw's shape over a 34x34
// image: 32 output columns (4 row blocks), where bits=4 decodes each tile's
// codes to bytes once per output row instead of in registers. A
// convolution over one input
// channel is quantized weight-only in these modes (compress-quantize.mlir),
// and so are depthwise ones (depthwise-conv-2d-nhwc-hwc.mlir).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_model.py %t/nchw.mlir nchw conv nchw_fchw 8 20 3 1 9 0.2
// RUN: %python %S/make_model.py %t/nhwc.mlir nhwc conv nhwc_hwcf 6 18 3 2 11 0.2
// RUN: %python %S/make_model.py %t/gray.mlir gray conv nchw_fchw 1 8 3 1 10 0.3
// RUN: %python %S/make_model.py %t/rows.mlir rows conv nchw_fchw 8 20 3 1 34 0.2
// RUN: %python %S/make_inputs.py %t x=2x8x9x9:normal:1 init=2x20x7x7:normal:0.5 \
// RUN:   xs=2x8x9x9:grid:-3:5:0.015625 xd=1x8x9x9:grid:-1:2.984375:0.0078125 \
// RUN:   init1=1x20x7x7:normal:0.5 \
// RUN:   hx=2x11x11x6:normal:1 hinit=2x5x5x18:normal:0.5 hxs=2x11x11x6:grid:-3:5:0.0078125 \
// RUN:   gx=3x1x10x10:normal:1 ginit=3x8x8x8:normal:0.5 \
// RUN:   rx=2x8x34x34:normal:1 rinit=2x20x32x32:normal:0.5
// RUN: echo '{"version": 2, "tensors": {"nchw/0": {"ranges": {"minmax": [-2, 3.96875]}}, \
// RUN:   "nhwc/0": {"ranges": {"minmax": [-1, 2.984375]}}, "gray/0": {"ranges": {"minmax": [-2, 2]}}}}' > %t/cal.json
//
// DEFINE: %{func} = nchw
// DEFINE: %{options} =
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %t/%{func}.mlir --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e %{func} %{inputs} --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %t/%{func}.mlir %{func} --options '%{options}' %{inputs} \
// DEFINE:        --output %t/y.npy %{flags}
//
// The kernels are integer ones (the activation is quantized):
// RUN: compress-opt %t/nchw.mlir --compress-quantize=mode=dynamic | FileCheck %s
// RUN: compress-opt %t/nhwc.mlir --compress-quantize='mode=static calibration=%t/cal.json bits=4' | FileCheck %s
// CHECK: compress.{{(dynamic_)?}}quantize
//
// Static: the inputs exceed the calibrated range [-2, 3.96875] (scale 1/32)
// and hold ties.
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/cal.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json symmetric=false granularity=per-tensor
// RUN: %{check}
// Dynamic: a run-time scale of 1/64 with zero point -64 (ties), then
// normal inputs.
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xd.npy --input %t/init1.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic symmetric=false bits=4
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 granularity=per-tensor
// RUN: %{check}
//
// @nhwc: calibrated range [-1, 2.984375] (scale 1/64, zero point -64),
// inputs on a grid of 1/128.
// REDEFINE: %{func} = nhwc
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/hxs.npy --input %t/hinit.npy
// REDEFINE: %{options} = mode=static calibration=%t/cal.json symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json symmetric=false bits=4
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/hx.npy --input %t/hinit.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 symmetric=false
// RUN: %{check}
//
// @gray: one input channel, quantized weight-only in both modes (no
// activation quantization in the IR; reference.py models it).
// RUN: compress-opt %t/gray.mlir --compress-quantize=mode=dynamic | FileCheck %s --check-prefix=GRAY
// GRAY-NOT: quantize
// GRAY:     compress.dequantize {{.*}} : tensor<8x1x3x3xi8> -> tensor<8x1x3x3xf32>
// GRAY-NOT: quantize
// REDEFINE: %{func} = gray
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/gx.npy --input %t/ginit.npy
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json bits=4
// RUN: %{check}
//
// @rows: bits=4 with the codes decoded per output row (the kernel's IR is
// checked by int4-int8-matmul.mlir).
// REDEFINE: %{func} = rows
// REDEFINE: %{inputs} = --input %t/rx.npy --input %t/rinit.npy
// REDEFINE: %{options} = mode=dynamic bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 symmetric=false
// RUN: %{check}
