// The compress-to-llvm pipeline, step by step: its pass order, and the same
// steps written as a textual --pass-pipeline give a module that runs.

// RUN: compress-opt %s --compress-to-llvm --dump-pass-pipeline -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ORDER
// ORDER: tosa-to-linalg-named
// ORDER: tosa-to-linalg{
// ORDER: tosa-to-tensor
// ORDER: tosa-to-arith
// ORDER: convert-compress-to-linalg
// ORDER: convert-elementwise-to-linalg
// ORDER: compress-fuse-dequant
// ORDER: compress-fuse
// ORDER: compress-emit-c-interface
// ORDER: compress-tile-and-vectorize{bf16-activations=true cpu=native emulate-bf16-dot=false threads=1}
// ORDER: one-shot-bufferize{{{.*}}bufferize-function-boundaries=true{{.*}}function-boundary-type-conversion=identity-layout-map
// ORDER: ownership-based-buffer-deallocation
// ORDER: bufferization-lower-deallocations
// ORDER: convert-linalg-to-loops
// ORDER: convert-vector-to-scf
// ORDER: convert-bufferization-to-memref
// ORDER: expand-strided-metadata
// ORDER: lower-affine
// ORDER: convert-math-to-llvm
// ORDER: convert-math-to-libm
// ORDER: convert-compress-to-llvm
// ORDER: convert-vector-to-llvm
// ORDER: finalize-memref-to-llvm
// ORDER: convert-scf-to-cf
// ORDER: convert-arith-to-llvm
// ORDER: convert-index-to-llvm
// ORDER: convert-cf-to-llvm
// ORDER: convert-func-to-llvm
// ORDER: convert-ub-to-llvm
// ORDER: reconcile-unrealized-casts
// ORDER: compress-set-target-cpu{cpu=native}

// RUN: compress-opt %s --pass-pipeline='builtin.module(convert-compress-to-linalg,func.func(convert-elementwise-to-linalg,compress-fuse-dequant,compress-fuse,compress-emit-c-interface),canonicalize,func.func(compress-tile-and-vectorize),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,buffer-deallocation-pipeline,func.func(convert-linalg-to-loops,convert-vector-to-scf),convert-bufferization-to-memref,expand-strided-metadata,lower-affine,convert-math-to-llvm,convert-math-to-libm,convert-compress-to-llvm,convert-vector-to-llvm,finalize-memref-to-llvm,convert-scf-to-cf,convert-arith-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,convert-ub-to-llvm,reconcile-unrealized-casts,canonicalize,compress-set-target-cpu)' \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s
// REQUIRES: mlir-runner

func.func private @printMemrefF32(tensor<*xf32>)

// relu(fake_quant(x) * 2) with s = 0.5: x = [-1.2, 0.2, 0.8, 3.3]
// -> fq = [-1, 0, 1, 3.5] -> * 2 = [-2, 0, 2, 7] -> relu = [0, 0, 2, 7].
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = compress.fake_quant %x : tensor<4xf32>, #compress.quant<i8, scales = [0.5], zero_points = [0]>
  %two = arith.constant dense<2.0> : tensor<4xf32>
  %m = arith.mulf %q, %two : tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %r = arith.maximumf %m, %zero : tensor<4xf32>
  return %r : tensor<4xf32>
}

func.func @main() {
  %x = arith.constant dense<[-1.2, 0.2, 0.8, 3.3]> : tensor<4xf32>
  %r = call @f(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %u = tensor.cast %r : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // CHECK: rank = 1 offset = 0 sizes = [4] strides = [1] data =
  // CHECK-NEXT: [0,  0,  2,  7]
  return
}
