// compress-cp-decompose method=tucker2 against an independent numpy
// Tucker-2 of the same algorithm (conv_factors.py) on two convolutions: a padded
// NCHW 3x3 one (8 -> 12 channels) and a strided NHWC 3x3 one (6 -> 10
// channels, dynamic batch):
//  - at full ranks the factored layers compute the dense ones' outputs to
//    1e-4 relative (compiled and run);
//  - at ranks 1, 2 and 4 the kernel the factors rebuild is numpy's (HOSVD
//    then HOOI) to 1e-4 of ||W||, the recorded weight error is numpy's, and
//    it falls as the ranks grow; the compiled factors compute numpy's
//    convolution by the rebuilt kernel;
//  - data-aware (calibration, each layer on its own): the output-side
//    factors are numpy's refit for the calibration Gram matrix given the
//    pass's input-side factors, for two dampings; the recorded output error
//    is numpy's and below the plain factors';
//  - tolerance=0.3 picks, per layer, the rank pair of fewest multiply-adds
//    whose HOSVD error bound is within it.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/conv_factors.py make tucker2 %t
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=tucker2 rank=100 only-faster=false" -o %t/full.mlir
// RUN: compress-run %t/model.mlir -e nchw --input %t/x_nchw.npy --output %t/dense_nchw.npy
// RUN: compress-run %t/full.mlir -e nchw --input %t/x_nchw.npy --output %t/full_nchw.npy
// RUN: %python %S/conv_factors.py full %t/dense_nchw.npy %t/full_nchw.npy | FileCheck %s --check-prefix=FULL
// RUN: compress-run %t/model.mlir -e nhwc --input %t/x_nhwc.npy --output %t/dense_nhwc.npy
// RUN: compress-run %t/full.mlir -e nhwc --input %t/x_nhwc.npy --output %t/full_nhwc.npy
// RUN: %python %S/conv_factors.py full %t/dense_nhwc.npy %t/full_nhwc.npy | FileCheck %s --check-prefix=FULL
// FULL: full rank matches
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=tucker2 rank=1 only-faster=false" -o %t/r1.mlir
// RUN: %python %S/conv_factors.py check tucker2 %t/r1.mlir 1 1 1 1 | FileCheck %s
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=tucker2 rank=2 only-faster=false" -o %t/r2.mlir
// RUN: %python %S/conv_factors.py check tucker2 %t/r2.mlir 2 2 2 2 | FileCheck %s
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=tucker2 rank-ratio=0.5 only-faster=false" -o %t/r4.mlir
// RUN: %python %S/conv_factors.py check tucker2 %t/r4.mlir 4 6 3 5 | FileCheck %s
// CHECK: nchw matches
// CHECK: nchw error matches
// CHECK: nhwc matches
// CHECK: nhwc error matches
// RUN: %python %S/conv_factors.py ranks %t/r1.mlir %t/r2.mlir %t/r4.mlir | FileCheck %s --check-prefix=RANKS
// RANKS: error decreases
//
// RUN: compress-run %t/r2.mlir -e nchw --input %t/x_nchw.npy --output %t/r2_nchw.npy
// RUN: %python %S/conv_factors.py output tucker2 %t/r2.mlir nchw %t/x_nchw.npy %t/r2_nchw.npy | FileCheck %s --check-prefix=OUT
// RUN: compress-run %t/r2.mlir -e nhwc --input %t/x_nhwc.npy --output %t/r2_nhwc.npy
// RUN: %python %S/conv_factors.py output tucker2 %t/r2.mlir nhwc %t/x_nhwc.npy %t/r2_nhwc.npy | FileCheck %s --check-prefix=OUT
// OUT: output matches
//
// RUN: compress-opt %t/model.mlir --compress-cp-decompose="method=tucker2 tolerance=0.3 only-faster=false" -o %t/tol.mlir
// RUN: %python %S/conv_factors.py tolerance tucker2 %t/tol.mlir 0.3 | FileCheck %s --check-prefix=TOL
// TOL: tolerance ranks match
//
// DEFINE: %{layer} = nchw
// DEFINE: %{damp} = 0.01
// DEFINE: %{whitened} = compress-opt %t/model_%{layer}.mlir --compress-instrument -o %t/inst_%{layer}.mlir && \
// DEFINE:   compress-run %t/inst_%{layer}.mlir -e %{layer} --input %t/x_%{layer}.npy --calibration-out %t/c_%{layer}.json --output %t/unused.npy && \
// DEFINE:   compress-opt %t/model_%{layer}.mlir --compress-cp-decompose="method=tucker2 rank=2 only-faster=false calibration=%t/c_%{layer}.json damp=%{damp}" -o %t/w_%{layer}.mlir && \
// DEFINE:   %python %S/conv_factors.py whitened tucker2 %t %{layer} %t/w_%{layer}.mlir %t/r2.mlir %{damp} | FileCheck %s --check-prefix=WHITENED
// RUN: %{whitened}
// REDEFINE: %{damp} = 0.1
// RUN: %{whitened}
// REDEFINE: %{layer} = nhwc
// RUN: %{whitened}
// WHITENED: input side matches
// WHITENED: whitened matches
// WHITENED: output error matches
// WHITENED: whitened better
