// RUN: not compress-opt %s --allow-unregistered-dialect --compress-to-llvm 2>&1 | FileCheck %s

// An op that nothing in the pipeline can lower is an error at its location,
// not a silently broken module.

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: unsupported-op.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: op was not bufferized
  %y = "test.unknown"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
