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

#endif // COMPRESS_CONVERSION_PASSES_TD
