// compress-cp-decompose method=svd on a batch_matmul with a constant 3 x
// 12 x 8 weight against numpy (%s.py): each batch's factors are its
// truncated SVD at the common rank; at full rank the factored layer
// computes the dense outputs to 1e-4 (compiled and run); the recorded
// error is the whole weight's; tolerance=0.2 takes the largest of the
// batches' ranks. With calibration (a (B K) square Gram matrix: batch b's
// inputs meet only W_b, so its diagonal block H_b counts), each batch's
// factors are its SVD whitened by H_b; the recorded output error is all
// batches' together, and below the plain factors'.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="rank=8 only-faster=false" -o %t/full.mlir
// RUN: compress-run %t/model.mlir -e predict --input %t/x.npy --output %t/dense.npy
// RUN: compress-run %t/full.mlir -e predict --input %t/x.npy --output %t/factored.npy
// RUN: %python %s.py full %t/dense.npy %t/factored.npy | FileCheck %s --check-prefix=FULL
// FULL: full rank matches
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="rank=3 only-faster=false" -o %t/r3.mlir
// RUN: %python %s.py check %t/r3.mlir 3 | FileCheck %s
// CHECK: batches match
// CHECK: error matches
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="tolerance=0.2 only-faster=false" -o %t/tol.mlir
// RUN: %python %s.py tolerance %t/tol.mlir 0.2 | FileCheck %s --check-prefix=TOL
// TOL: tolerance rank matches
// RUN: compress-opt %t/model.mlir --compress-instrument -o %t/inst.mlir
// RUN: compress-run %t/inst.mlir -e predict --input %t/xcal.npy --calibration-out %t/cal.json --output %t/unused.npy
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="rank=3 only-faster=false calibration=%t/cal.json" -o %t/w3.mlir
// RUN: %python %s.py whitened %t %t/w3.mlir %t/r3.mlir 3 0.01 | FileCheck %s --check-prefix=WHITENED
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="rank=3 only-faster=false calibration=%t/cal.json damp=0.5" -o %t/w3d.mlir
// RUN: %python %s.py whitened %t %t/w3d.mlir %t/r3.mlir 3 0.5 | FileCheck %s --check-prefix=WHITENED
// WHITENED: whitened batches match
// WHITENED: output error matches
// WHITENED: whitened better
