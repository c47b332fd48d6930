// compress-run refuses arrays beyond the runtime's limits before anything is
// allocated or called: rank at most 64 and at most 2^32 elements, counting
// zero dimensions as 1. The same limits apply to the results the compiled
// code returns, before the runtime copies them.
//
// Regression test: a zero-element .npy whose other dimension is 2^62 (or
// 2^40) passed the old element-count check (the product is 0), and the
// compiled code looped over, or allocated for, the huge dimension: it hung,
// segfaulted or corrupted the heap.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_npy_cases.py %t
// RUN: not compress-run %s -e transpose --input %t/limit-0x2p62.npy 2>&1 | FileCheck %s --check-prefix=ZERO-2P62
// RUN: not compress-run %s -e transpose --input %t/limit-0x2p40.npy 2>&1 | FileCheck %s --check-prefix=ZERO-2P40
// RUN: not compress-run %s -e transpose --input %t/limit-2p62x0.npy 2>&1 | FileCheck %s --check-prefix=2P62-ZERO
// RUN: not compress-run %s -e transpose3 --input %t/limit-0x2p31x2p31.npy 2>&1 | FileCheck %s --check-prefix=PRODUCT
// RUN: not compress-run %s -e vector --input %t/limit-2p33.npy 2>&1 | FileCheck %s --check-prefix=NO-DATA
// RUN: not compress-run %s -e vector --input %t/limit-rank65.npy 2>&1 | FileCheck %s --check-prefix=RANK65
// ZERO-2P62: compress-run: error: invalid .npy file '{{.*}}limit-0x2p62.npy': shape [0x4611686018427387904] is too large (the product of its dimensions, zeros counted as 1, must be at most 4294967296)
// ZERO-2P40: compress-run: error: invalid .npy file '{{.*}}limit-0x2p40.npy': shape [0x1099511627776] is too large
// 2P62-ZERO: compress-run: error: invalid .npy file '{{.*}}limit-2p62x0.npy': shape [4611686018427387904x0] is too large
// PRODUCT: compress-run: error: invalid .npy file '{{.*}}limit-0x2p31x2p31.npy': shape [0x2147483648x2147483648] is too large
// NO-DATA: compress-run: error: invalid .npy file '{{.*}}limit-2p33.npy': shape [8589934592] is too large
// RANK65: compress-run: error: invalid .npy file '{{.*}}limit-rank65.npy': shape (1, 1, {{.*}}) has more than 64 dimensions

// At the limits the arrays are read and passed (the function only returns
// their sizes).
// RUN: compress-run %s -e dims --input %t/limit-0x2p32.npy | FileCheck %s --check-prefix=AT-LIMIT
// AT-LIMIT: result #0: index
// AT-LIMIT-NEXT: 0
// AT-LIMIT-NEXT: result #1: index
// AT-LIMIT-NEXT: 4294967296
// RUN: compress-run %s -e rank64 --input %t/limit-rank64.npy | FileCheck %s --check-prefix=RANK64
// RANK64: result #0: f32
// RANK64-NEXT: 0

// A result beyond the limits is an error, not a copy: an empty 2^40 x 0
// tensor (no memory behind it).
// RUN: %python -c "import numpy as np; np.save('%t/n.npy', np.int64(2**40)); np.save('%t/z.npy', np.int64(0))"
// RUN: not compress-run %s -e empty --input %t/n.npy --input %t/z.npy 2>&1 | FileCheck %s --check-prefix=RESULT
// RESULT: compress-run: error: result #0: shape [1099511627776x0] is too large (the product of its dimensions, zeros counted as 1, must be at most 4294967296)

func.func @transpose(%a: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%d1, %d0) : tensor<?x?xf32>
  %r = linalg.transpose ins(%a : tensor<?x?xf32>) outs(%e : tensor<?x?xf32>) permutation = [1, 0]
  return %r : tensor<?x?xf32>
}

func.func @transpose3(%a: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  return %a : tensor<?x?x?xf32>
}

func.func @vector(%a: tensor<?xf32>) -> tensor<?xf32> {
  return %a : tensor<?xf32>
}

func.func @dims(%a: tensor<?x?xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %a, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %a, %c1 : tensor<?x?xf32>
  return %d0, %d1 : index, index
}

func.func @rank64(%a: tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %x = tensor.extract %a[%c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0, %c0] : tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1xf32>
  return %x : f32
}

func.func @empty(%n: index, %z: index) -> tensor<?x?xf32> {
  %e = tensor.empty(%n, %z) : tensor<?x?xf32>
  return %e : tensor<?x?xf32>
}
