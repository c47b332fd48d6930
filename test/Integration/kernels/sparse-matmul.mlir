// Matmuls with 90% zero weights run as compress.sparse_matmul (forced with
// min-sparsity=0.5, since below the default crossover some of these would
// stay dense) and are compared exactly with numpy (%s.py: small integers,
// every sum exact in f32): one activation row (scalar FMAs), 3 (a masked
// vector of 4), 8, 40 (16-lane vectors, a masked tail), a dynamic number of
// rows, K = 40000 (i32 row indices), and an init that is accumulated into.
// Where the transposed activation exceeds the L1 cache, the nonzeros are
// stored by blocks of rows: 70 rows (two chunks, the second masked) x 300
// (blocks of 256 and 44 rows) x 70 columns (tiles of 64 and 6), a dynamic
// number of rows, K = 40000, and 50% zeros (blocks of 128; with 64 rows
// and half of the nonzeros in rows both columns of a pair keep, the
// columns stored by pairs). Weight-only
// int8 weights (compress.dequantize of codes, symmetric, per column and per
// tensor) keep their codes: i8 values and the scales applied to the sums.
// An empty column gives zeros. Weights with 70% zero 1 x 16 blocks run as
// compress.block_sparse_matmul (one row, 5, a dynamic number, an init; an
// empty group of columns). Where M is whole chunks of 64 and N blocks of
// lanes, the kernel writes the M x N result itself, transposed from a
// buffer of each tile's columns: 128 rows (two chunks) x 200 x 80 columns
// (tiles of 64 and 16), 64 x 600 (blocks of rows) x 48, and int8 codes.
// Where M and K are whole blocks of lanes, each thread transposes the
// activation itself for its part of the tiles: 32 x 512 x 150 (3 tiles,
// shared unevenly by two threads), 64 x 512 x 400 (7 tiles, the result
// written transposed) and int8 codes (64 x 512 x 96).
// On AVX-512 (the host's), AVX2 (cpu=x86-64-v3) and two threads.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-sparsify=min-sparsity=0.5 -o %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=WIDE < %t/sparse.mlir
// IR-COUNT-7: compress.sparse_matmul
// IR-COUNT-4: compress.block_sparse_matmul {{.*}} : tensor<{{[0-9?]+}}x64xf32>, tensor<{{[0-9]+}}xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}x16xf32>
// IR-COUNT-3: compress.sparse_matmul
// IR:         compress.sparse_matmul {{.*}} scales({{.*}} : tensor<24xf32>) {group = 4 : i64, rows_per_block = 256 : i64} : tensor<300x64xf32>, tensor<49xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xi8> -> tensor<24x64xf32>
// IR:         compress.sparse_matmul {{.*}} scales({{.*}} : tensor<40xf32>) {group = 4 : i64} : tensor<96x3xf32>, tensor<41xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xi8> -> tensor<40x3xf32>
// IR-COUNT-6: compress.sparse_matmul
// IR-NOT:     linalg.matmul
// IR-NOT:     compress.dequantize
// WIDE:       compress.sparse_matmul {{.*}} {group = 4 : i64, rows_per_block = 4096 : i64} : tensor<40000x2xf32>, tensor<81xi32>, tensor<{{[0-9]+}}xi32>, tensor<{{[0-9]+}}xf32> -> tensor<8x2xf32>
// WIDE:       compress.sparse_matmul {{.*}} {group = 4 : i64, rows_per_block = 256 : i64} : tensor<300x70xf32>, tensor<141xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xf32> -> tensor<70x70xf32>
// WIDE:       compress.sparse_matmul {{.*}} {group = 4 : i64, rows_per_block = 256 : i64} : tensor<300x?xf32>, tensor<49xi32>
// WIDE:       compress.sparse_matmul {{.*}} {group = 4 : i64, paired, rows_per_block = 128 : i64} : tensor<256x64xf32>, tensor<97xi32>
// DEFINE: %{opts} = cpu=native
// DEFINE: %{env} = env
// DEFINE: %{run} = %{env} compress-run %t/sparse.mlir --compress-to-llvm-options="%{opts}"
// DEFINE: %{check} = %{run} -e m1 --input %t/x_m1.npy --output %t/y_m1.npy && \
// DEFINE:   %{run} -e m3 --input %t/x_m3.npy --output %t/y_m3.npy && \
// DEFINE:   %{run} -e m8 --input %t/x_m8.npy --output %t/y_m8.npy && \
// DEFINE:   %{run} -e m40 --input %t/x_m40.npy --output %t/y_m40.npy && \
// DEFINE:   %{run} -e dyn --input %t/x_dyn.npy --output %t/y_dyn.npy && \
// DEFINE:   %{run} -e wide_k --input %t/x_wide_k.npy --output %t/y_wide_k.npy && \
// DEFINE:   %{run} -e acc --input %t/x_acc.npy --input %t/c_acc.npy --output %t/y_acc.npy && \
// DEFINE:   %{run} -e blk1 --input %t/x_blk1.npy --output %t/y_blk1.npy && \
// DEFINE:   %{run} -e blk5 --input %t/x_blk5.npy --output %t/y_blk5.npy && \
// DEFINE:   %{run} -e blkdyn --input %t/x_blkdyn.npy --output %t/y_blkdyn.npy && \
// DEFINE:   %{run} -e blkacc --input %t/x_blkacc.npy --input %t/c_blkacc.npy --output %t/y_blkacc.npy && \
// DEFINE:   %{run} -e blocked --input %t/x_blocked.npy --output %t/y_blocked.npy && \
// DEFINE:   %{run} -e blockdyn --input %t/x_blockdyn.npy --output %t/y_blockdyn.npy && \
// DEFINE:   %{run} -e half --input %t/x_half.npy --output %t/y_half.npy && \
// DEFINE:   %{run} -e int8col --input %t/x_int8col.npy --output %t/y_int8col.npy && \
// DEFINE:   %{run} -e int8tensor --input %t/x_int8tensor.npy --output %t/y_int8tensor.npy && \
// DEFINE:   %{run} -e tposed --input %t/x_tposed.npy --output %t/y_tposed.npy && \
// DEFINE:   %{run} -e tposedblk --input %t/x_tposedblk.npy --output %t/y_tposedblk.npy && \
// DEFINE:   %{run} -e int8t --input %t/x_int8t.npy --output %t/y_int8t.npy && \
// DEFINE:   %{run} -e parts --input %t/x_parts.npy --output %t/y_parts.npy && \
// DEFINE:   %{run} -e partst --input %t/x_partst.npy --output %t/y_partst.npy && \
// DEFINE:   %{run} -e int8parts --input %t/x_int8parts.npy --output %t/y_int8parts.npy && \
// DEFINE:   %python %s.py check %t | FileCheck %s
// RUN: %{check}
// REDEFINE: %{opts} = cpu=x86-64-v3
// RUN: %{check}
// Two threads: LeakSanitizer cannot trace the OpenMP threads.
// REDEFINE: %{opts} = threads=2
// REDEFINE: %{env} = %no_leak_check
// RUN: %{check}
// CHECK: m1 exact
// CHECK: m3 exact
// CHECK: m8 exact
// CHECK: m40 exact
// CHECK: dyn exact
// CHECK: wide_k exact
// CHECK: acc exact
// CHECK: blk1 exact
// CHECK: blk5 exact
// CHECK: blkdyn exact
// CHECK: blkacc exact
// CHECK: blocked exact
// CHECK: blockdyn exact
// CHECK: half exact
// CHECK: int8col exact
// CHECK: int8tensor exact
// CHECK: tposed exact
// CHECK: tposedblk exact
// CHECK: int8t exact
// CHECK: parts exact
// CHECK: partst exact
// CHECK: int8parts exact
