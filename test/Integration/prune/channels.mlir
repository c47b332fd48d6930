// compress-prune structure=channel against an independent numpy
// implementation (%s.py): a network with a residual add, a batch norm, a
// depthwise convolution, a concat, max pooling and a flatten into the
// classifier; the channels numpy chooses are sliced out of the original
// weights (with method=reconstruct, after compensating each consumer by
// least squares on the calibration Gram matrices), the pruned network runs
// in numpy and must give what the compiled pruned model gives, to 1e-4.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-run %t/model.mlir -e predict --input %t/x.npy --output %t/dense.npy
// RUN: compress-opt %t/model.mlir --compress-instrument -o %t/instrumented.mlir
// RUN: compress-run %t/instrumented.mlir -e predict --input %t/calib_0.npy --input %t/calib_1.npy \
// RUN:   --input %t/calib_2.npy --input %t/calib_3.npy --input %t/calib_4.npy --input %t/calib_5.npy \
// RUN:   --input %t/calib_6.npy --input %t/calib_7.npy --calibration-out %t/c.json --output %t/unused.npy
//
// DEFINE: %{options} = sparsity=0.25
// DEFINE: %{check} = compress-opt %t/model.mlir --compress-prune="structure=channel %{options}" -o %t/pruned.mlir && \
// DEFINE:   compress-run %t/pruned.mlir -e predict --input %t/x.npy --output %t/pruned.npy && \
// DEFINE:   %python %s.py check %t %t/pruned.npy "%{options}" | FileCheck %s
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.5
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.25 method=reconstruct calibration=%t/c.json
// RUN: %{check}
// REDEFINE: %{options} = sparsity=0.5 method=reconstruct calibration=%t/c.json damp=0.1
// RUN: %{check}
//
// Nothing removed: the model is unchanged.
// RUN: compress-opt %t/model.mlir --compress-prune="structure=channel sparsity=0" -o %t/same.mlir
// RUN: compress-run %t/same.mlir -e predict --input %t/x.npy --output %t/same.npy
// RUN: %python -c "import numpy as n, sys; sys.exit(not n.array_equal(n.load('%t/same.npy'), n.load('%t/dense.npy')))"
//
// CHECK: channels match
