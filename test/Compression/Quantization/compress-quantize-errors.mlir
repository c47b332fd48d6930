// Invalid options and inputs of --compress-quantize: each is an error that
// names the problem, and compress-opt exits non-zero.

// Values out of range.
// RUN: not compress-opt %s --compress-quantize=bits=3 2>&1 | FileCheck %s --check-prefix=BITS
// BITS: error: compress-quantize: bits must be 8 or 4, got 3
// RUN: not compress-opt %s --compress-quantize=bits=-8 2>&1 | FileCheck %s --check-prefix=BITS-NEG
// BITS-NEG: error: compress-quantize: bits must be 8 or 4, got -8
// RUN: not compress-opt %s --compress-quantize=bits=x 2>&1 | FileCheck %s --check-prefix=BITS-TEXT
// BITS-TEXT: for the --bits option: 'x' value invalid for long argument!
// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=-4' 2>&1 | FileCheck %s --check-prefix=GROUP-NEG
// GROUP-NEG: error: compress-quantize: group-size must be positive, got -4
// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=0' 2>&1 | FileCheck %s --check-prefix=GROUP-ZERO
// GROUP-ZERO: error: compress-quantize: group-size must be positive, got 0
// RUN: not compress-opt %s --compress-quantize='granularity=per-group group-size=3' 2>&1 | FileCheck %s --check-prefix=GROUP-DIVIDE
// GROUP-DIVIDE: compress-quantize-errors.mlir:[[# @LINE + 82]]:8: error: compress-quantize: group-size 3 does not divide the reduction size 4 of linalg.matmul (matmul/0)

// Unknown values of the enum options (also an empty one): the option parser
// lists the accepted values.
// RUN: not compress-opt %s --compress-quantize=granularity=per-row 2>&1 | FileCheck %s --check-prefix=GRAN
// GRAN: for the --granularity option: unknown value 'per-row' (expected per-tensor, per-channel or per-group)
// RUN: not compress-opt %s --compress-quantize=scheme=log10 2>&1 | FileCheck %s --check-prefix=SCHEME
// SCHEME: for the --scheme option: unknown value 'log10' (expected uniform or log2)
// RUN: not compress-opt %s --compress-quantize=mode=training 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: for the --mode option: unknown value 'training' (expected weight-only, static or dynamic)
// RUN: not compress-opt %s --compress-quantize=float-type=fp8 2>&1 | FileCheck %s --check-prefix=FLOAT
// FLOAT: for the --float-type option: unknown value 'fp8' (expected none, fp16 or bf16)
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%s calibration-method=mean' 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: for the --calibration-method option: unknown value 'mean' (expected minmax, percentile or entropy)
// RUN: not compress-opt %s --compress-quantize=mode= 2>&1 | FileCheck %s --check-prefix=NO-MODE
// NO-MODE: for the --mode option: unknown value '' (expected weight-only, static or dynamic)
// The same in a textual pipeline, which also names the pass.
// RUN: not compress-opt %s --pass-pipeline='builtin.module(compress-quantize{granularity=per-row})' 2>&1 | FileCheck %s --check-prefix=GRAN-PIPELINE
// GRAN-PIPELINE: for the --granularity option: unknown value 'per-row' (expected per-tensor, per-channel or per-group)
// GRAN-PIPELINE: failed to add `compress-quantize` with options `granularity=per-row`

// Options that conflict: the error names both, with their values.
// RUN: not compress-opt %s --compress-quantize=group-size=8 2>&1 | FileCheck %s --check-prefix=GROUP-NEEDS
// GROUP-NEEDS: error: compress-quantize: group-size=8 conflicts with granularity=per-channel: group-size applies to granularity=per-group only
// RUN: not compress-opt %s --compress-quantize='granularity=per-tensor group-size=64' 2>&1 | FileCheck %s --check-prefix=GROUP-TENSOR
// GROUP-TENSOR: error: compress-quantize: group-size=64 conflicts with granularity=per-tensor: group-size applies to granularity=per-group only
// RUN: not compress-opt %s --compress-quantize='scheme=log2 symmetric=false' 2>&1 | FileCheck %s --check-prefix=LOG2-ASYM
// LOG2-ASYM: error: compress-quantize: scheme=log2 conflicts with symmetric=false: log2 codes are symmetric
// RUN: not compress-opt %s --compress-quantize='float-type=fp16 mode=dynamic' 2>&1 | FileCheck %s --check-prefix=FLOAT-MODE
// FLOAT-MODE: error: compress-quantize: float-type=fp16 conflicts with mode=dynamic: float-type stores weights only (it needs mode=weight-only)
// RUN: not compress-opt %s --compress-quantize='float-type=bf16 mode=static calibration=%s' 2>&1 | FileCheck %s --check-prefix=FLOAT-STATIC
// FLOAT-STATIC: error: compress-quantize: float-type=bf16 conflicts with mode=static: float-type stores weights only (it needs mode=weight-only)
// RUN: not compress-opt %s --compress-quantize='float-type=fp16 bits=4' 2>&1 | FileCheck %s --check-prefix=FLOAT-BITS
// FLOAT-BITS: error: compress-quantize: float-type=fp16 conflicts with bits=4: half-precision weights are not integer codes
// RUN: not compress-opt %s --compress-quantize='float-type=bf16 granularity=per-group' 2>&1 | FileCheck %s --check-prefix=FLOAT-GROUP
// FLOAT-GROUP: error: compress-quantize: float-type=bf16 conflicts with granularity=per-group: half-precision weights have no scales
// RUN: not compress-opt %s --compress-quantize='float-type=fp16 granularity=per-tensor' 2>&1 | FileCheck %s --check-prefix=FLOAT-TENSOR
// FLOAT-TENSOR: error: compress-quantize: float-type=fp16 conflicts with granularity=per-tensor: half-precision weights have no scales
// RUN: not compress-opt %s --compress-quantize='float-type=fp16 scheme=log2' 2>&1 | FileCheck %s --check-prefix=FLOAT-LOG2
// FLOAT-LOG2: error: compress-quantize: float-type=fp16 conflicts with scheme=log2: half-precision weights are not integer codes
// RUN: not compress-opt %s --compress-quantize='float-type=bf16 symmetric=false' 2>&1 | FileCheck %s --check-prefix=FLOAT-ASYM
// FLOAT-ASYM: error: compress-quantize: float-type=bf16 conflicts with symmetric=false: half-precision weights have no zero points
// RUN: not compress-opt %s --compress-quantize='mode=dynamic scheme=log2' 2>&1 | FileCheck %s --check-prefix=DYN-LOG2
// DYN-LOG2: error: compress-quantize: mode=dynamic conflicts with scheme=log2: integer kernels need scheme=uniform
// RUN: not compress-opt %s --compress-quantize='mode=static calibration=%s scheme=log2' 2>&1 | FileCheck %s --check-prefix=STATIC-LOG2
// STATIC-LOG2: error: compress-quantize: mode=static conflicts with scheme=log2: integer kernels need scheme=uniform
// RUN: not compress-opt %s --compress-quantize=calibration=%s 2>&1 | FileCheck %s --check-prefix=CALIB-UNUSED
// CALIB-UNUSED: error: compress-quantize: calibration={{.*}}compress-quantize-errors.mlir conflicts with mode=weight-only: the calibration file is only read by mode=static
// RUN: not compress-opt %s --compress-quantize='mode=dynamic calibration=%s' 2>&1 | FileCheck %s --check-prefix=CALIB-DYN
// CALIB-DYN: error: compress-quantize: calibration={{.*}}compress-quantize-errors.mlir conflicts with mode=dynamic: the calibration file is only read by mode=static
// RUN: not compress-opt %s --compress-quantize=calibration-method=entropy 2>&1 | FileCheck %s --check-prefix=METHOD-UNUSED
// METHOD-UNUSED: error: compress-quantize: calibration-method=entropy conflicts with mode=weight-only: calibrated ranges are only used by mode=static
// RUN: not compress-opt %s --compress-quantize='mode=dynamic calibration-method=percentile' 2>&1 | FileCheck %s --check-prefix=METHOD-DYN
// METHOD-DYN: error: compress-quantize: calibration-method=percentile conflicts with mode=dynamic: calibrated ranges are only used by mode=static
// RUN: not compress-opt %s --compress-quantize=mode=static 2>&1 | FileCheck %s --check-prefix=NO-CALIB
// NO-CALIB: error: compress-quantize: mode=static needs a calibration file (calibration=FILE)

// Calibration files that cannot be used.
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

// Not errors: entries the model does not use are not checked; defaults
// spelled out (as MLIR prints a pipeline: every option with its value) are
// no conflict.
// RUN: echo '{"version": 2, "tensors": {"matmul/0": {"ranges": {"minmax": [-2, 2]}}, "unused/3": {"count": 0}}}' > %t.unused.json
// RUN: compress-opt %s --compress-quantize='mode=static calibration=%t.unused.json' | FileCheck %s --check-prefix=UNUSED
// UNUSED: compress.quantize %{{.*}} #compress.quant<i8, scales = [0.015748031496062992], zero_points = [0]>
// RUN: compress-opt %s --compress-quantize=float-type=bf16 --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PRINTED
// PRINTED: compress-quantize{bits=8 calibration= calibration-method=minmax float-type=bf16 granularity=per-channel group-size=32 mode=weight-only scheme=uniform symmetric=true}
// RUN: compress-opt %s --pass-pipeline='builtin.module(compress-quantize{bits=8 calibration= calibration-method=minmax float-type=bf16 granularity=per-channel group-size=32 mode=weight-only scheme=uniform symmetric=true})' \
// RUN:   | FileCheck %s --check-prefix=REPARSED
// REPARSED: compress.widen %{{.*}} : tensor<4x2xbf16> -> tensor<4x2xf32>
