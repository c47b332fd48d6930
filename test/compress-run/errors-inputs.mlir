// compress-run checks the --input and --output files against the signature
// of the called function before compiling, and fails with a message (exit
// code 1, no crash) on a mismatch.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/f32_2x3.npy', np.zeros((2, 3), dtype=np.float32)); \
// RUN:   np.save('%t/f64_2x3.npy', np.zeros((2, 3), dtype=np.float64)); \
// RUN:   np.save('%t/f16_2x3.npy', np.zeros((2, 3), dtype=np.float16)); \
// RUN:   np.save('%t/i32_2x3.npy', np.zeros((2, 3), dtype=np.int32)); \
// RUN:   np.save('%t/u32_2x3.npy', np.zeros((2, 3), dtype=np.uint32)); \
// RUN:   np.save('%t/bool_2x3.npy', np.zeros((2, 3), dtype=np.bool_)); \
// RUN:   np.save('%t/f32_3x2.npy', np.zeros((3, 2), dtype=np.float32)); \
// RUN:   np.save('%t/f32_6.npy', np.zeros((6,), dtype=np.float32)); \
// RUN:   np.save('%t/f32_1x2x3.npy', np.zeros((1, 2, 3), dtype=np.float32)); \
// RUN:   np.save('%t/f32_0d.npy', np.float32(1)); \
// RUN:   np.save('%t/f32_2.npy', np.zeros((2,), dtype=np.float32)); \
// RUN:   np.save('%t/f32_1x1.npy', np.zeros((1, 1), dtype=np.float32)); \
// RUN:   np.save('%t/f32_0.npy', np.zeros((0,), dtype=np.float32)); \
// RUN:   np.save('%t/i64_0d.npy', np.int64(1)); \
// RUN:   np.save('%t/f32_2x4.npy', np.zeros((2, 4), dtype=np.float32))"

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Wrong number of inputs.
// RUN: not compress-run %s -e add 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy 2>&1 | FileCheck %s --check-prefix=FEW
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy --input %t/f32_2x3.npy \
// RUN:   --input %t/f32_2x3.npy 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: not compress-run %s -e nullary --input %t/f32_2x3.npy 2>&1 | FileCheck %s --check-prefix=NULLARY
// NONE: compress-run: error: '@add' takes 2 argument(s) but 0 --input file(s) were given
// FEW: compress-run: error: '@add' takes 2 argument(s) but 1 --input file(s) were given
// MANY: compress-run: error: '@add' takes 2 argument(s) but 3 --input file(s) were given
// NULLARY: compress-run: error: '@nullary' takes 0 argument(s) but 1 --input file(s) were given
func.func @nullary() -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  return %c : tensor<2xf32>
}

// Wrong number of outputs (none is fine: the results are printed).
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy --input %t/f32_2x3.npy \
// RUN:   --output %t/o1.npy --output %t/o2.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS
// RUN: not compress-run %s -e two_results --output %t/o1.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS2
// RUN: not compress-run %s -e no_result --output %t/o1.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS0
// OUTPUTS: compress-run: error: '@add' returns 1 result(s) but 2 --output file(s) were given
// OUTPUTS2: compress-run: error: '@two_results' returns 2 result(s) but 1 --output file(s) were given
// OUTPUTS0: compress-run: error: '@no_result' returns 0 result(s) but 1 --output file(s) were given
func.func @two_results() -> (f32, f32) {
  %c = arith.constant 1.0 : f32
  return %c, %c : f32, f32
}
func.func @no_result() {
  return
}

// An --output file that cannot be created.
// RUN: not compress-run %s -e two_results --output %t/missing-dir/o1.npy \
// RUN:   --output %t/o2.npy 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: compress-run: error: cannot write '{{.*}}missing-dir{{/|\\}}o1.npy': {{.*}}

// Wrong dtype.
// RUN: not compress-run %s -e add --input %t/f64_2x3.npy --input %t/f32_2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE-F64
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy --input %t/f16_2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE-F16
// RUN: not compress-run %s -e add --input %t/i32_2x3.npy --input %t/f32_2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE-I32
// RUN: not compress-run %s -e add_i32 --input %t/u32_2x3.npy 2>&1 | FileCheck %s --check-prefix=DTYPE-U32
// RUN: not compress-run %s -e add_i32 --input %t/bool_2x3.npy 2>&1 | FileCheck %s --check-prefix=DTYPE-BOOL
// RUN: not compress-run %s -e scalar --input %t/i64_0d.npy 2>&1 | FileCheck %s --check-prefix=DTYPE-SCALAR
// DTYPE-F64: compress-run: error: input #0 ('{{.*}}f64_2x3.npy') has dtype float64 but '@add' expects float32 for tensor<2x3xf32>
// DTYPE-F16: compress-run: error: input #1 ('{{.*}}f16_2x3.npy') has dtype float16 but '@add' expects float32 for tensor<2x3xf32>
// DTYPE-I32: compress-run: error: input #0 ('{{.*}}i32_2x3.npy') has dtype int32 but '@add' expects float32 for tensor<2x3xf32>
// DTYPE-U32: compress-run: error: input #0 ('{{.*}}u32_2x3.npy') has dtype uint32 but '@add_i32' expects int32 for tensor<2x3xi32>
// DTYPE-BOOL: compress-run: error: input #0 ('{{.*}}bool_2x3.npy') has dtype bool but '@add_i32' expects int32 for tensor<2x3xi32>
// DTYPE-SCALAR: compress-run: error: input #0 ('{{.*}}i64_0d.npy') has dtype int64 but '@scalar' expects float32 for f32
func.func @add_i32(%a: tensor<2x3xi32>) -> tensor<2x3xi32> {
  return %a : tensor<2x3xi32>
}

// Wrong shape or rank.
// RUN: not compress-run %s -e add --input %t/f32_3x2.npy --input %t/f32_2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy --input %t/f32_6.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANK1
// RUN: not compress-run %s -e add --input %t/f32_2x3.npy --input %t/f32_1x2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANK3
// RUN: not compress-run %s -e add --input %t/f32_0d.npy --input %t/f32_2x3.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANK0
// RUN: not compress-run %s -e dynamic --input %t/f32_2x4.npy 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not compress-run %s -e dynamic --input %t/f32_6.npy 2>&1 | FileCheck %s --check-prefix=DYNAMIC-RANK
// SHAPE: compress-run: error: input #0 ('{{.*}}f32_3x2.npy') has shape [3x2] but '@add' expects tensor<2x3xf32>
// RANK1: compress-run: error: input #1 ('{{.*}}f32_6.npy') has shape [6] but '@add' expects tensor<2x3xf32>
// RANK3: compress-run: error: input #1 ('{{.*}}f32_1x2x3.npy') has shape [1x2x3] but '@add' expects tensor<2x3xf32>
// RANK0: compress-run: error: input #0 ('{{.*}}f32_0d.npy') has shape [] but '@add' expects tensor<2x3xf32>
// DYNAMIC: compress-run: error: input #0 ('{{.*}}f32_2x4.npy') has shape [2x4] but '@dynamic' expects tensor<?x3xf32>
// DYNAMIC-RANK: compress-run: error: input #0 ('{{.*}}f32_6.npy') has shape [6] but '@dynamic' expects tensor<?x3xf32>
func.func @dynamic(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %a : tensor<?x3xf32>
}

// A scalar argument needs exactly one value (a 0-d or 1-element 1-d array).
// RUN: not compress-run %s -e scalar --input %t/f32_2.npy 2>&1 | FileCheck %s --check-prefix=SCALAR-2
// RUN: not compress-run %s -e scalar --input %t/f32_1x1.npy 2>&1 | FileCheck %s --check-prefix=SCALAR-1x1
// RUN: not compress-run %s -e scalar --input %t/f32_0.npy 2>&1 | FileCheck %s --check-prefix=SCALAR-0
// RUN: not compress-run %s -e scalar --input %t/f32_2x3.npy 2>&1 | FileCheck %s --check-prefix=SCALAR-2x3
// SCALAR-2: compress-run: error: input #0 ('{{.*}}f32_2.npy') must hold a single value for scalar type f32
// SCALAR-1x1: compress-run: error: input #0 ('{{.*}}f32_1x1.npy') must hold a single value for scalar type f32
// SCALAR-0: compress-run: error: input #0 ('{{.*}}f32_0.npy') must hold a single value for scalar type f32
// SCALAR-2x3: compress-run: error: input #0 ('{{.*}}f32_2x3.npy') must hold a single value for scalar type f32
func.func @scalar(%x: f32) -> f32 {
  return %x : f32
}

// A missing or unreadable .npy file.
// RUN: not compress-run %s -e scalar --input %t/does-not-exist.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not compress-run %s -e scalar --input %t 2>&1 | FileCheck %s --check-prefix=DIRECTORY
// MISSING: compress-run: error: cannot read '{{.*}}does-not-exist.npy': {{[Nn]}}o such file or directory
// DIRECTORY: compress-run: error: cannot read '{{.*}}': {{.+}}
