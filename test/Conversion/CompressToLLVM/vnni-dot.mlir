// RUN: compress-opt %s --convert-compress-to-llvm | FileCheck %s

// compress.vnni_dot becomes the vpdpbusd intrinsic of its width.
// CHECK-LABEL: func.func @widths
// CHECK:       llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK:       llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// CHECK:       llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.128"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// CHECK-NOT:   compress.vnni_dot
func.func @widths(%a16: vector<16xi32>, %b64: vector<64xi8>, %a8: vector<8xi32>,
                  %b32: vector<32xi8>, %a4: vector<4xi32>, %b16: vector<16xi8>)
    -> (vector<16xi32>, vector<8xi32>, vector<4xi32>) {
  %r = compress.vnni_dot %a16, %b64, %b64 : vector<16xi32>, vector<64xi8>
  %s = compress.vnni_dot %a8, %b32, %b32 : vector<8xi32>, vector<32xi8>
  %t = compress.vnni_dot %a4, %b16, %b16 : vector<4xi32>, vector<16xi8>
  return %r, %s, %t : vector<16xi32>, vector<8xi32>, vector<4xi32>
}

// Other ops are left alone.
// CHECK-LABEL: func.func @untouched
// CHECK:       arith.addi
func.func @untouched(%a: vector<16xi32>) -> vector<16xi32> {
  %r = arith.addi %a, %a : vector<16xi32>
  return %r : vector<16xi32>
}
