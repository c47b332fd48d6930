// compress-run --repeat must print the same results as a single call, also
// for functions that bufferize in place into their argument buffers
// (function arguments are writable under one-shot bufferization with
// function boundaries, so @increment adds 1 to the argument buffer and
// returns a copy of it).
//
// Regression test: compress-run once filled the argument buffers once and
// reused them for every call, so --repeat 3 (4 calls) printed [5, 6, 7] for
// @increment instead of [2, 3, 4]. Inputs are now copied before every call.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/v.npy', np.array([1.0, 2.0, 3.0], dtype=np.float32)); \
// RUN:   np.save('%t/one.npy', np.float32(1.0))"
// RUN: compress-run %s -e increment --input %t/v.npy | FileCheck %s --check-prefix=INC
// RUN: compress-run %s -e increment --input %t/v.npy --repeat 3 | FileCheck %s --check-prefix=INC
// RUN: compress-run %s -e increment --input %t/v.npy --repeat 3 --output %t/inc.npy
// RUN: %python -c "import numpy as np; print(np.load('%t/inc.npy').tolist())" \
// RUN:   | FileCheck %s --check-prefix=INC-NPY
// RUN: compress-run %s -e bump_first --input %t/v.npy --input %t/one.npy --repeat 3 \
// RUN:   | FileCheck %s --check-prefix=BUMP

//      INC: result #0: tensor<3xf32>
// INC-NEXT: [2, 3, 4]
// INC-NPY: [2.0, 3.0, 4.0]
func.func @increment(%a: tensor<3xf32>) -> tensor<3xf32> {
  %one = arith.constant 1.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      outs(%a : tensor<3xf32>) {
  ^bb0(%o: f32):
    %m = arith.addf %o, %one : f32
    linalg.yield %m : f32
  } -> tensor<3xf32>
  return %r : tensor<3xf32>
}

//      BUMP: result #0: tensor<3xf32>
// BUMP-NEXT: [2, 2, 3]
func.func @bump_first(%a: tensor<3xf32>, %v: f32) -> tensor<3xf32> {
  %c0 = arith.constant 0 : index
  %x = tensor.extract %a[%c0] : tensor<3xf32>
  %s = arith.addf %x, %v : f32
  %r = tensor.insert %s into %a[%c0] : tensor<3xf32>
  return %r : tensor<3xf32>
}
