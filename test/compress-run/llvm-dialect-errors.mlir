// compress-run calls llvm.func entry points only if they take no arguments
// and return nothing; other LLVM-dialect functions (such as the lowered form
// of a function with arguments, or its C interface wrapper) are rejected
// with a message, as are external ones.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: compress-opt %s --compress-to-llvm -o %t/llvm.mlir
// RUN: not compress-run %t/llvm.mlir -e add 2>&1 | FileCheck %s --check-prefix=ARGS
// RUN: not compress-run %t/llvm.mlir -e _mlir_ciface_add 2>&1 | FileCheck %s --check-prefix=CIFACE
// RUN: not compress-run %t/llvm.mlir -e seven 2>&1 | FileCheck %s --check-prefix=RESULT
// RUN: not compress-run %t/llvm.mlir -e malloc 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// RUN: not compress-run %t/llvm.mlir -e missing 2>&1 | FileCheck %s --check-prefix=MISSING

// ARGS: compress-run: error: LLVM-dialect function '@add' takes arguments or returns values; compress-run calls such functions only from IR above the LLVM dialect
// CIFACE: compress-run: error: LLVM-dialect function '@_mlir_ciface_add' takes arguments or returns values
// RESULT: compress-run: error: LLVM-dialect function '@seven' takes arguments or returns values
// EXTERNAL: compress-run: error: function '@malloc' has no body
// MISSING: compress-run: error: function '@missing' not found in '{{.*}}llvm.mlir'

func.func @add(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.add ins(%a, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

func.func @seven() -> i32 {
  %c = arith.constant 7 : i32
  return %c : i32
}
