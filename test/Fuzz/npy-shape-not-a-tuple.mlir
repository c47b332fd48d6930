// Regression test for two inputs compress-fuzz-npy found: a .npy header whose
// 'shape' is not a tuple was read as a 0-d array, and an empty one failed an
// assertion (StringRef::drop_front) in builds with assertions. Both are now
// rejected with a message, by the fuzz target's checks and by compress-run.
// RUN: %python -c "import sys; h = b\"{'descr': '<f4', 'fortran_order': False, 'shape': 7, }\"; sys.stdout.buffer.write(b'\x93NUMPY\x01\x00' + bytes([len(h), 0]) + h + b'\0\0\0\0')" > %t.scalar.npy
// RUN: compress-fuzz-npy %t.scalar.npy
// RUN: not compress-run %s -e f --input %t.scalar.npy 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: compress-run: error: invalid .npy file '{{.*}}scalar.npy': malformed shape '7' (expected a tuple)
// RUN: %python -c "import sys; h = b\"{'descr': '<f4', 'fortran_order': False, 'shape': , }\"; sys.stdout.buffer.write(b'\x93NUMPY\x01\x00' + bytes([len(h), 0]) + h + b'\0\0\0\0')" > %t.empty.npy
// RUN: compress-fuzz-npy %t.empty.npy
// RUN: not compress-run %s -e f --input %t.empty.npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: compress-run: error: invalid .npy file '{{.*}}empty.npy': malformed

func.func @f(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
