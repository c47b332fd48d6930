// Columns stored by pairs (compress.sparse_matmul's `paired`, forced with
// min-shared-pairs=0 where the measured rule would take them only from 64
// activation rows) compute exactly what numpy does (%S/sparse-matmul.mlir.py
// with `paired`: half of the weights zero, small integers, every sum
// exact in f32): one activation row (scalar FMAs), 8 (8-lane vectors),
// 70 (blocks of rows, a masked chunk, tiles of 64 and 6 columns), a
// dynamic number, 64 x 512 x 400 at 2:4 (each thread transposing the
// activation for its tiles), an init accumulated into, and int8 codes.
// On AVX-512 (the host's), AVX2 (cpu=x86-64-v3) and two threads.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/sparse-matmul.mlir.py make %t paired
// RUN: compress-opt %t/model.mlir --compress-sparsify="min-sparsity=0.4 min-shared-pairs=0" -o %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/sparse.mlir
// IR-LABEL:   func.func @p1
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<96x1xf32>, tensor<61xi32>
// IR-LABEL:   func.func @p8
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<96x8xf32>, tensor<61xi32>
// IR-LABEL:   func.func @p70
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired, rows_per_block = 128 : i64} : tensor<300x70xf32>, tensor<316xi32>
// IR-LABEL:   func.func @pdyn
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired, rows_per_block = 128 : i64} : tensor<300x?xf32>, tensor<109xi32>
// IR-LABEL:   func.func @pnm
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired, rows_per_block = 128 : i64} : tensor<512x64xf32>, tensor<2401xi32>
// IR-LABEL:   func.func @pacc
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, paired} : tensor<64x4xf32>, tensor<37xi32>
// IR-LABEL:   func.func @int8p
// IR:         compress.sparse_matmul {{.*}} scales({{.*}}) {group = 4 : i64, paired, rows_per_block = 128 : i64} : tensor<300x64xf32>, tensor<145xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xi8>
// IR-NOT:     linalg.matmul
// DEFINE: %{opts} = cpu=native
// DEFINE: %{env} = env
// DEFINE: %{run} = %{env} compress-run %t/sparse.mlir --compress-to-llvm-options="%{opts}"
// DEFINE: %{check} = %{run} -e p1 --input %t/x_p1.npy --output %t/y_p1.npy && \
// DEFINE:   %{run} -e p8 --input %t/x_p8.npy --output %t/y_p8.npy && \
// DEFINE:   %{run} -e p70 --input %t/x_p70.npy --output %t/y_p70.npy && \
// DEFINE:   %{run} -e pdyn --input %t/x_pdyn.npy --output %t/y_pdyn.npy && \
// DEFINE:   %{run} -e pnm --input %t/x_pnm.npy --output %t/y_pnm.npy && \
// DEFINE:   %{run} -e pacc --input %t/x_pacc.npy --input %t/c_pacc.npy --output %t/y_pacc.npy && \
// DEFINE:   %{run} -e int8p --input %t/x_int8p.npy --output %t/y_int8p.npy && \
// DEFINE:   %python %S/sparse-matmul.mlir.py check %t paired | FileCheck %s
// RUN: %{check}
// REDEFINE: %{opts} = cpu=x86-64-v3
// RUN: %{check}
// Two threads: LeakSanitizer cannot trace the OpenMP threads.
// REDEFINE: %{opts} = threads=2
// REDEFINE: %{env} = %no_leak_check
// RUN: %{check}
// CHECK: p1 exact
// CHECK: p8 exact
// CHECK: p70 exact
// CHECK: pdyn exact
// CHECK: pnm exact
// CHECK: pacc exact
// CHECK: int8p exact
