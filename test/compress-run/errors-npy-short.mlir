// A file that starts with a valid .npy magic string and version but ends
// before the header length is a truncated file, not a file with a bad magic
// string.
//
// Regression test: this 9-byte file once was reported as having a bad magic
// string.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_npy_cases.py %t
// RUN: not compress-run %s -e f --input %t/short-prefix.npy 2>&1 | FileCheck %s

// CHECK: compress-run: error: invalid .npy file '{{.*}}short-prefix.npy': truncated header
func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
