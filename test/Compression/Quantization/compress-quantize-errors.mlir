// Invalid options and inputs of --compress-quantize: each is an error that
// names the problem, and compress-opt exits non-zero.

// RUN: not compress-opt %s --compress-quantize=bits=3 2>&1 | FileCheck %s --check-prefix=BITS
// BITS: error: compress-quantize: bits must be 8 or 4, got 3

// RUN: not compress-opt %s --compress-quantize=granularity=per-row 2>&1 | FileCheck %s --check-prefix=GRAN
// GRAN: error: compress-quantize: unknown granularity 'per-row' (expected per-tensor, per-channel or per-group)

// RUN: not compress-opt %s --compress-quantize=group-size=8 2>&1 | FileCheck %s --check-prefix=GROUP-NEEDS
// GROUP-NEEDS: error: compress-quantize: group-size needs granularity=per-group

// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=-4' 2>&1 | FileCheck %s --check-prefix=GROUP-NEG
// GROUP-NEG: error: compress-quantize: group-size must be positive, got -4

// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=3' 2>&1 | FileCheck %s --check-prefix=GROUP-DIVIDE
// GROUP-DIVIDE: compress-quantize-errors.mlir:[[# @LINE + 59]]:8: error: compress-quantize: group-size 3 does not divide the reduction size 4 of linalg.matmul (matmul/0)

// RUN: not compress-opt %s --compress-quantize=scheme=log10 2>&1 | FileCheck %s --check-prefix=SCHEME
// SCHEME: error: compress-quantize: unknown scheme 'log10' (expected uniform or log2)

// RUN: not compress-opt %s --compress-quantize='scheme=log2 symmetric=false' 2>&1 | FileCheck %s --check-prefix=LOG2-ASYM
// LOG2-ASYM: error: compress-quantize: the log2 scheme is symmetric; symmetric=false is not supported with it

// RUN: not compress-opt %s --compress-quantize=mode=training 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: error: compress-quantize: unknown mode 'training' (expected weight-only, static or dynamic)

// RUN: not compress-opt %s --compress-quantize='mode=dynamic bits=4' 2>&1 | FileCheck %s --check-prefix=DYN-BITS
// DYN-BITS: error: compress-quantize: mode=dynamic computes in 8-bit integers; it needs bits=8

// RUN: not compress-opt %s --compress-quantize='mode=dynamic granularity=per-group' 2>&1 | FileCheck %s --check-prefix=DYN-GROUP
// DYN-GROUP: error: compress-quantize: mode=dynamic supports per-tensor and per-channel weights, not per-group

// RUN: not compress-opt %s --compress-quantize='mode=dynamic scheme=log2' 2>&1 | FileCheck %s --check-prefix=DYN-LOG2
// DYN-LOG2: error: compress-quantize: mode=dynamic needs scheme=uniform

// RUN: not compress-opt %s --compress-quantize=float-type=fp8 2>&1 | FileCheck %s --check-prefix=FLOAT
// FLOAT: error: compress-quantize: unknown float-type 'fp8' (expected fp16 or bf16)

// RUN: not compress-opt %s --compress-quantize='float-type=fp16 mode=dynamic' 2>&1 | FileCheck %s --check-prefix=FLOAT-MODE
// FLOAT-MODE: error: compress-quantize: float-type stores weights only; it needs mode=weight-only

// RUN: not compress-opt %s --compress-quantize=mode=static 2>&1 | FileCheck %s --check-prefix=NO-CALIB
// NO-CALIB: error: compress-quantize: mode=static needs a calibration file (calibration=FILE)

// RUN: not compress-opt %s --compress-quantize=calibration=%s 2>&1 | FileCheck %s --check-prefix=CALIB-UNUSED
// CALIB-UNUSED: error: compress-quantize: calibration is only used by mode=static

// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.missing.json' 2>&1 | FileCheck %s --check-prefix=CALIB-MISSING
// CALIB-MISSING: error: compress-quantize: calibration file '{{.*}}missing.json': cannot read it: {{[Nn]}}o such file or directory

// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%s' 2>&1 | FileCheck %s --check-prefix=CALIB-JSON
// CALIB-JSON: error: compress-quantize: calibration file '{{.*}}compress-quantize-errors.mlir': invalid JSON: {{.*}}

// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [2, 1]}}}}' > %t.bad-range.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.bad-range.json' 2>&1 | FileCheck %s --check-prefix=CALIB-RANGE
// CALIB-RANGE: error: compress-quantize: calibration file '{{.*}}bad-range.json': tensor 'matmul/0' has no valid "minmax" range [lo, hi]

// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [-1, 1]}}}}' > %t.minmax-only.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.minmax-only.json calibration-method=entropy' 2>&1 | FileCheck %s --check-prefix=CALIB-METHOD
// CALIB-METHOD: error: compress-quantize: calibration file '{{.*}}minmax-only.json': tensor 'matmul/0' has no valid "entropy" range [lo, hi]

// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.minmax-only.json calibration-method=mean' 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: error: compress-quantize: unknown calibration-method 'mean' (expected minmax, percentile or entropy)

// RUN: echo '{"version": 2, "tensors": {"other/0": {"ranges": {"minmax": [-1, 1]}}}}' > %t.other.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.other.json' 2>&1 | FileCheck %s --check-prefix=CALIB-KEY
// CALIB-KEY: compress-quantize-errors.mlir:[[# @LINE + 8]]:8: error: compress-quantize: the calibration file '{{.*}}other.json' has no entry for 'matmul/0' (the input of this linalg.matmul)

// RUN: echo '[1, 2]' > %t.array.json
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%t.array.json' 2>&1 | FileCheck %s --check-prefix=CALIB-SHAPE
// CALIB-SHAPE: error: compress-quantize: calibration file '{{.*}}array.json': expected an object with a "tensors" member

func.func @matmul(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// Not errors: entries the model does not use are not checked, and a
// degenerate range gets the smallest normal f32 scale.
// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [0, 1e-44]}}, "unused/3": {"count": 0}}}' > %t.tiny.json
// RUN: compress-opt %s --compress-quantize='mode=static calibration=%t.tiny.json' | FileCheck %s --check-prefix=TINY
// TINY: compress.quantize %{{.*}} #compress.quant<i8, scales = [1.1754943{{[0-9]*}}E-38], zero_points = [0]>
