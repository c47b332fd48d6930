// End to end: the bundled digits MLP (examples/digits/mlp.mlir,
// @predict(tensor<?x64xf32>) -> tensor<?x10xf32>) run by compress-run on the
// 360 held-out images, scored by examples/digits/evaluate.py against the
// labels and against the logits of an independent float32 numpy forward pass.
//
// Tolerance: the numpy reference itself is up to 6.2e-6 (absolute) away from
// a float64 forward pass over the same weights, i.e. at 0.21 of
// rtol = atol = 1e-5; a correct float32 lowering that sums in another order
// lands within about twice that, so 1e-5 keeps a margin of ~2.5x while
// catching any real numerical change. The smallest top-1/top-2 logit gap is
// 0.011, so logits within tolerance give exactly the recorded accuracy
// (reference.json: 348/360).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: compress-run %examples/digits/mlp.mlir -e predict \
// RUN:   --input %examples/digits/test_x.npy --output %t/logits.npy
// RUN: %python %examples/digits/evaluate.py %t/logits.npy %examples/digits/test_y.npy \
// RUN:   --min-accuracy 0.95 --reference %examples/digits/reference_mlp_logits.npy \
// RUN:   --rtol 1e-5 --atol 1e-5 | FileCheck %s
//
// Generic x86-64 code and LLVM -O0 give the same logits.
// RUN: compress-run %examples/digits/mlp.mlir -e predict -O0 \
// RUN:   --compress-to-llvm-options=cpu=x86-64 \
// RUN:   --input %examples/digits/test_x.npy --output %t/logits-generic.npy
// RUN: %python %examples/digits/evaluate.py %t/logits-generic.npy %examples/digits/test_y.npy \
// RUN:   --min-accuracy 0.95 --reference %examples/digits/reference_mlp_logits.npy \
// RUN:   --rtol 1e-5 --atol 1e-5 | FileCheck %s
//
// Other batch sizes (the batch dimension is dynamic): 1 and 7 images.
// RUN: %python -c "import numpy as np; \
// RUN:   x = np.load('%examples/digits/test_x.npy'); \
// RUN:   y = np.load('%examples/digits/test_y.npy'); \
// RUN:   r = np.load('%examples/digits/reference_mlp_logits.npy'); \
// RUN:   [(np.save('%t/x' + str(n) + '.npy', x[5:5 + n]), np.save('%t/y' + str(n) + '.npy', y[5:5 + n]), \
// RUN:     np.save('%t/ref' + str(n) + '.npy', r[5:5 + n])) for n in (1, 7)]"
// RUN: compress-run %examples/digits/mlp.mlir -e predict --input %t/x1.npy --output %t/logits1.npy
// RUN: %python %examples/digits/evaluate.py %t/logits1.npy %t/y1.npy \
// RUN:   --reference %t/ref1.npy --rtol 1e-5 --atol 1e-5 | FileCheck %s --check-prefix=BATCH1
// RUN: compress-run %examples/digits/mlp.mlir -e predict --input %t/x7.npy --output %t/logits7.npy
// RUN: %python %examples/digits/evaluate.py %t/logits7.npy %t/y7.npy \
// RUN:   --reference %t/ref7.npy --rtol 1e-5 --atol 1e-5 | FileCheck %s --check-prefix=BATCH7
//
// Printed (not written) results have the logits' shape.
// RUN: compress-run %examples/digits/mlp.mlir -e predict --input %t/x1.npy \
// RUN:   | FileCheck %s --check-prefix=PRINT

//      CHECK: accuracy: 0.9667 (348/360)
// CHECK-NEXT: max abs diff: {{[0-9.e+-]+}}
// CHECK-NEXT: max rel diff: {{[0-9.e+-]+}}

// BATCH1: accuracy: {{[01]\.[0-9]+}} ({{[01]}}/1)
// BATCH7: accuracy: {{[01]\.[0-9]+}} ({{[0-7]}}/7)

//      PRINT: result #0: tensor<?x10xf32> (shape [1, 10])
// PRINT-NEXT: {{\[\[}}{{([-0-9.e+]+, ){9}[-0-9.e+]+}}]]
