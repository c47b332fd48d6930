// Options and calibration files that --compress-quantize rejects: each is an
// error naming the problem (and the op, when one op is at fault), and
// compress-opt exits non-zero. The ops are a conv_2d_nchw_fchw (reduction
// size C * KH * KW = 36) and a depthwise_conv_2d_nhwc_hwc (reduction size
// KH * KW = 9).
//
// RUN: rm -rf %t && mkdir -p %t
//
// The group size must divide every quantized weight's reduction size: 9
// divides both, 36 only the convolution's, 8 neither (the first op is
// reported), and the default 32 neither.
// RUN: compress-opt %s --compress-quantize='granularity=per-group group-size=9' | FileCheck %s --check-prefix=GROUP9
// GROUP9-COUNT-2: #compress.quant<i8, scales = [{{.*}}], zero_points = [{{.*}}], axis = {{[02]}}, group_size = 9>
// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=36' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GROUP36
// GROUP36: error: compress-quantize: group-size 36 does not divide the reduction size 9 of linalg.depthwise_conv_2d_nhwc_hwc (dw/0)
// GROUP36-NEXT: %y = linalg.depthwise_conv_2d_nhwc_hwc ins(
// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=8 bits=4' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GROUP8
// GROUP8: error: compress-quantize: group-size 8 does not divide the reduction size 36 of linalg.conv_2d_nchw_fchw (conv/0)
// GROUP8-NEXT: %y = linalg.conv_2d_nchw_fchw ins(
// GROUP8-NOT: error:
// RUN: not compress-opt %s --compress-quantize=granularity=per-group 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GROUP32
// GROUP32: error: compress-quantize: group-size 32 does not divide the reduction size 36 of linalg.conv_2d_nchw_fchw (conv/0)
//
// Bit widths other than 8 and 4.
// RUN: not compress-opt %s --compress-quantize=bits=3 2>&1 | FileCheck %s --check-prefix=BITS3
// BITS3: error: compress-quantize: bits must be 8 or 4, got 3
// RUN: not compress-opt %s --compress-quantize=bits=16 2>&1 | FileCheck %s --check-prefix=BITS16
// BITS16: error: compress-quantize: bits must be 8 or 4, got 16
//
// Unknown granularity (also an empty one).
// RUN: not compress-opt %s --compress-quantize=granularity=per-row 2>&1 | FileCheck %s --check-prefix=GRAN
// GRAN: for the --granularity option: unknown value 'per-row' (expected per-tensor, per-channel or per-group)
// RUN: not compress-opt %s --compress-quantize=granularity= 2>&1 | FileCheck %s --check-prefix=NO-GRAN
// NO-GRAN: for the --granularity option: unknown value '' (expected per-tensor, per-channel or per-group)
//
// mode=static without a calibration file.
// RUN: not compress-opt %s --compress-quantize=mode=static 2>&1 | FileCheck %s --check-prefix=NO-CALIB
// NO-CALIB: error: compress-quantize: mode=static needs a calibration file (calibration=FILE)
//
// A calibration file that does not exist.
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t/missing.json' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// MISSING: error: compress-quantize: calibration file '{{.*}}missing.json': cannot read it: {{[Nn]}}o such file or directory
//
// Calibration files that are not JSON: this MLIR file, an empty file, and a
// truncated object.
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%s' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-JSON
// NOT-JSON: error: compress-quantize: calibration file '{{.*}}errors.mlir': invalid JSON: [1:1, byte=1]: Invalid JSON value
// RUN: echo '' > %t/empty.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t/empty.json' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: compress-quantize: calibration file '{{.*}}empty.json': invalid JSON: {{.*}}Unexpected EOF
// RUN: echo '{"version": 2, "tensors": {"conv/0": {"ranges": {"minmax": [-1, 1]}}' > %t/truncated.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t/truncated.json' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: error: compress-quantize: calibration file '{{.*}}truncated.json': invalid JSON: {{.*}}Expected , or } after object property
//
// A calibration file without an entry for one of the ops: dw/0 is there,
// conv/0 is not.
// RUN: echo '{"version": 2, "tensors": {"dw/0": {"ranges": {"minmax": [-1, 1]}}}}' > %t/dw-only.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t/dw-only.json' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-KEY
// NO-KEY: error: compress-quantize: the calibration file '{{.*}}dw-only.json' has no entry for 'conv/0' (the input of this linalg.conv_2d_nchw_fchw)
// NO-KEY-NEXT: %y = linalg.conv_2d_nchw_fchw ins(
// NO-KEY-NOT: error:
//
// The same file with both entries is accepted. The depthwise convolution
// (no reuse of its activation) is quantized weight-only and reads no range,
// so a file with conv/0 alone is accepted as well.
// RUN: echo '{"version": 2, "tensors": {"conv/0": {"ranges": {"minmax": [-1, 1]}}, "dw/0": {"ranges": {"minmax": [0, 2]}}}}' > %t/both.json
// RUN: compress-opt %s --compress-quantize='mode=static calibration=%t/both.json' | FileCheck %s --check-prefix=BOTH
// RUN: echo '{"version": 2, "tensors": {"conv/0": {"ranges": {"minmax": [-1, 1]}}}}' > %t/conv-only.json
// RUN: compress-opt %s --compress-quantize='mode=static calibration=%t/conv-only.json' | FileCheck %s --check-prefix=BOTH
// BOTH-LABEL: func.func @conv
// BOTH: compress.quantize {{.*}} : tensor<{{.*}}xf32> -> tensor<{{.*}}xi8>
// BOTH-LABEL: func.func @dw
// BOTH-NOT: compress.quantize
// BOTH: compress.dequantize {{.*}} : tensor<3x3x4xi8> -> tensor<3x3x4xf32>

func.func @conv(%x: tensor<1x4x5x5xf32>, %init: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<0.5> : tensor<2x4x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x4x5x5xf32>, tensor<2x4x3x3xf32>)
         outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

func.func @dw(%x: tensor<1x5x5x4xf32>, %init: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %w = arith.constant dense<0.25> : tensor<3x3x4xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x5x5x4xf32>, tensor<3x3x4xf32>)
         outs(%init : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}
