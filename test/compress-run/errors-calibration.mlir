// compress-run --calibration-out rejects what it cannot do, with a clear
// message and exit status 1.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.ones((1, 2), np.float32))"

// A module without observers records nothing.
// RUN: not compress-run %s -e f --input %t/a.npy --calibration-out %t/c.json 2>&1 | FileCheck %s --check-prefix=NO-OBSERVE
// NO-OBSERVE: compress-run: error: --calibration-out: '{{.*}}errors-calibration.mlir' records nothing (no compress.observe ops; run compress-opt --compress-instrument first)

// RUN: compress-opt %s --compress-instrument -o %t/inst.mlir
// RUN: not compress-run %t/inst.mlir -e f --calibration-out %t/c.json 2>&1 | FileCheck %s --check-prefix=NO-INPUT
// NO-INPUT: compress-run: error: --calibration-out needs one or more groups of 1 --input file(s) (one per argument of '@f'), got 0

// RUN: not compress-run %t/inst.mlir -e f --input %t/a.npy --repeat 3 --calibration-out %t/c.json 2>&1 | FileCheck %s --check-prefix=REPEAT
// REPEAT: compress-run: error: --repeat cannot be combined with --calibration-out

// A later batch with the wrong shape is reported when it is read.
// RUN: %python -c "import numpy as np; np.save('%t/bad.npy', np.ones((1, 3), np.float32))"
// RUN: not compress-run %t/inst.mlir -e f --input %t/a.npy --input %t/bad.npy --calibration-out %t/c.json 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: compress-run: error: input #1 ('{{.*}}bad.npy') has shape [1x3] but '@f' expects tensor<?x2xf32>

// RUN: not compress-run %t/inst.mlir -e f --input %t/a.npy --calibration-out %t/missing-dir/c.json 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: compress-run: error: cannot open calibration file '{{.*}}missing-dir/c.json': {{.*}}

func.func @f(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
