// RUN: compress-opt %s | compress-opt | FileCheck %s
// RUN: compress-opt %s --mlir-print-op-generic | compress-opt | FileCheck %s
// RUN: compress-opt %s --verify-roundtrip | FileCheck %s

// The CPU-only ops of CompressCodegenOps.td.

// CHECK-LABEL: func.func @fusion_group
// CHECK:       %[[R:.*]] = compress.fusion_group -> tensor<4x8xf32> {
// CHECK:         %[[MM:.*]] = linalg.matmul
// CHECK:         compress.yield %[[MM]] : tensor<4x8xf32>
// CHECK:       }
// CHECK:       return %[[R]]
func.func @fusion_group(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = compress.fusion_group -> tensor<4x8xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<4x16xf32>, tensor<16x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
    compress.yield %y : tensor<4x8xf32>
  }
  return %r : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @vnni_dot
// CHECK:       compress.vnni_dot %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi32>, vector<64xi8>
// CHECK:       compress.vnni_dot %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi32>, vector<32xi8>
func.func @vnni_dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                    %acc8: vector<8xi32>, %a8: vector<32xi8>) -> (vector<16xi32>, vector<8xi32>) {
  %r = compress.vnni_dot %acc, %a, %b : vector<16xi32>, vector<64xi8>
  %s = compress.vnni_dot %acc8, %a8, %a8 : vector<8xi32>, vector<32xi8>
  return %r, %s : vector<16xi32>, vector<8xi32>
}

// -----

// CHECK-LABEL: func.func @lookup
// CHECK:       compress.lookup %{{.*}}[%{{.*}}] : vector<16xf32>, vector<16xi32>
// CHECK:       compress.lookup %{{.*}}[%{{.*}}] : vector<16xi32>, vector<8xi32>
func.func @lookup(%t: vector<16xf32>, %ti: vector<16xi32>, %i16: vector<16xi32>,
                  %i8: vector<8xi32>) -> (vector<16xf32>, vector<8xi32>) {
  %r = compress.lookup %t[%i16] : vector<16xf32>, vector<16xi32>
  %s = compress.lookup %ti[%i8] : vector<16xi32>, vector<8xi32>
  return %r, %s : vector<16xf32>, vector<8xi32>
}
