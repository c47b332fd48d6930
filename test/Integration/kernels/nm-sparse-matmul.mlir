// Matmuls with n:m weights and fewer than 16 activation rows run as
// compress.nm_sparse_matmul (the plan's choice, no option) and are compared
// exactly with numpy (%s.py: small integers, every sum exact in f32): 2:4
// with one row and 40 columns (a padded, masked tile of 16), 5 rows and
// K = 100 (a last window of 4 elements, read masked), 1:4 with a dynamic
// number of rows (a block of 8 and 3 rows one by one), 1:2 with K = 34, an
// init that is accumulated into, and weight-only int8 codes with
// per-column scales. Some kept weights are zero. On AVX-512 (the host's),
// AVX2 (cpu=x86-64-v3: two 8-lane halves per tile) and two threads.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-sparsify -o %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/sparse.mlir
// IR:      compress.nm_sparse_matmul {{.*}} {m = 4 : i64, n = 2 : i64} : tensor<1x96xf32>, tensor<3x48x16xf32>, tensor<3x48xi32> -> tensor<1x40xf32>
// IR:      compress.nm_sparse_matmul {{.*}} {m = 4 : i64, n = 2 : i64} : tensor<5x100xf32>, tensor<2x50x16xf32>, tensor<2x50xi32> -> tensor<5x32xf32>
// IR:      compress.nm_sparse_matmul {{.*}} {m = 4 : i64, n = 1 : i64} : tensor<?x64xf32>, tensor<3x16x16xf32>, tensor<3x16xi32> -> tensor<?x48xf32>
// IR:      compress.nm_sparse_matmul {{.*}} {m = 2 : i64, n = 1 : i64} : tensor<3x34xf32>, tensor<1x17x16xf32>, tensor<1x17xi32>
// IR:      compress.nm_sparse_matmul
// IR:      compress.nm_sparse_matmul {{.*}} scales({{.*}} : tensor<40xf32>) {m = 4 : i64, n = 2 : i64} : tensor<2x96xf32>, tensor<3x48x16xi8>, tensor<3x48xi32> -> tensor<2x40xf32>
// IR-NOT:  linalg.matmul
// IR-NOT:  compress.dequantize
// DEFINE: %{opts} = cpu=native
// DEFINE: %{env} = env
// DEFINE: %{run} = %{env} compress-run %t/sparse.mlir --compress-to-llvm-options="%{opts}"
// DEFINE: %{check} = %{run} -e one_row --input %t/x_one_row.npy --output %t/y_one_row.npy && \
// DEFINE:   %{run} -e five_rows --input %t/x_five_rows.npy --output %t/y_five_rows.npy && \
// DEFINE:   %{run} -e dynamic --input %t/x_dynamic.npy --output %t/y_dynamic.npy && \
// DEFINE:   %{run} -e half --input %t/x_half.npy --output %t/y_half.npy && \
// DEFINE:   %{run} -e accumulate --input %t/x_accumulate.npy --input %t/c_accumulate.npy --output %t/y_accumulate.npy && \
// DEFINE:   %{run} -e codes --input %t/x_codes.npy --output %t/y_codes.npy && \
// DEFINE:   %python %s.py check %t | FileCheck %s
// RUN: %{check}
// REDEFINE: %{opts} = cpu=x86-64-v3
// RUN: %{check}
// Two threads: LeakSanitizer cannot trace the OpenMP threads.
// REDEFINE: %{opts} = threads=2
// REDEFINE: %{env} = %no_leak_check
// RUN: %{check}
// CHECK: one_row exact
// CHECK: five_rows exact
// CHECK: dynamic exact
// CHECK: half exact
// CHECK: accumulate exact
// CHECK: codes exact
