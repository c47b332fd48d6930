// compress-run with several results of mixed kinds, and with results that
// alias arguments or constants: the deallocation pipeline hands back owned
// copies, so freeing them after each call (also with --repeat) must neither
// crash nor double free.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/v.npy', np.array([1.0, 2.0, 3.0, 4.5], dtype=np.float32)); \
// RUN:   np.save('%t/i16.npy', np.int16(-3)); \
// RUN:   np.save('%t/f16.npy', np.float16(0.5))"
//
// RUN: compress-run %s -e mixed --input %t/v.npy | FileCheck %s --check-prefix=MIXED
// RUN: compress-run %s -e mixed --input %t/v.npy --repeat 3 | FileCheck %s --check-prefix=MIXED
// RUN: compress-run %s -e mixed --input %t/v.npy --output %t/m0.npy --output %t/m1.npy --output %t/m2.npy
// RUN: %python -c "import numpy as np; \
// RUN:   [print(a.dtype, a.shape, a.tolist()) for a in [np.load('%t/m' + str(i) + '.npy') for i in range(3)]]" \
// RUN:   | FileCheck %s --check-prefix=MIXED-NPY
//      MIXED: result #0: tensor<4xf32>
// MIXED-NEXT: [-1, -2, -3, -4.5]
// MIXED-NEXT: result #1: f32
// MIXED-NEXT: 10.5
// MIXED-NEXT: result #2: tensor<2x2xi32>
// MIXED-NEXT: {{\[\[}}1, 2],
// MIXED-NEXT:  [3, 4]]
//      MIXED-NPY: float32 (4,) [-1.0, -2.0, -3.0, -4.5]
// MIXED-NPY-NEXT: float32 () 10.5
// MIXED-NPY-NEXT: int32 (2, 2) {{\[\[}}1, 2], [3, 4]]
func.func @mixed(%a: tensor<4xf32>) -> (tensor<4xf32>, f32, tensor<2x2xi32>) {
  %e = tensor.empty() : tensor<4xf32>
  %neg = linalg.negf ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %s0 = tensor.from_elements %zero : tensor<f32>
  %sum = linalg.reduce ins(%a : tensor<4xf32>) outs(%s0 : tensor<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %r = arith.addf %x, %acc : f32
      linalg.yield %r : f32
    }
  %s = tensor.extract %sum[] : tensor<f32>
  %i = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  return %neg, %s, %i : tensor<4xf32>, f32, tensor<2x2xi32>
}

// Scalars only, of different sizes (packed into one result struct).
// RUN: compress-run %s -e scalars --input %t/i16.npy --input %t/f16.npy | FileCheck %s --check-prefix=SCALARS
//      SCALARS: result #0: f16
// SCALARS-NEXT: 0.5
// SCALARS-NEXT: result #1: i16
// SCALARS-NEXT: -3
// SCALARS-NEXT: result #2: i8
// SCALARS-NEXT: 3
// SCALARS-NEXT: result #3: f64
// SCALARS-NEXT: -0.25
func.func @scalars(%a: i16, %b: f16) -> (f16, i16, i8, f64) {
  %c = arith.constant 3 : i8
  %d = arith.constant -0.25 : f64
  return %b, %a, %c, %d : f16, i16, i8, f64
}

// Returning the argument.
// RUN: compress-run %s -e identity --input %t/v.npy --repeat 3 | FileCheck %s --check-prefix=IDENTITY
//      IDENTITY: result #0: tensor<4xf32>
// IDENTITY-NEXT: [1, 2, 3, 4.5]
// IDENTITY-NEXT: @identity: median {{.*}} over 3 runs
func.func @identity(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// Returning a constant (a global after bufferization).
// RUN: compress-run %s -e constant --repeat 3 | FileCheck %s --check-prefix=CONSTANT
// RUN: compress-run %s -e constant --output %t/c.npy
// Writing over an existing file.
// RUN: compress-run %s -e constant --output %t/c.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/c.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=CONSTANT-NPY
//      CONSTANT: result #0: tensor<2xi64>
// CONSTANT-NEXT: [7, -7]
// CONSTANT-NEXT: @constant: median {{.*}} over 3 runs
// CONSTANT-NPY: int64 (2,) [7, -7]
func.func @constant() -> tensor<2xi64> {
  %c = arith.constant dense<[7, -7]> : tensor<2xi64>
  return %c : tensor<2xi64>
}

// The same argument or constant returned twice.
// RUN: compress-run %s -e argument_twice --input %t/v.npy --repeat 3 | FileCheck %s --check-prefix=ARG2
//      ARG2: result #0: tensor<4xf32>
// ARG2-NEXT: [1, 2, 3, 4.5]
// ARG2-NEXT: result #1: tensor<4xf32>
// ARG2-NEXT: [1, 2, 3, 4.5]
// ARG2-NEXT: @argument_twice: median {{.*}} over 3 runs
func.func @argument_twice(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  return %a, %a : tensor<4xf32>, tensor<4xf32>
}

// RUN: compress-run %s -e constant_twice --repeat 3 | FileCheck %s --check-prefix=CONST2
//      CONST2: result #0: tensor<3xf32>
// CONST2-NEXT: [1, 2.5, -3]
// CONST2-NEXT: result #1: tensor<3xf32>
// CONST2-NEXT: [1, 2.5, -3]
// CONST2-NEXT: @constant_twice: median {{.*}} over 3 runs
func.func @constant_twice() -> (tensor<3xf32>, tensor<3xf32>) {
  %c = arith.constant dense<[1.0, 2.5, -3.0]> : tensor<3xf32>
  return %c, %c : tensor<3xf32>, tensor<3xf32>
}

// Argument, constant and scalar in one result list.
// RUN: compress-run %s -e argument_constant_scalar --input %t/v.npy --repeat 2 \
// RUN:   | FileCheck %s --check-prefix=ACS
//      ACS: result #0: tensor<4xf32>
// ACS-NEXT: [1, 2, 3, 4.5]
// ACS-NEXT: result #1: index
// ACS-NEXT: 4
// ACS-NEXT: result #2: tensor<2xi64>
// ACS-NEXT: [7, -7]
func.func @argument_constant_scalar(%a: tensor<4xf32>) -> (tensor<4xf32>, index, tensor<2xi64>) {
  %c = arith.constant dense<[7, -7]> : tensor<2xi64>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<4xf32>
  return %a, %n, %c : tensor<4xf32>, index, tensor<2xi64>
}

// No results at all: nothing is printed (with --repeat only the timing).
// RUN: compress-run %s -e nothing | count 0
// RUN: compress-run %s -e nothing --repeat 2 | FileCheck %s --check-prefix=NOTHING
//      NOTHING: @nothing: median {{.*}} over 2 runs
//  NOTHING-NOT: result
func.func @nothing() {
  return
}
