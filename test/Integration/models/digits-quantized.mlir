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
// The script exits non-zero if any budget is exceeded.
//
// REQUIRES: host-supports-jit
// RUN: %python %examples/digits/quantize_accuracy.py --bin %compress_tools_dir --check | FileCheck %s
// CHECK: mlp   int8 per-channel weight-only
// CHECK: mlp   int4 per-group(32) weight-only
// CHECK: mlp   int8 static minmax
// CHECK: cnn   int8 per-channel weight-only
// CHECK: cnn   int8 static minmax
// CHECK: all budgets met
