// reference.py, the independent model the other tests in this directory
// compare the compiled kernels with, checked on examples worked out by hand:
// codes under each scheme, zero points, per-channel and per-group parameter
// layout, f16 and bf16 rounding, explicit-map contractions and a strided
// convolution.
//
// RUN: %python %S/reference.py --self-test | FileCheck %s
// CHECK: self-test: ok
