// Accuracy of the quantized digits models on the 360 held-out images, against
// their fp32 accuracy (examples/digits/quantize_accuracy.py prints the table):
//   int8 per-channel weight-only      drop <= 0.5 points, <= 0.27x the bytes
//   int8 static (minmax calibration on the training images) and dynamic
//                                     drop <= 1 point
//   int4 per-group (32) weight-only   drop <= 2 points, <= 0.15x the bytes
//                                     (MLP; the CNN's 9- and 72-element conv
//                                     reductions have no group of 32, so its
//                                     int4 check is per-channel)
//   fp16 / bf16 weights               drop <= 0.5 points, 0.5x the bytes
//   int8 static with one degenerate calibrated range (zero width, +-FLT_MAX,
//   denormal; MLP)                    drop <= 1 point: compress-quantize warns
//                                     and that op uses the run-time range
// The script exits non-zero if any budget is exceeded.
//
// REQUIRES: host-supports-jit
// RUN: %python %examples/digits/quantize_accuracy.py --bin %compress_tools_dir --check | FileCheck %s
// CHECK: mlp   int8 per-channel weight-only
// CHECK: mlp   int4 per-group(32) weight-only
// CHECK: mlp   int8 static minmax
// CHECK: mlp   int8 static, predict/1 range [0, 0]
// CHECK: mlp   int8 static, predict/0 range +-FLT_MAX
// CHECK: mlp   int8 static, predict/2 range [0, 1e-40]
// CHECK: cnn   int8 per-channel weight-only
// CHECK: cnn   int8 static minmax
// CHECK: warning: mlp int8 static, predict/1 range [0, 0]: compress-quantize: calibration file '{{.*}}': tensor 'predict/1' has a degenerate "minmax" range [0, 0] (zero width); this linalg.matmul quantizes its input with its run-time range instead
// CHECK: warning: mlp int8 static, predict/0 range +-FLT_MAX: compress-quantize: calibration file '{{.*}}': tensor 'predict/0' has a degenerate "minmax" range [-3.40282e+38, 3.40282e+38] (a bound at the largest f32 magnitude); this linalg.matmul quantizes its input with its run-time range instead
// CHECK: warning: mlp int8 static, predict/2 range [0, 1e-40]: compress-quantize: calibration file '{{.*}}': tensor 'predict/2' has a degenerate "minmax" range [0, 1e-40] (denormal: its scale would be below the smallest normal f32); this linalg.matmul quantizes its input with its run-time range instead
// CHECK: all budgets met
