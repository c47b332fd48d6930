// Accuracy of the digits models with their weights replaced by low-rank
// factors, on the 360 held-out images, against their dense fp32 accuracy,
// without fine-tuning (examples/digits/decompose_accuracy.py prints the
// table; the script exits non-zero if a budget is exceeded):
//  - the MLP at rank 8 (every layer: 1/8, 1/4 and 8/10 of its rank),
//    truncated SVD whitened by the Gram matrices of a calibration on the
//    training images: the drop is at most 1 point;
//  - the MLP at half of every layer's rank with the pass's default rule
//    (a layer is factored only where its factors run faster: here just
//    the 64 x 32 layer), calibrated: the drop is at most 3 points;
//  - the CNN's convolutions by CP at the smallest ranks whose output error
//    over the calibration images is at most 0.2 (data-aware): the drop is
//    at most 2 points with at most half of the convolutions' FLOPs left.
//
// REQUIRES: host-supports-jit
// RUN: %python %examples/digits/decompose_accuracy.py --bin %compress_tools_dir --check | FileCheck %s
// CHECK: mlp   rank 8 svd calibrated
// CHECK: mlp   rank 1/2 svd calibrated
// CHECK: mlp   rank 1/2 svd where faster calibrated
// CHECK: cnn   tolerance 0.2 cp calibrated
// CHECK: all budgets met
