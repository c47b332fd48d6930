// RUN: compress-opt %s --compress-align-globals | FileCheck %s
// RUN: compress-opt %s --compress-align-globals=alignment=128 | FileCheck %s --check-prefix=A128
// RUN: not compress-opt %s --compress-align-globals=alignment=48 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not compress-opt %s --compress-align-globals=alignment=0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: compress-opt %s --compress-align-globals=alignment=4096 | FileCheck %s --check-prefix=PAGE
// RUN: not compress-opt %s --compress-align-globals=alignment=8192 2>&1 | FileCheck %s --check-prefix=LARGE
// RUN: not compress-opt %s --compress-align-globals=alignment=9223372036854775808 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not compress-opt %s --compress-align-globals=alignment=-64 2>&1 | FileCheck %s --check-prefix=NEG

// Globals without an alignment or with a smaller one get 64 bytes; a larger
// one is kept.
// CHECK: memref.global "private" constant @packed : memref<2x64x32xf32> = dense<1.000000e+00> {alignment = 64 : i64}
// CHECK: memref.global "private" constant @small : memref<4xf32> = dense<2.000000e+00> {alignment = 64 : i64}
// CHECK: memref.global "private" constant @large : memref<4xf32> = dense<3.000000e+00> {alignment = 256 : i64}
// A128: @packed {{.*}} {alignment = 128 : i64}
// A128: @small {{.*}} {alignment = 128 : i64}
// A128: @large {{.*}} {alignment = 256 : i64}
// BAD: error: compress-align-globals: alignment must be a power of two, got 48
// ZERO: error: compress-align-globals: alignment must be a power of two, got 0
// Up to a page; 2^63 (a power of two) used to wrap to a negative i64.
// PAGE-COUNT-3: {alignment = 4096 : i64}
// LARGE: error: compress-align-globals: alignment must be at most 4096 (a page), got 8192
// HUGE: error: compress-align-globals: alignment must be at most 4096 (a page), got 9223372036854775808
// NEG: for the --alignment option: '-64' value invalid for ulong argument!
memref.global "private" constant @packed : memref<2x64x32xf32> = dense<1.0>
memref.global "private" constant @small : memref<4xf32> = dense<2.0> {alignment = 16}
memref.global "private" constant @large : memref<4xf32> = dense<3.0> {alignment = 256}
