// RUN: compress-opt %s --compress-align-globals | FileCheck %s
// RUN: compress-opt %s --compress-align-globals=alignment=128 | FileCheck %s --check-prefix=A128
// RUN: not compress-opt %s --compress-align-globals=alignment=48 2>&1 | FileCheck %s --check-prefix=BAD

// Globals without an alignment or with a smaller one get 64 bytes; a larger
// one is kept.
// CHECK: memref.global "private" constant @packed : memref<2x64x32xf32> = dense<1.000000e+00> {alignment = 64 : i64}
// CHECK: memref.global "private" constant @small : memref<4xf32> = dense<2.000000e+00> {alignment = 64 : i64}
// CHECK: memref.global "private" constant @large : memref<4xf32> = dense<3.000000e+00> {alignment = 256 : i64}
// A128: @packed {{.*}} {alignment = 128 : i64}
// A128: @small {{.*}} {alignment = 128 : i64}
// A128: @large {{.*}} {alignment = 256 : i64}
// BAD: error: compress-align-globals: alignment must be a power of two, got 48
memref.global "private" constant @packed : memref<2x64x32xf32> = dense<1.0>
memref.global "private" constant @small : memref<4xf32> = dense<2.0> {alignment = 16}
memref.global "private" constant @large : memref<4xf32> = dense<3.0> {alignment = 256}
