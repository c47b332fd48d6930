// compress-cp-decompose method=cp against an independent numpy CP-ALS of
// the same algorithm (conv_factors.py) on two convolutions whose kernels
// are of CP rank 4 plus noise: a padded NCHW 3x3 one (8 -> 12 channels)
// and a strided NHWC 3x3 one (6 -> 10 channels, dynamic batch):
//  - at full ranks the factored layers compute the dense ones' outputs to
//    1e-4 relative (compiled and run);
//  - at ranks 1, 2 and 4 the kernel the factors rebuild is numpy's (CP-ALS
//    from the same start) to 1e-3 of ||W||, the recorded weight error is
//    numpy's, and it falls as the rank grows (at rank 4, about the 1%
//    noise); the compiled factors compute
//    numpy's convolution by the rebuilt kernel;
//  - data-aware (calibration, each layer on its own): the output-side
//    factors are numpy's refit for the calibration Gram matrix given the
//    pass's input-side factors, for two dampings; the recorded output error
//    is numpy's and below the plain factors';
//  - tolerance=0.3 picks, per layer, a rank within it whose predecessor is
//    not (by numpy's errors).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/conv_factors.py make cp %t
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=cp rank=100 only-faster=false" -o %t/full.mlir
// RUN: compress-run %t/model.mlir -e nchw --input %t/x_nchw.npy --output %t/dense_nchw.npy
// RUN: compress-run %t/full.mlir -e nchw --input %t/x_nchw.npy --output %t/full_nchw.npy
// RUN: %python %S/conv_factors.py full %t/dense_nchw.npy %t/full_nchw.npy | FileCheck %s --check-prefix=FULL
// RUN: compress-run %t/model.mlir -e nhwc --input %t/x_nhwc.npy --output %t/dense_nhwc.npy
// RUN: compress-run %t/full.mlir -e nhwc --input %t/x_nhwc.npy --output %t/full_nhwc.npy
// RUN: %python %S/conv_factors.py full %t/dense_nhwc.npy %t/full_nhwc.npy | FileCheck %s --check-prefix=FULL
// FULL: full rank matches
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=cp rank=1 only-faster=false" -o %t/r1.mlir
// RUN: %python %S/conv_factors.py check cp %t/r1.mlir 1 1 | FileCheck %s
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=cp rank=2 only-faster=false" -o %t/r2.mlir
// RUN: %python %S/conv_factors.py check cp %t/r2.mlir 2 2 | FileCheck %s
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=cp rank=4 only-faster=false" -o %t/r4.mlir
// RUN: %python %S/conv_factors.py check cp %t/r4.mlir 4 4 | FileCheck %s
// RUN: %python %S/conv_factors.py recovers %t/r4.mlir 0.02 | FileCheck %s --check-prefix=RECOVERS
// RECOVERS: nchw recovers
// RECOVERS: nhwc recovers
// CHECK: nchw matches
// CHECK: nchw error matches
// CHECK: nhwc matches
// CHECK: nhwc error matches
// RUN: %python %S/conv_factors.py ranks %t/r1.mlir %t/r2.mlir %t/r4.mlir | FileCheck %s --check-prefix=RANKS
// RANKS: error decreases
//
// RUN: compress-run %t/r2.mlir -e nchw --input %t/x_nchw.npy --output %t/r2_nchw.npy
// RUN: %python %S/conv_factors.py output cp %t/r2.mlir nchw %t/x_nchw.npy %t/r2_nchw.npy | FileCheck %s --check-prefix=OUT
// RUN: compress-run %t/r2.mlir -e nhwc --input %t/x_nhwc.npy --output %t/r2_nhwc.npy
// RUN: %python %S/conv_factors.py output cp %t/r2.mlir nhwc %t/x_nhwc.npy %t/r2_nhwc.npy | FileCheck %s --check-prefix=OUT
// OUT: output matches
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=cp tolerance=0.3 only-faster=false" -o %t/tol.mlir
// RUN: %python %S/conv_factors.py tolerance cp %t/tol.mlir 0.3 | FileCheck %s --check-prefix=TOL
// TOL: tolerance ranks match
//
// DEFINE: %{layer} = nchw
// DEFINE: %{damp} = 0.01
// DEFINE: %{whitened} = compress-opt %t/model_%{layer}.mlir --compress-instrument -o %t/inst_%{layer}.mlir && \
// DEFINE:   compress-run %t/inst_%{layer}.mlir -e %{layer} --input %t/x_%{layer}.npy --calibration-out %t/c_%{layer}.json --output %t/unused.npy && \
// DEFINE:   compress-opt %t/model_%{layer}.mlir --compress-cp-decompose="method=cp rank=2 only-faster=false calibration=%t/c_%{layer}.json damp=%{damp}" -o %t/w_%{layer}.mlir && \
// DEFINE:   %python %S/conv_factors.py whitened cp %t %{layer} %t/w_%{layer}.mlir %t/r2.mlir %{damp} | FileCheck %s --check-prefix=WHITENED
// RUN: %{whitened}
// REDEFINE: %{damp} = 0.1
// RUN: %{whitened}
// REDEFINE: %{layer} = nhwc
// RUN: %{whitened}
// WHITENED: input side matches
// WHITENED: whitened matches
// WHITENED: output error matches
// WHITENED: whitened better
