// compress-prune method=reconstruct against an independent numpy
// implementation of the same algorithms (%s.py, on the Gram matrices of
// the calibration file): the same weights are removed and the remaining
// ones agree to 1e-4 of the largest weight, for a matmul (24 -> 12) and a
// 3x3 NCHW convolution (8 -> 4 channels; n:m along the input channels),
// unstructured, n:m and block structures, with greedy OBS (the default for
// layers this small) and SparseGPT (solver=sparsegpt). The OBS result is
// also the least-squares optimum for its zeros (solved directly), and the
// least-squares error ||(W - W')X|| over the calibration inputs is below
// that of magnitude pruning to as many zeros.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-instrument -o %t/instrumented.mlir
// RUN: compress-run %t/instrumented.mlir -e predict --input %t/x.npy --input %t/img.npy \
// RUN:   --calibration-out %t/c.json --output %t/y.npy --output %t/yc.npy
//
// DEFINE: %{options} = sparsity=0.5
// DEFINE: %{magnitude} = sparsity=0.5
// DEFINE: %{check} = compress-opt %t/model.mlir --compress-prune="%{options} method=reconstruct calibration=%t/c.json" -o %t/pruned.mlir && \
// DEFINE:   compress-opt %t/model.mlir --compress-prune="%{magnitude}" -o %t/magnitude.mlir && \
// DEFINE:   %python %s.py check %t %t/pruned.mlir %t/magnitude.mlir "%{options}" | FileCheck %s
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.8
// REDEFINE: %{magnitude} = sparsity=0.8
// RUN: %{check}
// REDEFINE: %{options} = structure=n:m n=2 m=4
// REDEFINE: %{magnitude} = structure=n:m n=2 m=4
// RUN: %{check}
// REDEFINE: %{options} = structure=n:m n=1 m=4
// REDEFINE: %{magnitude} = structure=n:m n=1 m=4
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.5 structure=block block=2x2
// REDEFINE: %{magnitude} = sparsity=0.5 structure=block block=2x2
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.6 damp=0.1
// REDEFINE: %{magnitude} = sparsity=0.6
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.5 structure=block block=2x2 solver=sparsegpt
// REDEFINE: %{magnitude} = sparsity=0.5 structure=block block=2x2
// RUN: %{check} --check-prefix=FAST
// REDEFINE: %{options} = sparsity=0.7 solver=sparsegpt
// REDEFINE: %{magnitude} = sparsity=0.7
// RUN: %{check} --check-prefix=FAST
// REDEFINE: %{options} = structure=n:m n=2 m=4 solver=sparsegpt
// REDEFINE: %{magnitude} = structure=n:m n=2 m=4
// RUN: %{check} --check-prefix=FAST
// CHECK: matmul optimal
// CHECK: matmul matches
// CHECK: matmul better
// CHECK: conv optimal
// CHECK: conv matches
// CHECK: conv better
// FAST: matmul matches
// FAST: conv matches
