// compress-run with every .npy dtype it supports (float16/32/64, int8/16/32/64,
// uint8/64, bool, index as int64) on tensors of rank 0 to 4 and on scalars.
// Each result is printed and also written with --output, read back with
// numpy and compared (dtype, shape and values).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; \
// RUN:   np.save('%t/f32.npy', np.array([1.5, -2.0, 1e10], dtype=np.float32)); \
// RUN:   np.save('%t/f16.npy', np.array([[1.5, -2.0], [0.25, 1000.0]], dtype=np.float16)); \
// RUN:   np.save('%t/f64.npy', np.array(0.1, dtype=np.float64)); \
// RUN:   np.save('%t/i8.npy', np.array([1, -2, 100, -100], dtype=np.int8)); \
// RUN:   np.save('%t/i16.npy', np.array([1, -2, 20000], dtype=np.int16)); \
// RUN:   np.save('%t/i32.npy', np.array([1, -2, 3, 2**30], dtype=np.int32).reshape(1, 2, 1, 2)); \
// RUN:   np.save('%t/i64.npy', np.array([1, -2, 3, 2**40, -5, 6], dtype=np.int64).reshape(2, 1, 3)); \
// RUN:   np.save('%t/u8.npy', np.array([0, 1, 200, 255], dtype=np.uint8)); \
// RUN:   np.save('%t/bool.npy', np.array([True, False, False, True])); \
// RUN:   np.save('%t/index.npy', np.array([7, -1, 0], dtype=np.int64)); \
// RUN:   np.save('%t/s_f64.npy', np.float64(1.25)); \
// RUN:   np.save('%t/s_i32.npy', np.array([41], dtype=np.int32)); \
// RUN:   np.save('%t/s_bool.npy', np.bool_(False)); \
// RUN:   np.save('%t/s_u64.npy', np.uint64(2**64 - 1))"
//
// RUN: compress-run %s -e f32 --input %t/f32.npy | FileCheck %s --check-prefix=F32
// RUN: compress-run %s -e f32 --input %t/f32.npy --output %t/f32.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/f32.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=F32-NPY
//      F32: result #0: tensor<3xf32>
// F32-NEXT: [3, -4, 2e+10]
// F32-NPY: float32 (3,) [3.0, -4.0, 20000000000.0]
func.func @f32(%a: tensor<3xf32>) -> tensor<3xf32> {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.add ins(%a, %a : tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// RUN: compress-run %s -e f16 --input %t/f16.npy | FileCheck %s --check-prefix=F16
// RUN: compress-run %s -e f16 --input %t/f16.npy --output %t/f16.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/f16.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=F16-NPY
//      F16: result #0: tensor<2x2xf16>
// F16-NEXT: {{\[\[}}3, -4],
// F16-NEXT:  [0.5, 2000]]
// F16-NPY: float16 (2, 2) {{\[\[}}3.0, -4.0], [0.5, 2000.0]]
func.func @f16(%a: tensor<2x2xf16>) -> tensor<2x2xf16> {
  %e = tensor.empty() : tensor<2x2xf16>
  %r = linalg.add ins(%a, %a : tensor<2x2xf16>, tensor<2x2xf16>) outs(%e : tensor<2x2xf16>) -> tensor<2x2xf16>
  return %r : tensor<2x2xf16>
}

// Rank 0.
// RUN: compress-run %s -e f64 --input %t/f64.npy | FileCheck %s --check-prefix=F64
// RUN: compress-run %s -e f64 --input %t/f64.npy --output %t/f64.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/f64.out.npy'); print(a.dtype, a.shape, a.tolist(), a == 0.2)" \
// RUN:   | FileCheck %s --check-prefix=F64-NPY
//      F64: result #0: tensor<f64>
// F64-NEXT: 0.2
// F64-NPY: float64 () 0.2 True
func.func @f64(%a: tensor<f64>) -> tensor<f64> {
  %e = tensor.empty() : tensor<f64>
  %r = linalg.add ins(%a, %a : tensor<f64>, tensor<f64>) outs(%e : tensor<f64>) -> tensor<f64>
  return %r : tensor<f64>
}

// Wraps around.
// RUN: compress-run %s -e i8 --input %t/i8.npy | FileCheck %s --check-prefix=I8
// RUN: compress-run %s -e i8 --input %t/i8.npy --output %t/i8.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/i8.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I8-NPY
//      I8: result #0: tensor<4xi8>
// I8-NEXT: [2, -4, -56, 56]
// I8-NPY: int8 (4,) [2, -4, -56, 56]
func.func @i8(%a: tensor<4xi8>) -> tensor<4xi8> {
  %e = tensor.empty() : tensor<4xi8>
  %r = linalg.add ins(%a, %a : tensor<4xi8>, tensor<4xi8>) outs(%e : tensor<4xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// RUN: compress-run %s -e i16 --input %t/i16.npy | FileCheck %s --check-prefix=I16
// RUN: compress-run %s -e i16 --input %t/i16.npy --output %t/i16.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/i16.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I16-NPY
//      I16: result #0: tensor<3xi16>
// I16-NEXT: [2, -4, -25536]
// I16-NPY: int16 (3,) [2, -4, -25536]
func.func @i16(%a: tensor<3xi16>) -> tensor<3xi16> {
  %e = tensor.empty() : tensor<3xi16>
  %r = linalg.add ins(%a, %a : tensor<3xi16>, tensor<3xi16>) outs(%e : tensor<3xi16>) -> tensor<3xi16>
  return %r : tensor<3xi16>
}

// Rank 4.
// RUN: compress-run %s -e i32 --input %t/i32.npy | FileCheck %s --check-prefix=I32
// RUN: compress-run %s -e i32 --input %t/i32.npy --output %t/i32.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/i32.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I32-NPY
//      I32: result #0: tensor<1x2x1x2xi32>
// I32-NEXT: {{\[\[\[\[}}2, -4]],
// I32-NEXT:   {{\[\[}}6, -2147483648]]]]
// I32-NPY: int32 (1, 2, 1, 2) {{\[\[\[\[}}2, -4]], {{\[\[}}6, -2147483648]]]]
func.func @i32(%a: tensor<1x2x1x2xi32>) -> tensor<1x2x1x2xi32> {
  %e = tensor.empty() : tensor<1x2x1x2xi32>
  %r = linalg.add ins(%a, %a : tensor<1x2x1x2xi32>, tensor<1x2x1x2xi32>) outs(%e : tensor<1x2x1x2xi32>) -> tensor<1x2x1x2xi32>
  return %r : tensor<1x2x1x2xi32>
}

// Rank 3.
// RUN: compress-run %s -e i64 --input %t/i64.npy | FileCheck %s --check-prefix=I64
// RUN: compress-run %s -e i64 --input %t/i64.npy --output %t/i64.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/i64.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=I64-NPY
//      I64: result #0: tensor<2x1x3xi64>
// I64-NEXT: {{\[\[\[}}2, -4, 6]],
// I64-NEXT:  {{\[\[}}2199023255552, -10, 12]]]
// I64-NPY: int64 (2, 1, 3) {{\[\[\[}}2, -4, 6]], {{\[\[}}2199023255552, -10, 12]]]
func.func @i64(%a: tensor<2x1x3xi64>) -> tensor<2x1x3xi64> {
  %e = tensor.empty() : tensor<2x1x3xi64>
  %r = linalg.add ins(%a, %a : tensor<2x1x3xi64>, tensor<2x1x3xi64>) outs(%e : tensor<2x1x3xi64>) -> tensor<2x1x3xi64>
  return %r : tensor<2x1x3xi64>
}

// Unsigned: values above 127 print as unsigned.
// RUN: compress-run %s -e ui8 --input %t/u8.npy | FileCheck %s --check-prefix=UI8
// RUN: compress-run %s -e ui8 --input %t/u8.npy --output %t/u8.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/u8.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=UI8-NPY
//      UI8: result #0: tensor<2x2xui8>
// UI8-NEXT: {{\[\[}}0, 1],
// UI8-NEXT:  [200, 255]]
// UI8-NPY: uint8 (2, 2) {{\[\[}}0, 1], [200, 255]]
func.func @ui8(%a: tensor<4xui8>) -> tensor<2x2xui8> {
  %r = tensor.expand_shape %a [[0, 1]] output_shape [2, 2] : tensor<4xui8> into tensor<2x2xui8>
  return %r : tensor<2x2xui8>
}

// RUN: compress-run %s -e bool --input %t/bool.npy | FileCheck %s --check-prefix=BOOL
// RUN: compress-run %s -e bool --input %t/bool.npy --output %t/bool.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/bool.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=BOOL-NPY
//      BOOL: result #0: tensor<4xi1>
// BOOL-NEXT: [false, true, true, false]
// BOOL-NPY: bool (4,) [False, True, True, False]
func.func @bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  %e = tensor.empty() : tensor<4xi1>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<4xi1>) outs(%e : tensor<4xi1>) {
  ^bb0(%x: i1, %o: i1):
    %t = arith.constant true
    %n = arith.xori %x, %t : i1
    linalg.yield %n : i1
  } -> tensor<4xi1>
  return %r : tensor<4xi1>
}

// index elements travel as int64.
// RUN: compress-run %s -e index --input %t/index.npy | FileCheck %s --check-prefix=INDEX
// RUN: compress-run %s -e index --input %t/index.npy --output %t/index.out.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/index.out.npy'); print(a.dtype, a.shape, a.tolist())" \
// RUN:   | FileCheck %s --check-prefix=INDEX-NPY
//      INDEX: result #0: tensor<3xindex>
// INDEX-NEXT: [8, 0, 1]
// INDEX-NPY: int64 (3,) [8, 0, 1]
func.func @index(%a: tensor<3xindex>) -> tensor<3xindex> {
  %e = tensor.empty() : tensor<3xindex>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<3xindex>) outs(%e : tensor<3xindex>) {
  ^bb0(%x: index, %o: index):
    %c1 = arith.constant 1 : index
    %n = arith.addi %x, %c1 : index
    linalg.yield %n : index
  } -> tensor<3xindex>
  return %r : tensor<3xindex>
}

// Scalars: 0-d arrays and 1-element 1-d arrays are accepted.
// RUN: compress-run %s -e scalars --input %t/s_f64.npy --input %t/s_i32.npy \
// RUN:   --input %t/s_bool.npy --input %t/s_u64.npy | FileCheck %s --check-prefix=SCALARS
// RUN: compress-run %s -e scalars --input %t/s_f64.npy --input %t/s_i32.npy \
// RUN:   --input %t/s_bool.npy --input %t/s_u64.npy --output %t/s0.npy \
// RUN:   --output %t/s1.npy --output %t/s2.npy --output %t/s3.npy
// RUN: %python -c "import numpy as np; \
// RUN:   [print(a.dtype, a.shape, a.tolist()) for a in [np.load('%t/s' + str(i) + '.npy') for i in range(4)]]" \
// RUN:   | FileCheck %s --check-prefix=SCALARS-NPY
//      SCALARS: result #0: f64
// SCALARS-NEXT: 2.5
// SCALARS-NEXT: result #1: i32
// SCALARS-NEXT: 42
// SCALARS-NEXT: result #2: i1
// SCALARS-NEXT: true
// SCALARS-NEXT: result #3: ui64
// SCALARS-NEXT: 18446744073709551615
//      SCALARS-NPY: float64 () 2.5
// SCALARS-NPY-NEXT: int32 () 42
// SCALARS-NPY-NEXT: bool () True
// SCALARS-NPY-NEXT: uint64 () 18446744073709551615
func.func @scalars(%a: f64, %b: i32, %c: i1, %d: ui64) -> (f64, i32, i1, ui64) {
  %two = arith.constant 2.0 : f64
  %r = arith.mulf %a, %two : f64
  %one = arith.constant 1 : i32
  %s = arith.addi %b, %one : i32
  %t = arith.constant true
  %n = arith.xori %c, %t : i1
  return %r, %s, %n, %d : f64, i32, i1, ui64
}
