//===- Passes.td - Compress conversion passes --------------*- tablegen -*-===//
//
// Conversions out of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CONVERSION_PASSES_TD
#define COMPRESS_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCompressToLinalgPass : Pass<"convert-compress-to-linalg"> {
  let summary = "Lower compress-dialect ops to linalg, arith and math";
  let description = [{
    Rewrites every compress op into upstream ops on tensors, so that the
    standard bufferization and code-generation pipeline can compile it. After
    this pass no compress op remains; an op it cannot lower is an error.

    `compress.fake_quant` becomes one elementwise `linalg.generic`. Per-axis
    scales and zero points become 1-D constant tensors read through an
    indexing map on the quantized axis:

    ```mlir
    // Before
    %y = compress.fake_quant %x : tensor<4xf32>,
             #compress.quant<i8, scales = [0.5], zero_points = [0]>
    // After
    %e = tensor.empty() : tensor<4xf32>
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %d = arith.divf %in, %cst_scale : f32
      %r = math.roundeven %d : f32
      ...
      linalg.yield %v : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertCompressToLLVMPass : Pass<"convert-compress-to-llvm"> {
  let summary = "Lower compress vector ops to LLVM intrinsics";
  let description = [{
    Rewrites the vector-level ops that code generation emits into calls of
    LLVM intrinsics: `compress.vnni_dot` becomes
    `llvm.x86.avx512.vpdpbusd.{128,256,512}` (by its width);
    `compress.lookup` becomes `llvm.x86.avx512.permvar.{sf,si}.512` (16
    lanes) or two `llvm.x86.avx2.{permps,permd}` and a select on bit 3 of
    the index (8 lanes). Runs on vector code, before
    `convert-vector-to-llvm`.

    ```mlir
    // Before
    %r = compress.vnni_dot %acc, %a, %b : vector<16xi32>, vector<64xi8>
    // After
    %r = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %a, %b)
        : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
    ```
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // COMPRESS_CONVERSION_PASSES_TD
