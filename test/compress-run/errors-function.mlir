// compress-run fails with a message (exit code 1, no crash) when the module
// cannot be read or parsed, or when the entry function does not exist, is
// not callable (private, external) or has an argument or result type that
// has no .npy equivalent.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.zeros((2,), dtype=np.float32))"

// The module.
// RUN: not compress-run %t/does-not-exist.mlir -e f 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: compress-run: error: cannot open input file '{{.*}}does-not-exist.mlir': {{[Nn]}}o such file or directory
// RUN: echo "func.func @f( {" > %t/unparsable.mlir
// RUN: not compress-run %t/unparsable.mlir -e f 2>&1 | FileCheck %s --check-prefix=UNPARSABLE
// UNPARSABLE: unparsable.mlir:1:{{[0-9]+}}: error:
// UNPARSABLE: compress-run: error: cannot parse '{{.*}}unparsable.mlir'
// Parses, but does not verify.
// RUN: echo "func.func @f() -> i32 { %%0 = arith.constant 1 : i64 return %%0 : i64 }" > %t/invalid.mlir
// RUN: not compress-run %t/invalid.mlir -e f 2>&1 | FileCheck %s --check-prefix=INVALID
// INVALID: invalid.mlir:1:{{[0-9]+}}: error: type of return operand 0 ('i64') doesn't match function result type ('i32')
// INVALID: compress-run: error: cannot parse '{{.*}}invalid.mlir'
// RUN: not compress-run %s 2>&1 | FileCheck %s --check-prefix=NO-ENTRY
// NO-ENTRY: compress-run: for the -e option: must be specified at least once!

// The entry function.
// RUN: not compress-run %s -e missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: compress-run: error: function '@missing' not found in '{{.*}}errors-function.mlir'
// RUN: not compress-run %s -e private_fn --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=PRIVATE
// PRIVATE: compress-run: error: function '@private_fn' is private; compress-run calls public functions
// RUN: not compress-run %s -e external --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// EXTERNAL: compress-run: error: function '@external' has no body
// A global is not a function.
// RUN: not compress-run %s -e some_global 2>&1 | FileCheck %s --check-prefix=GLOBAL
// GLOBAL: compress-run: error: function '@some_global' not found in '{{.*}}errors-function.mlir'
func.func private @private_fn(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func private @external(%a: tensor<2xf32>) -> tensor<2xf32>
memref.global "private" constant @some_global : memref<2xf32> = dense<0.0>

// Argument types.
// RUN: not compress-run %s -e unranked --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=UNRANKED
// UNRANKED: compress-run: error: argument #0 has unsupported type tensor<*xf32> (only ranked tensors, memrefs and scalars)
func.func @unranked(%a: tensor<*xf32>) -> f32 {
  %c = arith.constant 0.0 : f32
  return %c : f32
}
// RUN: not compress-run %s -e unranked_memref --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=UNRANKED-MEMREF
// UNRANKED-MEMREF: compress-run: error: argument #0 has unsupported type memref<*xf32> (only ranked tensors, memrefs and scalars)
func.func @unranked_memref(%a: memref<*xf32>) {
  return
}
// RUN: not compress-run %s -e bf16 --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=BF16
// BF16: compress-run: error: argument #0 has element type bf16, which has no .npy equivalent
func.func @bf16(%a: tensor<2xbf16>) -> tensor<2xbf16> {
  return %a : tensor<2xbf16>
}
// RUN: not compress-run %s -e bf16_scalar --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=BF16-SCALAR
// BF16-SCALAR: compress-run: error: argument #0 has element type bf16, which has no .npy equivalent
func.func @bf16_scalar(%a: bf16) -> bf16 {
  return %a : bf16
}
// RUN: not compress-run %s -e i4 --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=I4
// I4: compress-run: error: argument #0 has element type i4, which has no .npy equivalent
func.func @i4(%a: tensor<2xi4>) -> tensor<2xi4> {
  return %a : tensor<2xi4>
}
// RUN: not compress-run %s -e vector --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=VECTOR
// VECTOR: compress-run: error: argument #0 has unsupported type vector<2xf32> (only ranked tensors, memrefs and scalars)
func.func @vector(%a: vector<2xf32>) -> vector<2xf32> {
  return %a : vector<2xf32>
}
// RUN: not compress-run %s -e complex --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// COMPLEX: compress-run: error: argument #0 has unsupported type complex<f32>
func.func @complex(%a: complex<f32>) -> complex<f32> {
  return %a : complex<f32>
}
// The second argument is the bad one.
// RUN: not compress-run %s -e second --input %t/x.npy --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=SECOND
// SECOND: compress-run: error: argument #1 has element type f8E4M3FN, which has no .npy equivalent
func.func @second(%a: tensor<2xf32>, %b: tensor<2xf8E4M3FN>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
// RUN: not compress-run %s -e strided --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=STRIDED
// STRIDED: compress-run: error: argument #0 has a non-identity layout: memref<2xf32, strided<[1], offset: ?>>
func.func @strided(%a: memref<2xf32, strided<[1], offset: ?>>) {
  return
}

// Result types.
// RUN: not compress-run %s -e unranked_result --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=UNRANKED-RESULT
// UNRANKED-RESULT: compress-run: error: result #0 has unsupported type tensor<*xf32> (only ranked tensors, memrefs and scalars)
func.func @unranked_result(%a: tensor<2xf32>) -> tensor<*xf32> {
  %u = tensor.cast %a : tensor<2xf32> to tensor<*xf32>
  return %u : tensor<*xf32>
}
// RUN: not compress-run %s -e bf16_result --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=BF16-RESULT
// BF16-RESULT: compress-run: error: result #1 has element type bf16, which has no .npy equivalent
func.func @bf16_result(%a: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xbf16>) {
  %e = tensor.empty() : tensor<2xbf16>
  %t = arith.truncf %a : tensor<2xf32> to tensor<2xbf16>
  return %a, %t : tensor<2xf32>, tensor<2xbf16>
}
// RUN: not compress-run %s -e strided_result --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=STRIDED-RESULT
// STRIDED-RESULT: compress-run: error: result #0 has a non-identity layout: memref<1xf32, strided<[1], offset: 1>>
func.func @strided_result(%a: memref<2xf32>) -> memref<1xf32, strided<[1], offset: 1>> {
  %s = memref.subview %a[1] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: 1>>
  return %s : memref<1xf32, strided<[1], offset: 1>>
}
