// Convolutions with 90% zero weights run as compress.sparse_conv
// (forced with min-sparsity=0.5) and are compared exactly with numpy's
// sums over the kernel window (%s.py: small integers, every sum exact in
// f32): NCHW 3x3 with padding, 1x1 (7 x 7 outputs: one masked chunk and
// masked row copies), 5x3 without padding on 2 images accumulated into an
// init, 64 channels (blocks of 256 weight rows over 70 filters: tiles of
// 64 and 6), 3642 channels (32778 weight rows: i32 row indices, blocks of
// 8192 rows), NHWC with HWCF and FHWC weights (transposed in and out), and
// stride 2 (split into 4 stride phases first): 3x3 with padding, a 7x7
// stem on 3 channels accumulated into an init, and a 1x1 NHWC
// downsampling on 2 images; depthwise NCHW (accumulated into an init) and
// NHWC with stride 2 (each filter's nonzeros in its own channel's rows,
// unpadded entries: group 1), and a 10 x 11 input of which a 7 x 6 output
// reads 9 x 8 (cropped first); weight-only int8 weights (compress.
// dequantize of codes) keep their codes and scales: per filter (NCHW),
// per tensor (NHWC with HWCF, stride 2) and per channel (depthwise NCHW);
// dilations 2 x 3 (3x3 NCHW) and 2 x 2 (depthwise on 2 images, into an
// init).
// Every weight has an empty filter.
// On AVX-512 (the host's), AVX2 (cpu=x86-64-v3) and two threads.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-sparsify=min-sparsity=0.5 -o %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/sparse.mlir
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x8x12x14xf32>, tensor<17xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xf32> -> tensor<1x16x10x12xf32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 1, 1>} : tensor<1x16x7x7xf32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 5, 3>} : tensor<2x6x9x11xf32>, {{.*}} -> tensor<2x10x5x9xf32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 3, 3>, rows_per_block = 256 : i64} : tensor<1x64x16x16xf32>, tensor<211xi32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 3, 3>, rows_per_block = 8192 : i64} : tensor<1x3642x3x3xf32>, tensor<{{[0-9]+}}xi32>, tensor<{{[0-9]+}}xi32>, tensor<{{[0-9]+}}xf32> -> tensor<1x4x1x1xf32>
// IR:      linalg.transpose ins({{.*}} : tensor<1x11x11x8xf32>) outs({{.*}} : tensor<1x8x11x11xf32>) permutation = [0, 3, 1, 2]
// IR-NEXT: compress.sparse_conv
// IR-NEXT: tensor.empty() : tensor<1x9x9x12xf32>
// IR-NEXT: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// IR:      linalg.generic
// IR:      tensor.collapse_shape {{.*}} {{\[}}[0], [1, 2, 3], [4], [5]] : tensor<1x2x2x8x7x8xf32> into tensor<1x32x7x8xf32>
// IR-NEXT: compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 2, 2>} : tensor<1x32x7x8xf32>, {{.*}} -> tensor<1x12x6x7xf32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 4, 4>} : tensor<1x12x13x13xf32>, {{.*}} -> tensor<1x16x10x10xf32>
// IR:      compress.sparse_conv {{.*}} {group = 4 : i64, kernel = array<i64: 1, 1>} : tensor<2x64x4x4xf32>, {{.*}} -> tensor<2x24x4x4xf32>
// IR:      compress.sparse_conv {{.*}} {group = 1 : i64, kernel = array<i64: 3, 3>} : tensor<1x16x12x14xf32>, {{.*}} -> tensor<1x16x10x12xf32>
// IR:      compress.sparse_conv {{.*}} {group = 1 : i64, kernel = array<i64: 2, 2>} : tensor<2x96x6x6xf32>, {{.*}} -> tensor<2x24x5x5xf32>
// IR:      tensor.extract_slice {{.*}} [1, 8, 9, 8] [1, 1, 1, 1] : tensor<1x8x10x11xf32> to tensor<1x8x9x8xf32>
// IR-NEXT: compress.sparse_conv {{.*}} -> tensor<1x16x7x6xf32>
// IR:      compress.sparse_conv {{.*}} scales({{.*}} : tensor<16xf32>) {group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x8x12x14xf32>, tensor<17xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xi8> -> tensor<1x16x10x12xf32>
// IR:      compress.sparse_conv {{.*}} scales({{.*}} : tensor<12xf32>) {group = 4 : i64, kernel = array<i64: 2, 2>} : tensor<1x32x6x6xf32>, {{.*}}xi8> -> tensor<1x12x5x5xf32>
// IR:      compress.sparse_conv {{.*}} scales({{.*}} : tensor<16xf32>) {group = 1 : i64, kernel = array<i64: 3, 3>} : tensor<1x16x12x14xf32>, {{.*}}xi8> -> tensor<1x16x10x12xf32>
// IR:      compress.sparse_conv {{.*}} {dilations = array<i64: 2, 3>, group = 4 : i64, kernel = array<i64: 3, 3>} : tensor<1x8x16x17xf32>, {{.*}} -> tensor<1x16x12x11xf32>
// IR:      compress.sparse_conv {{.*}} {dilations = array<i64: 2, 2>, group = 1 : i64, kernel = array<i64: 3, 3>} : tensor<2x16x13x13xf32>, {{.*}} -> tensor<2x16x9x9xf32>
// Nothing left dense, anywhere in the module:
// RUN: FileCheck %s --check-prefix=NONE-LEFT < %t/sparse.mlir
// NONE-LEFT-NOT: linalg.conv_2d
// NONE-LEFT-NOT: linalg.depthwise_conv_2d
// NONE-LEFT-NOT: compress.dequantize
// DEFINE: %{opts} = cpu=native
// DEFINE: %{env} = env
// DEFINE: %{run} = %{env} compress-run %t/sparse.mlir --compress-to-llvm-options="%{opts}"
// DEFINE: %{check} = %{run} -e k3 --input %t/x_k3.npy --output %t/y_k3.npy && \
// DEFINE:   %{run} -e k1 --input %t/x_k1.npy --output %t/y_k1.npy && \
// DEFINE:   %{run} -e k53 --input %t/x_k53.npy --input %t/c_k53.npy --output %t/y_k53.npy && \
// DEFINE:   %{run} -e blocked --input %t/x_blocked.npy --output %t/y_blocked.npy && \
// DEFINE:   %{run} -e wide --input %t/x_wide.npy --output %t/y_wide.npy && \
// DEFINE:   %{run} -e hwcf --input %t/x_hwcf.npy --output %t/y_hwcf.npy && \
// DEFINE:   %{run} -e fhwc --input %t/x_fhwc.npy --input %t/c_fhwc.npy --output %t/y_fhwc.npy && \
// DEFINE:   %{run} -e s2 --input %t/x_s2.npy --output %t/y_s2.npy && \
// DEFINE:   %{run} -e stem --input %t/x_stem.npy --input %t/c_stem.npy --output %t/y_stem.npy && \
// DEFINE:   %{run} -e s2hwcf --input %t/x_s2hwcf.npy --output %t/y_s2hwcf.npy && \
// DEFINE:   %{run} -e dw --input %t/x_dw.npy --input %t/c_dw.npy --output %t/y_dw.npy && \
// DEFINE:   %{run} -e dws2 --input %t/x_dws2.npy --output %t/y_dws2.npy && \
// DEFINE:   %{run} -e crop --input %t/x_crop.npy --output %t/y_crop.npy && \
// DEFINE:   %{run} -e q3 --input %t/x_q3.npy --output %t/y_q3.npy && \
// DEFINE:   %{run} -e qhwcf --input %t/x_qhwcf.npy --input %t/c_qhwcf.npy --output %t/y_qhwcf.npy && \
// DEFINE:   %{run} -e qdw --input %t/x_qdw.npy --output %t/y_qdw.npy && \
// DEFINE:   %{run} -e dil --input %t/x_dil.npy --output %t/y_dil.npy && \
// DEFINE:   %{run} -e dildw --input %t/x_dildw.npy --input %t/c_dildw.npy --output %t/y_dildw.npy && \
// DEFINE:   %python %s.py check %t | FileCheck %s
// RUN: %{check}
// REDEFINE: %{opts} = cpu=x86-64-v3
// RUN: %{check}
// Two threads: LeakSanitizer cannot trace the OpenMP threads.
// REDEFINE: %{opts} = threads=2
// REDEFINE: %{env} = %no_leak_check
// RUN: %{check}
// CHECK: k3 exact
// CHECK: k1 exact
// CHECK: k53 exact
// CHECK: blocked exact
// CHECK: wide exact
// CHECK: hwcf exact
// CHECK: fhwc exact
// CHECK: s2 exact
// CHECK: stem exact
// CHECK: s2hwcf exact
// CHECK: dw exact
// CHECK: dws2 exact
// CHECK: crop exact
// CHECK: q3 exact
// CHECK: qhwcf exact
// CHECK: qdw exact
// CHECK: dil exact
// CHECK: dildw exact
