// RUN: compress-opt %s --compress-to-llvm=cpu=znver4 | FileCheck %s \
// RUN:   --implicit-check-not=compress. --implicit-check-not=linalg. \
// RUN:   --implicit-check-not=tensor. --implicit-check-not=memref. \
// RUN:   --implicit-check-not=bufferization. --implicit-check-not=scf. \
// RUN:   --implicit-check-not=vector. --implicit-check-not=x86vector. \
// RUN:   --implicit-check-not=' arith.' --implicit-check-not=' math.' \
// RUN:   --implicit-check-not=' cf.' --implicit-check-not=func.func \
// RUN:   --implicit-check-not=unrealized_conversion_cast
// RUN: compress-opt %s --compress-to-llvm=cpu=znver4 | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// The whole pipeline ends in the LLVM dialect: no tensor, linalg, memref,
// bufferization, scf, cf, vector, arith, math or compress op survives
// anywhere in the output (--implicit-check-not applies between and around
// every CHECK, so function bodies are checked too), public functions get C
// interface wrappers and the target CPU is recorded.

// CHECK-LABEL: llvm.func @model
// CHECK-SAME: target_cpu = "znver4"
// CHECK: llvm.call @malloc
// CHECK-LABEL: llvm.func @_mlir_ciface_model
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-LABEL: llvm.func @helper
// CHECK-NOT: llvm.func @_mlir_ciface_helper

// LLVMIR-DAG: define {{.*}}@model(
// LLVMIR-DAG: define void @_mlir_ciface_model(ptr {{.*}}, ptr {{.*}})
// LLVMIR-DAG: attributes #{{[0-9]+}} = { {{.*}}"target-cpu"="znver4"

func.func @model(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  %q = compress.fake_quant %m : tensor<?x4xf32>, #compress.quant<i8, scales = [0.25], zero_points = [0]>
  %r = call @helper(%q) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

func.func private @helper(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = math.tanh %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
