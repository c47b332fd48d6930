// Weight-only quantization through the whole pipeline: the compiled object
// holds the integer codes (int4 packed two per byte) and the kernel decodes
// them in its loop; no f32 copy of the weight exists, neither as a global nor
// as a run-time allocation (the only malloc is the result).

// RUN: compress-opt %s --compress-quantize=bits=8 --compress-to-llvm | FileCheck %s --check-prefixes=CHECK,INT8
// RUN: compress-opt %s --compress-quantize=bits=4 --compress-to-llvm | FileCheck %s --check-prefixes=CHECK,INT4
// RUN: compress-opt %s --compress-quantize=float-type=fp16 --compress-to-llvm | FileCheck %s --check-prefixes=CHECK,FP16

// CHECK-NOT:   array<64 x array<32 x f32>>
// CHECK-NOT:   array<2048 x f32>
// INT8:        llvm.mlir.global private constant @{{.*}} : !llvm.array<64 x array<32 x i8>>
// INT4:        llvm.mlir.global private constant @{{.*}}(dense<{{.*}}> : tensor<1024xi8>) {{.*}} : !llvm.array<1024 x i8>
// FP16:        llvm.mlir.global private constant @{{.*}} : !llvm.array<64 x array<32 x f16>>
// CHECK-NOT:   array<64 x array<32 x f32>>
// CHECK-LABEL: llvm.func @predict
// CHECK-COUNT-1: llvm.call @malloc
// CHECK-NOT:   llvm.call @malloc
// INT8:        llvm.load %{{.*}} : !llvm.ptr -> i8
// INT4:        llvm.load %{{.*}} : !llvm.ptr -> i8
// FP16:        llvm.load %{{.*}} : !llvm.ptr -> f16
// CHECK-LABEL: llvm.func @_mlir_ciface_predict
func.func @predict(%x: tensor<?x64xf32>) -> tensor<?x32xf32> {
  %w = arith.constant dense<0.5> : tensor<64x32xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%n) : tensor<?x32xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) outs(%i : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
