// compress-run reads .npy files strictly: malformed files and layouts or
// dtypes it cannot pass to a function are rejected with a message naming
// the file and the problem (exit code 1, no crash). Valid version 2.0 and
// 3.0 files are read. The files come from Inputs/make_npy_cases.py, each a
// float32 [2, 3] array with a single defect.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_npy_cases.py %t
// RUN: not compress-run %s -e f --input %t/bad-magic.npy 2>&1 | FileCheck %s --check-prefix=BAD-MAGIC
// RUN: not compress-run %s -e f --input %t/empty.npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not compress-run %s -e f --input %t/text.npy 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: not compress-run %s -e f --input %t/truncated-header.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED-HEADER
// RUN: not compress-run %s -e f --input %t/truncated-data.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED-DATA
// RUN: not compress-run %s -e f --input %t/trailing-data.npy 2>&1 | FileCheck %s --check-prefix=TRAILING-DATA
// RUN: not compress-run %s -e f --input %t/not-dict.npy 2>&1 | FileCheck %s --check-prefix=NOT-DICT
// RUN: not compress-run %s -e f --input %t/version4.npy 2>&1 | FileCheck %s --check-prefix=VERSION4
// RUN: not compress-run %s -e f --input %t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// RUN: not compress-run %s -e f --input %t/big-endian.npy 2>&1 | FileCheck %s --check-prefix=BIG-ENDIAN
// RUN: not compress-run %s -e f --input %t/structured.npy 2>&1 | FileCheck %s --check-prefix=STRUCTURED
// RUN: not compress-run %s -e f --input %t/object.npy 2>&1 | FileCheck %s --check-prefix=OBJECT
// RUN: not compress-run %s -e f --input %t/unicode.npy 2>&1 | FileCheck %s --check-prefix=UNICODE
// RUN: not compress-run %s -e f --input %t/complex.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// RUN: not compress-run %s -e f --input %t/float128.npy 2>&1 | FileCheck %s --check-prefix=FLOAT128

// BAD-MAGIC: compress-run: error: invalid .npy file '{{.*}}bad-magic.npy': not a .npy file (bad magic string)
// EMPTY: compress-run: error: invalid .npy file '{{.*}}empty.npy': not a .npy file (the file is empty)
// TEXT: compress-run: error: invalid .npy file '{{.*}}text.npy': not a .npy file (bad magic string)
// TRUNCATED-HEADER: compress-run: error: invalid .npy file '{{.*}}truncated-header.npy': truncated header
// TRUNCATED-DATA: compress-run: error: invalid .npy file '{{.*}}truncated-data.npy': truncated data: expected 24 bytes, found 20
// TRAILING-DATA: compress-run: error: invalid .npy file '{{.*}}trailing-data.npy': trailing data: expected 24 bytes, found 28
// NOT-DICT: compress-run: error: invalid .npy file '{{.*}}not-dict.npy': malformed header (expected a dict)
// VERSION4: compress-run: error: invalid .npy file '{{.*}}version4.npy': unsupported .npy version 4
// FORTRAN: compress-run: error: invalid .npy file '{{.*}}fortran.npy': Fortran-ordered arrays are not supported
// BIG-ENDIAN: compress-run: error: invalid .npy file '{{.*}}big-endian.npy': big-endian dtype '>f4' is not supported
// STRUCTURED: compress-run: error: invalid .npy file '{{.*}}structured.npy': unsupported dtype: structured arrays are not supported
// OBJECT: compress-run: error: invalid .npy file '{{.*}}object.npy': unsupported dtype '|O'
// UNICODE: compress-run: error: invalid .npy file '{{.*}}unicode.npy': unsupported dtype '<U1' (only numeric arrays can be read)
// COMPLEX: compress-run: error: invalid .npy file '{{.*}}complex.npy': unsupported dtype '<c8' (only numeric arrays can be read)
// FLOAT128: compress-run: error: invalid .npy file '{{.*}}float128.npy': unsupported dtype '<f16'

func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
