// compress-run on a module that is already in the LLVM dialect (here: this
// file lowered by compress-opt --compress-to-llvm): nothing is lowered again,
// and a void @main without arguments is called directly. It prints through
// printMemrefF32 from the MLIR runner utilities, loaded by default or with
// --shared-libs.
//
// Regression test: compress-run used to crash (SIGSEGV) on every void
// llvm.func entry point: it checked `llvmFunc.getResultTypes().front()`,
// but LLVMFuncOp::getResultTypes() is empty for a void function.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: compress-opt %s --compress-to-llvm -o %t/llvm.mlir
// RUN: FileCheck %s --check-prefix=LOWERED < %t/llvm.mlir
// RUN: compress-run %t/llvm.mlir -e main | FileCheck %s
// RUN: compress-run %t/llvm.mlir -e main -O0 \
// RUN:   --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s
// RUN: compress-run %t/llvm.mlir -e main --repeat 2 | FileCheck %s --check-prefixes=CHECK,REPEAT
// RUN: compress-run %t/llvm.mlir -e main --print-lowered-ir | FileCheck %s --check-prefixes=CHECK,IR
// The C interface wrapper of @main is a void llvm.func without arguments too.
// RUN: compress-run %t/llvm.mlir -e _mlir_ciface_main | FileCheck %s
// A void llvm.func entry in a module that still needs lowering.
// RUN: compress-run %s -e hello | FileCheck %s --check-prefix=HELLO
// RUN: compress-run %t/llvm.mlir -e hello | FileCheck %s --check-prefix=HELLO
// Too many --input files for @main is an error, not a crash.
// RUN: not compress-run %t/llvm.mlir -e main --input %t/llvm.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=INPUT

// The module is in the LLVM dialect only.
// LOWERED-NOT: func.func
//     LOWERED: llvm.func @main()
// LOWERED-NOT: func.func

// --print-lowered-ir prints the module as it was given.
//      IR: module
//      IR: llvm.func @main()
//  IR-NOT: func.func

//      CHECK: Unranked Memref base@ = {{0x[0-9a-f]+}} rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
// CHECK-NEXT: {{\[\[}}2,   4],
// CHECK-NEXT:  [6,   9]]
//  CHECK-NOT: result #

// REPEAT: @main: median {{.*}} over 2 runs

// HELLO: 42
// HELLO-NOT: result #

// INPUT: compress-run: error: '@main' takes 0 argument(s) but 1 --input file(s) were given

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.5]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %r = linalg.add ins(%c, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %u = tensor.cast %r : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

llvm.func @printI64(i64)
llvm.func @printNewline()

llvm.func @hello() {
  %c = llvm.mlir.constant(42 : i64) : i64
  llvm.call @printI64(%c) : (i64) -> ()
  llvm.call @printNewline() : () -> ()
  llvm.return
}
