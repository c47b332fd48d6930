// Accuracy of the digits MLP with its weights replaced by truncated-SVD
// factors, on the 360 held-out images, against its dense fp32 accuracy,
// without fine-tuning (examples/digits/decompose_accuracy.py prints the
// table): at rank 8 (every layer: 1/8, 1/4 and 8/10 of its rank), whitened
// by the Gram matrices of a calibration on the training images, the drop
// is at most 1 point. The script exits non-zero if a budget is exceeded.
//
// REQUIRES: host-supports-jit
// RUN: %python %examples/digits/decompose_accuracy.py --bin %compress_tools_dir --check | FileCheck %s
// CHECK: mlp   rank 8 svd calibrated
// CHECK: mlp   rank 1/2 svd calibrated
// CHECK: all budgets met
