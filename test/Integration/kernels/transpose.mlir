// Transposes and a fused epilogue that reads a transposed operand, run
// natively and compared exactly with numpy (%s.py). Where the source is
// contiguous along the row dim of the register block, each block is read
// as one vector of rows per lane and transposed in registers by shuffles
// (in a masked vector tile, lanes past the end repeat the last lane's
// read). Blocks of 8 rows (@to_nhwc: 7 of them and a last block of 2;
// @to_nchw: a whole tile of 32 lanes and a masked one of 8), 4 (@rows4) and
// 5 (@rows5, padded to 8 in registers), i8 elements with a dynamic batch
// (@i8_to_nhwc), an elementwise add of a transposed operand
// (@add_transposed), a matmul whose fused epilogue adds one
// (@matmul_plus_transposed; small integers, so every sum is exact), and two
// operands contiguous in different dims, one of them gathered
// (@two_layouts). All run with AVX-512 (the host's, cpu=znver4 for the IR
// check) and AVX2 (cpu=x86-64-v3: 8 lanes, at most 4 rows per block).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py make %t
// DEFINE: %{cpu} = native
// DEFINE: %{run} = compress-run %s --compress-to-llvm-options=cpu=%{cpu}
// DEFINE: %{check} = %{run} -e to_nhwc --input %t/a.npy --output %t/to_nhwc.npy && \
// DEFINE:   %{run} -e to_nchw --input %t/b.npy --output %t/to_nchw.npy && \
// DEFINE:   %{run} -e rows4 --input %t/c.npy --output %t/rows4.npy && \
// DEFINE:   %{run} -e rows5 --input %t/d.npy --output %t/rows5.npy && \
// DEFINE:   %{run} -e i8_to_nhwc --input %t/e.npy --output %t/i8_to_nhwc.npy && \
// DEFINE:   %{run} -e add_transposed --input %t/f.npy --input %t/g.npy --output %t/add_transposed.npy && \
// DEFINE:   %{run} -e matmul_plus_transposed --input %t/h.npy --input %t/i.npy --input %t/j.npy \
// DEFINE:     --output %t/matmul_plus_transposed.npy && \
// DEFINE:   %{run} -e two_layouts --input %t/k.npy --input %t/l.npy --output %t/two_layouts.npy && \
// DEFINE:   %python %s.py check %t | FileCheck %s
// RUN: %{check}
// REDEFINE: %{cpu} = x86-64-v3
// RUN: %{check}
// CHECK: to_nhwc exact
// CHECK: to_nchw exact
// CHECK: rows4 exact
// CHECK: rows5 exact
// CHECK: i8_to_nhwc exact
// CHECK: add_transposed exact
// CHECK: matmul_plus_transposed exact
// CHECK: two_layouts exact
//
// RUN: compress-opt %s --compress-fuse --compress-tile-and-vectorize=cpu=znver4 --canonicalize --cse \
// RUN:   | FileCheck %s --check-prefix=IR
// @to_nhwc: blocks of 8 w positions of 32 channels (2 vectors of 16
// lanes): each lane reads its 8 rows at once; the last 2 rows are one block.
// IR-LABEL: func.func @to_nhwc(
// IR:         scf.for %{{.*}} = %c0 to %c56 step %c8
// IR-COUNT-32:  vector.transfer_read {{.*}} : tensor<1x32x58x58xf32>, vector<8xf32>
// IR:           vector.shuffle
// IR-COUNT-32:  vector.transfer_read {{.*}} : tensor<1x32x58x58xf32>, vector<2xf32>
// IR-NOT:     vector.gather
// @to_nchw: the whole tile, then the masked one (8 of 16 lanes in its first
// vector, none in its second: 8 distinct reads).
// IR-LABEL: func.func @to_nchw(
// IR-COUNT-40:  vector.transfer_read {{.*}} : tensor<1x7x40x24xf32>, vector<8xf32>
// IR-NOT:     vector.gather
// IR-LABEL: func.func @i8_to_nhwc(
// IR-COUNT-16:  vector.transfer_read {{.*}} : tensor<?x16x13x48xi8>, vector<8xi8>
// IR-NOT:     vector.gather
// IR-LABEL: func.func @matmul_plus_transposed(
// IR:           vector.fma
// IR-COUNT-32:  vector.transfer_read {{.*}} : tensor<48x24xf32>, vector<8xf32>
// IR-NOT:     vector.gather
// IR-LABEL: func.func @two_layouts(
// IR-COUNT-32:  vector.transfer_read {{.*}} : tensor<32x6x8xf32>, vector<8xf32>
// IR-COUNT-16:  vector.gather

func.func @to_nhwc(%x: tensor<1x32x58x58xf32>) -> tensor<1x58x58x32xf32> {
  %e = tensor.empty() : tensor<1x58x58x32xf32>
  %t = linalg.transpose ins(%x : tensor<1x32x58x58xf32>) outs(%e : tensor<1x58x58x32xf32>) permutation = [0, 2, 3, 1]
  return %t : tensor<1x58x58x32xf32>
}

func.func @to_nchw(%x: tensor<1x7x40x24xf32>) -> tensor<1x24x7x40xf32> {
  %e = tensor.empty() : tensor<1x24x7x40xf32>
  %t = linalg.transpose ins(%x : tensor<1x7x40x24xf32>) outs(%e : tensor<1x24x7x40xf32>) permutation = [0, 3, 1, 2]
  return %t : tensor<1x24x7x40xf32>
}

func.func @rows4(%x: tensor<64x4xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x4xf32>) outs(%e : tensor<4x64xf32>) permutation = [1, 0]
  return %t : tensor<4x64xf32>
}

func.func @rows5(%x: tensor<64x5xf32>) -> tensor<5x64xf32> {
  %e = tensor.empty() : tensor<5x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x5xf32>) outs(%e : tensor<5x64xf32>) permutation = [1, 0]
  return %t : tensor<5x64xf32>
}

func.func @i8_to_nhwc(%x: tensor<?x16x13x48xi8>) -> tensor<?x13x48x16xi8> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x16x13x48xi8>
  %e = tensor.empty(%n) : tensor<?x13x48x16xi8>
  %t = linalg.transpose ins(%x : tensor<?x16x13x48xi8>) outs(%e : tensor<?x13x48x16xi8>) permutation = [0, 2, 3, 1]
  return %t : tensor<?x13x48x16xi8>
}

func.func @add_transposed(%x: tensor<40x48xf32>, %y: tensor<48x40xf32>) -> tensor<40x48xf32> {
  %e = tensor.empty() : tensor<40x48xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<40x48xf32>, tensor<48x40xf32>) outs(%e : tensor<40x48xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<40x48xf32>
  return %r : tensor<40x48xf32>
}

func.func @matmul_plus_transposed(%a: tensor<24x20xf32>, %b: tensor<20x48xf32>, %d: tensor<48x24xf32>) -> tensor<24x48xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x48xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<24x48xf32>) -> tensor<24x48xf32>
  %m = linalg.matmul ins(%a, %b : tensor<24x20xf32>, tensor<20x48xf32>) outs(%i : tensor<24x48xf32>) -> tensor<24x48xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %d : tensor<24x48xf32>, tensor<48x24xf32>) outs(%e : tensor<24x48xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<24x48xf32>
  return %r : tensor<24x48xf32>
}

func.func @two_layouts(%x: tensor<32x6x8xf32>, %y: tensor<32x8x6xf32>) -> tensor<6x8x32xf32> {
  %e = tensor.empty() : tensor<6x8x32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (c, a, b)>, affine_map<(a, b, c) -> (c, b, a)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %y : tensor<32x6x8xf32>, tensor<32x8x6xf32>) outs(%e : tensor<6x8x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<6x8x32xf32>
  return %r : tensor<6x8x32xf32>
}
