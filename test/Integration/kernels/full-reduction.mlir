// Reductions of whole tensors to scalars run as one vector loop, a
// horizontal reduction and a scalar loop over the leftover elements (37 x
// 29 = 1073 = 67 vectors of 16 + 1; a dynamic 23 x 13 = 299 i8 values). The
// results must equal numpy's exactly: min/max ignore NaN (minnumf, like
// np.nanmin), and the i8 sum with an init of 1000 is exact in i32.
// @range_big and @sum_big (301 x 257 = 77357 elements: 4834 vectors and 13
// left) are large enough to be split into 16 ranges of vectors whose loop
// two threads share, each range reducing into a partial result.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// RUN: compress-run %s -e range --input %t/x.npy --output %t/lo.npy --output %t/hi.npy
// RUN: compress-run %s -e sum_i8 --input %t/q.npy --input %t/init.npy --output %t/sum.npy
// RUN: compress-run %s -e range_big --input %t/xb.npy --output %t/lob.npy --output %t/hib.npy
// RUN: compress-run %s -e sum_big --input %t/qb.npy --input %t/init.npy --output %t/sumb.npy
// RUN: %python %s.py check %t | FileCheck %s
// RUN: %no_leak_check compress-run %s -e range_big --input %t/xb.npy --output %t/lob.npy --output %t/hib.npy \
// RUN:   --compress-to-llvm-options=threads=2
// RUN: %no_leak_check compress-run %s -e sum_big --input %t/qb.npy --input %t/init.npy --output %t/sumb.npy \
// RUN:   --compress-to-llvm-options=threads=2
// RUN: %python %s.py check %t | FileCheck %s
// RUN: compress-opt %s --compress-tile-and-vectorize=cpu=znver4 | FileCheck %s --check-prefix=IR
// CHECK: range exact
// CHECK: sum exact
// CHECK: range_big exact
// CHECK: sum_big exact
// IR-LABEL: func.func @range(
// IR-COUNT-2: vector.reduction
// IR-LABEL: func.func @sum_i8(
// IR:         vector.reduction
// IR-LABEL: func.func @range_big(
// IR:         %[[P:.*]]:2 = scf.for {{.*}} = %c0{{.*}} to %c16{{.*}} -> (tensor<256xf32>, tensor<256xf32>)
// IR:           scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>)
// IR:           vector.transfer_write {{.*}} : vector<16xf32>, tensor<256xf32>
// IR:         } {compress.parallel}
// IR:         scf.for {{.*}} to %c16{{.*}} -> (vector<16xf32>, vector<16xf32>)
// IR:           vector.transfer_read %[[P]]#0
// IR:         vector.reduction <minnumf>
// IR-NOT: linalg.generic

func.func @range(%x: tensor<37x29xf32>) -> (tensor<f32>, tensor<f32>) {
  %inf = arith.constant 0x7F800000 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<f32>
  %lo0 = linalg.fill ins(%inf : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %hi0 = linalg.fill ins(%ninf : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<37x29xf32>) outs(%lo0, %hi0 : tensor<f32>, tensor<f32>) {
  ^bb0(%v: f32, %lo: f32, %hi: f32):
    %l = arith.minnumf %lo, %v : f32
    %h = arith.maxnumf %hi, %v : f32
    linalg.yield %l, %h : f32, f32
  } -> (tensor<f32>, tensor<f32>)
  return %r#0, %r#1 : tensor<f32>, tensor<f32>
}

func.func @sum_i8(%x: tensor<?x13xi8>, %init: tensor<i32>) -> tensor<i32> {
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<?x13xi8>) outs(%init : tensor<i32>) {
  ^bb0(%v: i8, %acc: i32):
    %w = arith.extsi %v : i8 to i32
    %s = arith.addi %acc, %w : i32
    linalg.yield %s : i32
  } -> tensor<i32>
  return %r : tensor<i32>
}

func.func @range_big(%x: tensor<301x257xf32>) -> (tensor<f32>, tensor<f32>) {
  %inf = arith.constant 0x7F800000 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<f32>
  %lo0 = linalg.fill ins(%inf : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %hi0 = linalg.fill ins(%ninf : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<301x257xf32>) outs(%lo0, %hi0 : tensor<f32>, tensor<f32>) {
  ^bb0(%v: f32, %lo: f32, %hi: f32):
    %l = arith.minnumf %lo, %v : f32
    %h = arith.maxnumf %hi, %v : f32
    linalg.yield %l, %h : f32, f32
  } -> (tensor<f32>, tensor<f32>)
  return %r#0, %r#1 : tensor<f32>, tensor<f32>
}

func.func @sum_big(%x: tensor<301x257xi8>, %init: tensor<i32>) -> tensor<i32> {
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<301x257xi8>) outs(%init : tensor<i32>) {
  ^bb0(%v: i8, %acc: i32):
    %w = arith.extsi %v : i8 to i32
    %s = arith.addi %acc, %w : i32
    linalg.yield %s : i32
  } -> tensor<i32>
  return %r : tensor<i32>
}
