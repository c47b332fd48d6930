// A location whose file name is not UTF-8 (here Latin-1 "café.mlir") is
// written to the JSON report with U+FFFD in place of the invalid byte (it
// failed an assertion of llvm::json; found by compress-fuzz-mlir).
// RUN: compress-opt %s --compress-report -o /dev/null 2>&1 | FileCheck %s
// CHECK: "loc": "caf�.mlir:3:8",
func.func @f(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32> loc("caf\E9.mlir":3:8)
  return %y : tensor<2x2xf32>
}
