// RUN: compress-opt %s --compress-to-llvm | \
// RUN:   mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s
// REQUIRES: mlir-runner

// TOSA input goes through upstream tosa-to-linalg inside compress-to-llvm.
// y = relu(x @ w + b), with x = [[1, 2], [3, -4]], w = [[1, -1], [2, 0.5]],
// b = [0.5, -1]: x @ w = [[5, 0], [-5, -5]] -> + b = [[5.5, -1], [-4.5, -6]].

func.func private @printMemrefF32(tensor<*xf32>)

func.func @layer(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = "tosa.const"() {values = dense<[[[1.0, -1.0], [2.0, 0.5]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  %b = "tosa.const"() {values = dense<[[[0.5, -1.0]]]> : tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %a = tosa.add %m, %b : (tensor<1x2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x2x2xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  return %r : tensor<1x2x2xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[1.0, 2.0], [3.0, -4.0]]]> : tensor<1x2x2xf32>
  %r = call @layer(%x) : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %u = tensor.cast %r : tensor<1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // CHECK: rank = 3 offset = 0 sizes = [1, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[}}{{\[}}[5.5,    0],
  // CHECK-NEXT: [0,    0]]]
  return
}
