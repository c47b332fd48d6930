// RUN: compress-opt %s --compress-to-llvm | \
// RUN:   mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s
// REQUIRES: mlir-runner

// Executes compress.fake_quant and checks values worked out by hand from
// q = clamp(roundeven(x / s) + zp, qmin, qmax), y = (q - zp) * s.
// The function arguments are not constants, so nothing is folded away.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @per_axis_i8(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = compress.fake_quant %x : tensor<2x4xf32>, #compress.quant<i8, scales = [0.5, 0.25], zero_points = [0, 2], axis = 0>
  return %y : tensor<2x4xf32>
}

func.func @per_tensor_u4(%x: tensor<6xf32>) -> tensor<6xf32> {
  %y = compress.fake_quant %x : tensor<6xf32>, #compress.quant<ui4, scales = [0.5], zero_points = [4]>
  return %y : tensor<6xf32>
}

func.func @per_axis_last_dim_f16(%x: tensor<2x3xf16>) -> tensor<2x3xf32> {
  %y = compress.fake_quant %x : tensor<2x3xf16>, #compress.quant<i4, scales = [1.0, 0.5, 0.125], zero_points = [0, 0, 0], axis = 1>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<2x3xf16>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f16, %out: f32):
    %v = arith.extf %in : f16 to f32
    linalg.yield %v : f32
  } -> tensor<2x3xf32>
  return %f : tensor<2x3xf32>
}

func.func @main() {
  // Row 0: s = 0.5, zp = 0 -> 1.3 -> 3 -> 1.5; 2.25 -> 4.5 -> 4 (even) -> 2;
  //        -100 -> clamp -128 -> -64; 0.75 -> 1.5 -> 2 -> 1.
  // Row 1: s = 0.25, zp = 2 -> 0.125 -> 0.5 -> 0 -> 0; 0.375 -> 1.5 -> 2 -> 0.5;
  //        40 -> 160 + 2 -> clamp 127 -> 31.25; -40 -> -158 -> -128 -> -32.5.
  %a = arith.constant dense<[[1.3, 2.25, -100.0, 0.75], [0.125, 0.375, 40.0, -40.0]]> : tensor<2x4xf32>
  %ra = call @per_axis_i8(%a) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %ua = tensor.cast %ra : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%ua) : (tensor<*xf32>) -> ()
  // CHECK: rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[}}[1.5,   2,   -64,   1],
  // CHECK-NEXT: [0,   0.5,   31.25,   -32.5]]

  // ui4: q in [0, 15], zp = 4 -> representable y in [-2, 5.5].
  // -3 -> -6 + 4 -> clamp 0 -> -2; -1.25 -> -2.5 -> -2 (even) -> 2 -> -1;
  // 0 -> 4 -> 0; 1.76 -> 3.52 -> 4 -> 2; 5.4 -> 10.8 -> 11 -> 5.5; 9 -> 15 -> 5.5.
  %b = arith.constant dense<[-3.0, -1.25, 0.0, 1.76, 5.4, 9.0]> : tensor<6xf32>
  %rb = call @per_tensor_u4(%b) : (tensor<6xf32>) -> tensor<6xf32>
  %ub = tensor.cast %rb : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%ub) : (tensor<*xf32>) -> ()
  // CHECK: rank = 1 offset = 0 sizes = [6] strides = [1] data =
  // CHECK-NEXT: [-2,  -1,  0,  2,  5.5,  5.5]

  // i4 per column (axis 1): s = 1, 0.5, 0.125; q in [-8, 7].
  // col 0: 2.5 -> 2 (even); 9 -> 7.   col 1: 0.3 -> 0.6 -> 1 -> 0.5; -5 -> -10 -> -8 -> -4.
  // col 2: 0.3 -> 2.4 -> 2 -> 0.25; 0.0625 -> 0.5 -> 0 -> 0.
  %c = arith.constant dense<[[2.5, 0.3, 0.3], [9.0, -5.0, 0.0625]]> : tensor<2x3xf16>
  %rc = call @per_axis_last_dim_f16(%c) : (tensor<2x3xf16>) -> tensor<2x3xf32>
  %uc = tensor.cast %rc : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%uc) : (tensor<*xf32>) -> ()
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[2,   0.5,   0.25],
  // CHECK-NEXT: [7,   -4,   0]]
  return
}
