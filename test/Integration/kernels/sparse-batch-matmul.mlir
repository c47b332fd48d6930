// Batch matmuls with constant 90%-zero B x K x N weights run as one
// compress.sparse_matmul on the block-diagonal (B x K) x (B x N) weight of
// their batches (forced with min-sparsity=0.5) and are compared exactly
// with numpy (%s.py: small integers, every sum exact in f32): 3 batches,
// a dynamic number of rows, 4 x 300 reduction rows stored by blocks of
// rows that cut through the batches (accumulated into an init), one batch,
// and weight-only int8 weights (compress.dequantize of codes, per column
// and per tensor) that keep their codes and scales. Every batch has an
// empty column. On AVX-512 (the host's), AVX2 (cpu=x86-64-v3) and two
// threads.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-sparsify=min-sparsity=0.5 -o %t/sparse.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/sparse.mlir
// IR-LABEL: func.func @b3
// IR:         linalg.transpose ins(%{{.*}} : tensor<3x5x40xf32>) outs(%{{.*}} : tensor<3x40x5xf32>) permutation = [0, 2, 1]
// IR-NEXT:    tensor.collapse_shape {{.*}} {{\[}}[0, 1], [2]] : tensor<3x40x5xf32> into tensor<120x5xf32>
// IR-NEXT:    compress.sparse_matmul {{.*}} {group = 4 : i64} : tensor<120x5xf32>, tensor<73xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xf32> -> tensor<72x5xf32>
// IR-NEXT:    tensor.expand_shape {{.*}} {{\[}}[0, 1], [2]] output_shape [3, 24, 5] : tensor<72x5xf32> into tensor<3x24x5xf32>
// IR:         linalg.transpose {{.*}} permutation = [0, 2, 1]
// IR-LABEL: func.func @dyn
// IR:         compress.sparse_matmul {{.*}} : tensor<128x?xf32>, {{.*}} -> tensor<32x?xf32>
// IR-LABEL: func.func @blocked
// IR:         compress.sparse_matmul {{.*}} {group = 4 : i64, rows_per_block = 1024 : i64} : tensor<1200x8xf32>, tensor<161xi32>
// IR-LABEL: func.func @int8col
// IR:         compress.sparse_matmul {{.*}} scales({{.*}} : tensor<32xf32>) {group = 4 : i64} : tensor<96x3xf32>, tensor<33xi32>, tensor<{{[0-9]+}}xi16>, tensor<{{[0-9]+}}xi8> -> tensor<32x3xf32>
// IR-LABEL: func.func @int8tensor
// IR:         compress.sparse_matmul {{.*}} scales({{.*}} : tensor<24xf32>)
// Nothing left dense, anywhere in the module:
// RUN: FileCheck %s --check-prefix=NONE-LEFT < %t/sparse.mlir
// NONE-LEFT-NOT: linalg.batch_matmul
// NONE-LEFT-NOT: compress.dequantize
// DEFINE: %{opts} = cpu=native
// DEFINE: %{env} = env
// DEFINE: %{run} = %{env} compress-run %t/sparse.mlir --compress-to-llvm-options="%{opts}"
// DEFINE: %{check} = %{run} -e b3 --input %t/x_b3.npy --output %t/y_b3.npy && \
// DEFINE:   %{run} -e dyn --input %t/x_dyn.npy --output %t/y_dyn.npy && \
// DEFINE:   %{run} -e blocked --input %t/x_blocked.npy --input %t/c_blocked.npy --output %t/y_blocked.npy && \
// DEFINE:   %{run} -e one --input %t/x_one.npy --output %t/y_one.npy && \
// DEFINE:   %{run} -e int8col --input %t/x_int8col.npy --output %t/y_int8col.npy && \
// DEFINE:   %{run} -e int8tensor --input %t/x_int8tensor.npy --input %t/c_int8tensor.npy --output %t/y_int8tensor.npy && \
// DEFINE:   %python %s.py check %t | FileCheck %s
// RUN: %{check}
// REDEFINE: %{opts} = cpu=x86-64-v3
// RUN: %{check}
// Two threads: LeakSanitizer cannot trace the OpenMP threads.
// REDEFINE: %{opts} = threads=2
// REDEFINE: %{env} = %no_leak_check
// RUN: %{check}
// CHECK: b3 exact
// CHECK: dyn exact
// CHECK: blocked exact
// CHECK: one exact
// CHECK: int8col exact
// CHECK: int8tensor exact
