// compress-cp-decompose method=svd on a batch_matmul with a constant 3 x
// 12 x 8 weight against numpy (%s.py): each batch's factors are its
// truncated SVD at the common rank; at full rank the factored layer
// computes the dense outputs to 1e-4 (compiled and run); the recorded
// error is the whole weight's; tolerance=0.2 takes the largest of the
// batches' ranks.
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
