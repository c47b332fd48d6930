// The calibration store's reader refuses malformed, truncated and mismatched
// files with a message naming the calibration file (and the Gram file at
// fault). Inputs/break_store.py derives each broken store from a valid one
// written by compress-run; compress-calib --gram reads everything.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t/good
// RUN: compress-opt %S/Inputs/model.mlir --compress-instrument -o %t/inst.mlir
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, 2], [3, -4]], np.float32))"
// RUN: compress-run %t/inst.mlir -e f --input %t/x.npy --calibration-out %t/good/calib.json --output %t/y.npy
// RUN: compress-calib %t/good/calib.json --gram | FileCheck %s --check-prefix=GOOD
// GOOD: version 2, batches 1, 2 tensor(s)
// RUN: %python %S/Inputs/break_store.py %t/good %t/bad

// Version mismatches.
// RUN: not compress-calib %t/bad/version1/calib.json 2>&1 | FileCheck %s --check-prefix=VERSION1
// VERSION1: compress-calib: error: calibration file '{{.*}}version1/calib.json': unsupported version 1 (this build reads version 2; calibrate again with compress-run --calibration-out)
// RUN: not compress-calib %t/bad/version-missing/calib.json 2>&1 | FileCheck %s --check-prefix=VERSION-MISSING
// VERSION-MISSING: compress-calib: error: calibration file '{{.*}}version-missing/calib.json': missing "version" (this build reads version 2)
// RUN: not compress-calib %t/bad/version-string/calib.json 2>&1 | FileCheck %s --check-prefix=VERSION-STRING
// VERSION-STRING: compress-calib: error: calibration file '{{.*}}version-string/calib.json': "version" must be an integer
// compress-quantize reads through the same reader.
// RUN: not compress-opt %S/Inputs/model.mlir --compress-quantize="mode=static calibration=%t/bad/version1/calib.json" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUANTIZE-VERSION
// QUANTIZE-VERSION: error: compress-quantize: calibration file '{{.*}}version1/calib.json': unsupported version 1

// Malformed or truncated JSON.
// RUN: not compress-calib %t/bad/truncated-json/calib.json 2>&1 | FileCheck %s --check-prefix=TRUNCATED-JSON
// TRUNCATED-JSON: compress-calib: error: calibration file '{{.*}}truncated-json/calib.json': invalid JSON: {{.*}}
// RUN: not compress-calib %t/bad/no-tensors/calib.json 2>&1 | FileCheck %s --check-prefix=NO-TENSORS
// NO-TENSORS: compress-calib: error: calibration file '{{.*}}no-tensors/calib.json': expected an object with a "tensors" member
// RUN: not compress-calib %t/bad/tensor-not-object/calib.json 2>&1 | FileCheck %s --check-prefix=NOT-OBJECT
// NOT-OBJECT: compress-calib: error: calibration file '{{.*}}tensor-not-object/calib.json': tensor 'f/1' must be an object
// RUN: not compress-calib %t/bad/negative-count/calib.json 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: compress-calib: error: calibration file '{{.*}}negative-count/calib.json': tensor 'f/0': "count" must be a non-negative integer
// RUN: not compress-calib %t/bad/bad-range/calib.json 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: compress-calib: error: calibration file '{{.*}}bad-range/calib.json': tensor 'f/0' has no valid "minmax" range [lo, hi]
// RUN: not compress-calib %t/bad/bad-histogram/calib.json 2>&1 | FileCheck %s --check-prefix=HISTOGRAM
// HISTOGRAM: compress-calib: error: calibration file '{{.*}}bad-histogram/calib.json': tensor 'f/0': histogram bins must be non-negative integers
// RUN: not compress-calib %t/bad/bad-gram-size/calib.json 2>&1 | FileCheck %s --check-prefix=GRAM-SIZE
// GRAM-SIZE: compress-calib: error: calibration file '{{.*}}bad-gram-size/calib.json': tensor 'f/0': "gram" must be {"size": 0 to 4096, "rows": R >= 0, "file": "DIR/NAME.npy"}
// RUN: not compress-calib %t/bad/gram-path-escape/calib.json 2>&1 | FileCheck %s --check-prefix=ESCAPE
// ESCAPE: compress-calib: error: calibration file '{{.*}}gram-path-escape/calib.json': tensor 'f/0': Gram file '../calib.gram/x.npy' must be a relative path below the calibration file's directory

// Key mismatches: a tensor that is not in the file, an entry whose Gram file
// is another tensor's, two entries with swapped files.
// RUN: not compress-calib %t/good/calib.json --key f/9 2>&1 | FileCheck %s --check-prefix=NO-KEY
// NO-KEY: compress-calib: error: calibration file '{{.*}}good/calib.json' has no entry for 'f/9'
// RUN: not compress-calib %t/bad/renamed-key/calib.json 2>&1 | FileCheck %s --check-prefix=RENAMED
// RENAMED: compress-calib: error: calibration file '{{.*}}renamed-key/calib.json': tensor 'f/7': Gram file 'calib.gram/f_0-{{[0-9a-f]+}}.npy' belongs to another tensor (the file of 'f/7' is named 'f_7-{{[0-9a-f]+}}.npy')
// RUN: not compress-calib %t/bad/swapped-files/calib.json 2>&1 | FileCheck %s --check-prefix=SWAPPED
// SWAPPED: compress-calib: error: calibration file '{{.*}}swapped-files/calib.json': tensor 'f/{{[01]}}': Gram file 'calib.gram/f_{{[01]}}-{{[0-9a-f]+}}.npy' belongs to another tensor

// The Gram file: missing, wrong shape, wrong dtype, truncated, not .npy,
// non-finite values, Fortran order. Only reading the matrix finds these.
// RUN: compress-calib %t/bad/gram-missing/calib.json | FileCheck %s --check-prefix=LAZY
// LAZY: gram: 2 x 2, 2 rows, calib.gram/f_0-{{[0-9a-f]+}}.npy
// RUN: not compress-calib %t/bad/gram-missing/calib.json --gram 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: compress-calib: error: calibration file '{{.*}}gram-missing/calib.json': Gram matrix of tensor 'f/0': cannot read '{{.*}}gram-missing{{/|\\}}calib.gram/f_0-{{[0-9a-f]+}}.npy': {{[Nn]}}o such file or directory
// RUN: not compress-calib %t/bad/gram-shape/calib.json --gram 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: compress-calib: error: calibration file '{{.*}}gram-shape/calib.json': Gram matrix of tensor 'f/0': '{{.*}}f_0-{{[0-9a-f]+}}.npy' has shape [3x3], expected [2x2] ("size" 2)
// RUN: not compress-calib %t/bad/gram-dtype/calib.json --gram 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: compress-calib: error: calibration file '{{.*}}gram-dtype/calib.json': Gram matrix of tensor 'f/0': '{{.*}}f_0-{{[0-9a-f]+}}.npy' has dtype float32, expected float64
// RUN: not compress-calib %t/bad/gram-truncated/calib.json --gram 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: compress-calib: error: calibration file '{{.*}}gram-truncated/calib.json': Gram matrix of tensor 'f/0': invalid .npy file '{{.*}}f_0-{{[0-9a-f]+}}.npy': truncated data: expected 32 bytes, found 24
// RUN: not compress-calib %t/bad/gram-not-npy/calib.json --gram 2>&1 | FileCheck %s --check-prefix=NOT-NPY
// NOT-NPY: compress-calib: error: calibration file '{{.*}}gram-not-npy/calib.json': Gram matrix of tensor 'f/0': invalid .npy file '{{.*}}f_0-{{[0-9a-f]+}}.npy': not a .npy file (bad magic string)
// RUN: not compress-calib %t/bad/gram-nan/calib.json --gram 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: compress-calib: error: calibration file '{{.*}}gram-nan/calib.json': Gram matrix of tensor 'f/0': '{{.*}}f_0-{{[0-9a-f]+}}.npy' contains a non-finite value
// RUN: not compress-calib %t/bad/gram-fortran/calib.json --gram 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: compress-calib: error: calibration file '{{.*}}gram-fortran/calib.json': Gram matrix of tensor 'f/0': invalid .npy file '{{.*}}f_0-{{[0-9a-f]+}}.npy': Fortran-ordered arrays are not supported

// The writer refuses what the reader would not find again, before writing
// anything: a function name that is not UTF-8 makes a key that JSON cannot
// hold (it was written with U+FFFD in its place, and compress-quantize then
// found no entry for the layer).
// RUN: not %python %S/Inputs/non_utf8_name.py %compress_tools_dir %S/Inputs/model.mlir %t/utf8 %t/x.npy 2>&1 | FileCheck %s --check-prefix=UTF8
// UTF8: compress-run: error: cannot write calibration file '{{.*}}utf8/calib.json': tensor key 'f{{.+}}/0' is not valid UTF-8
// RUN: not ls %t/utf8/calib.json
