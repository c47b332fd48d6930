// compress-run --output writes one .npy file per result, in order. The files
// load with numpy with the right dtype, shape and values, and are byte for
// byte what np.save writes for the same array (version 1.0 header, padded
// to 64 bytes, C order, little endian).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(6, dtype=np.float32).reshape(2, 3))"
// RUN: compress-run %s -e results --input %t/x.npy --output %t/o0.npy --output %t/o1.npy \
// RUN:   --output %t/o2.npy --output %t/o3.npy --output %t/o4.npy --output %t/o5.npy \
// RUN:   --output %t/o6.npy | count 0
// RUN: %python -c "import io, numpy as np; \
// RUN:   paths = ['%t/o' + str(i) + '.npy' for i in range(7)]; \
// RUN:   arrays = [np.load(p) for p in paths]; \
// RUN:   saved = [io.BytesIO() for a in arrays]; \
// RUN:   [np.save(b, a) for b, a in zip(saved, arrays)]; \
// RUN:   [print(a.dtype.str, a.shape, a.flags.c_contiguous, a.tolist(), b.getvalue() == open(p, 'rb').read()) \
// RUN:    for p, a, b in zip(paths, arrays, saved)]" \
// RUN:   | FileCheck %s --match-full-lines

// CHECK:      <f4 (3, 2) True {{\[\[}}0.0, 3.0], [1.0, 4.0], [2.0, 5.0]] True
// CHECK-NEXT: <f4 () True 15.0 True
// CHECK-NEXT: |i1 (2, 2) True {{\[\[}}-1, 2], [-128, 127]] True
// CHECK-NEXT: |b1 (3,) True [True, False, True] True
// CHECK-NEXT: <f8 (0, 2) True [] True
// CHECK-NEXT: <f2 (1, 1, 1) True {{\[\[\[}}-0.5]]] True
// CHECK-NEXT: <i8 (2,) True [5, 2] True

func.func @results(%x: tensor<2x3xf32>)
    -> (tensor<3x2xf32>, f32, tensor<2x2xi8>, tensor<3xi1>, tensor<0x2xf64>,
        tensor<1x1x1xf16>, tensor<?xindex>) {
  // A transposed copy of the argument.
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  // A scalar: the sum of the argument.
  %zero = arith.constant 0.0 : f32
  %s0 = tensor.from_elements %zero : tensor<f32>
  %sum = linalg.reduce ins(%x : tensor<2x3xf32>) outs(%s0 : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %s = tensor.extract %sum[] : tensor<f32>
  // Constants of other element types, including an empty one.
  %i8 = arith.constant dense<[[-1, 2], [-128, 127]]> : tensor<2x2xi8>
  %b = arith.constant dense<[true, false, true]> : tensor<3xi1>
  %empty = arith.constant dense<0.0> : tensor<0x2xf64>
  %h = arith.constant dense<-0.5> : tensor<1x1x1xf16>
  // A dynamically shaped result: the dimensions of the argument.
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %x, %c0 : tensor<2x3xf32>
  %d1 = tensor.dim %x, %c1 : tensor<2x3xf32>
  %n = arith.addi %d0, %d1 : index
  %dims = tensor.from_elements %n, %d0 : tensor<2xindex>
  %dyn = tensor.cast %dims : tensor<2xindex> to tensor<?xindex>
  return %t, %s, %i8, %b, %empty, %h, %dyn
      : tensor<3x2xf32>, f32, tensor<2x2xi8>, tensor<3xi1>, tensor<0x2xf64>,
        tensor<1x1x1xf16>, tensor<?xindex>
}
