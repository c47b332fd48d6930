// RUN: compress-opt %s --convert-compress-to-llvm | FileCheck %s
// RUN: compress-opt %s --convert-compress-to-llvm --convert-vector-to-llvm --convert-arith-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// 16 lanes: one AVX-512 permute of the table (f32: vpermps, i32: vpermd),
// which reads the low 4 bits of each index.
// CHECK-LABEL: func.func @lanes16
// CHECK:       llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
// CHECK:       llvm.call_intrinsic "llvm.x86.avx512.permvar.si.512"(%{{.*}}, %{{.*}}) : (vector<16xi32>, vector<16xi32>) -> vector<16xi32>
// CHECK-NOT:   compress.lookup
// LLVMIR-LABEL: define {{.*}} @lanes16
// LLVMIR:       call <16 x float> @llvm.x86.avx512.permvar.sf.512(
// LLVMIR:       call <16 x i32> @llvm.x86.avx512.permvar.si.512(
func.func @lanes16(%t: vector<16xf32>, %ti: vector<16xi32>, %i: vector<16xi32>)
    -> (vector<16xf32>, vector<16xi32>) {
  %r = compress.lookup %t[%i] : vector<16xf32>, vector<16xi32>
  %s = compress.lookup %ti[%i] : vector<16xi32>, vector<16xi32>
  return %r, %s : vector<16xf32>, vector<16xi32>
}

// 8 lanes: the AVX2 permutes read 8 entries (3 index bits), so each half of
// the table is permuted and bit 3 of the index chooses.
// CHECK-LABEL: func.func @lanes8
// CHECK-DAG:   %[[LOW:.*]] = vector.extract_strided_slice %[[T:.*]] {offsets = [0], sizes = [8], strides = [1]} : vector<16xf32> to vector<8xf32>
// CHECK-DAG:   %[[HIGH:.*]] = vector.extract_strided_slice %[[T]] {offsets = [8], sizes = [8], strides = [1]} : vector<16xf32> to vector<8xf32>
// CHECK-DAG:   %[[PL:.*]] = llvm.call_intrinsic "llvm.x86.avx2.permps"(%[[LOW]], %[[I:.*]]) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
// CHECK-DAG:   %[[PH:.*]] = llvm.call_intrinsic "llvm.x86.avx2.permps"(%[[HIGH]], %[[I]])
// CHECK-DAG:   %[[BIT:.*]] = arith.andi %[[I]], %{{.*}} : vector<8xi32>
// CHECK-DAG:   %[[SEL:.*]] = arith.cmpi ne, %[[BIT]], %{{.*}} : vector<8xi32>
// CHECK:       arith.select %[[SEL]], %[[PH]], %[[PL]] : vector<8xi1>, vector<8xf32>
// CHECK:       llvm.call_intrinsic "llvm.x86.avx2.permd"
// CHECK:       llvm.call_intrinsic "llvm.x86.avx2.permd"
// CHECK-NOT:   compress.lookup
func.func @lanes8(%t: vector<16xf32>, %ti: vector<16xi32>, %i: vector<8xi32>)
    -> (vector<8xf32>, vector<8xi32>) {
  %r = compress.lookup %t[%i] : vector<16xf32>, vector<8xi32>
  %s = compress.lookup %ti[%i] : vector<16xi32>, vector<8xi32>
  return %r, %s : vector<8xf32>, vector<8xi32>
}
