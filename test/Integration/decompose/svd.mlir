// compress-cp-decompose method=svd against an independent numpy solution
// of the same problems (%s.py) on a two-layer MLP (24 -> 16 -> 10):
//  - at full rank the factored model computes the dense model's outputs to
//    1e-4 relative (compiled and run);
//  - at ranks 2, 4 and 8 each layer's factor product A B is numpy's
//    truncated SVD (to 1e-4 of the largest weight) and the recorded weight
//    error is numpy's; the error falls as the rank grows;
//  - tolerance=0.3 picks, per layer, the smallest rank whose numpy error is
//    within it;
//  - whitened (calibration Gram matrices): the product is numpy's SVD of
//    C^T W mapped back by C^-T (H + lambda I = C C^T), the recorded weight
//    and output errors are numpy's, for two dampings; and its output error
//    over the calibration inputs is below the plain factors' at the same
//    rank.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-instrument -o %t/instrumented.mlir
// RUN: compress-run %t/instrumented.mlir -e predict --input %t/x.npy --calibration-out %t/c.json --output %t/unused.npy
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="rank-ratio=1 only-faster=false" -o %t/full.mlir
// RUN: compress-run %t/model.mlir -e predict --input %t/xt.npy --output %t/y_dense.npy
// RUN: compress-run %t/full.mlir -e predict --input %t/xt.npy --output %t/y_full.npy
// RUN: %python %s.py full %t %t/y_dense.npy %t/y_full.npy | FileCheck %s --check-prefix=FULL
// FULL: full rank matches
//
// DEFINE: %{rank} = 2
// DEFINE: %{check} = compress-opt %t/model.mlir --compress-cp-decompose="rank=%{rank} only-faster=false" -o %t/r%{rank}.mlir && \
// DEFINE:   %python %s.py check %t %t/r%{rank}.mlir %{rank} | FileCheck %s
// RUN: %{check}
// REDEFINE: %{rank} = 4
// RUN: %{check}
// REDEFINE: %{rank} = 8
// RUN: %{check}
// CHECK: predict/0 matches
// CHECK: predict/0 errors match
// CHECK: predict/1 matches
// CHECK: predict/1 errors match
// RUN: %python %s.py ranks %t %t/r2.mlir %t/r4.mlir %t/r8.mlir | FileCheck %s --check-prefix=RANKS
// RANKS: error decreases
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="tolerance=0.3 only-faster=false" -o %t/tol.mlir
// RUN: %python %s.py tolerance %t %t/tol.mlir 0.3 | FileCheck %s --check-prefix=TOL
// TOL: tolerance rank matches
//
// DEFINE: %{damp} = 0.01
// DEFINE: %{whitened} = compress-opt %t/model.mlir --compress-cp-decompose="rank=4 only-faster=false calibration=%t/c.json damp=%{damp}" -o %t/w%{damp}.mlir && \
// DEFINE:   %python %s.py check %t %t/w%{damp}.mlir 4 whitened %{damp} | FileCheck %s
// RUN: %{whitened}
// REDEFINE: %{damp} = 0.5
// RUN: %{whitened}
// RUN: %python %s.py better %t %t/r4.mlir %t/w0.01.mlir | FileCheck %s --check-prefix=BETTER
// BETTER: whitened better
