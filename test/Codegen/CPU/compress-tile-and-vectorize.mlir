// RUN: compress-opt %s -split-input-file --compress-tile-and-vectorize=cpu=sapphirerapids --canonicalize --cse | FileCheck %s
// RUN: compress-opt %s -split-input-file --compress-tile-and-vectorize=cpu=x86-64-v3 --canonicalize --cse | FileCheck %s --check-prefix=AVX2
// RUN: compress-opt %s -split-input-file --compress-tile-and-vectorize="cpu=sapphirerapids bf16-activations=false" | FileCheck %s --check-prefix=F32ACT
// RUN: not compress-opt %s --compress-tile-and-vectorize=cpu=bogus 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: compress-opt %s -split-input-file --compress-tile-and-vectorize="cpu=sapphirerapids threads=2" --canonicalize --cse | FileCheck %s --check-prefix=PARTS
// RUN: not compress-opt %s --compress-tile-and-vectorize=threads=0 2>&1 | FileCheck %s --check-prefix=BADTHREADS
// BAD: error: compress-tile-and-vectorize: unknown x86-64 CPU 'bogus'
// BADTHREADS: error: compress-tile-and-vectorize: threads must be in [1, 1024], got 0

// A static f32 matmul: 32-column vector tiles (two 16-lane registers), 8-row
// blocks, and 16 accumulators carried through the K loop in registers. The
// zero fill becomes the initial accumulator value; the constant weight is
// repacked into [tiles x K x 32] panels. No linalg op remains.
// CHECK-LABEL: func.func @static_f32
// CHECK-DAG:   %[[PANELS:.*]] = arith.constant dense<5.000000e-01> : tensor<2x64x32xf32>
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:       scf.for %{{.*}} = %c0 to %c64 step %c32 iter_args
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c8 iter_args
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%{{.*}} = %[[ZERO]], {{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-8: tensor.extract %{{.*}} : tensor<16x64xf32>
// CHECK-COUNT-2: vector.transfer_read %[[PANELS]]{{.*}} {in_bounds = [true]} : tensor<2x64x32xf32>, vector<16xf32>
// CHECK-COUNT-16: vector.fma {{.*}} : vector<16xf32>
// CHECK:             scf.yield
// CHECK-COUNT-16: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<16x64xf32>
// CHECK-NOT:   linalg.
// AVX2-LABEL:  func.func @static_f32
// AVX2:        scf.for {{.*}} step %c16
// AVX2:          scf.for {{.*}} step %c4
// AVX2-COUNT-8:  vector.fma {{.*}} : vector<8xf32>
func.func @static_f32(%a: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %b = arith.constant dense<0.5> : tensor<64x64xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

// Odd and dynamic shapes: the rows left over after whole 8-row blocks run one
// at a time, and the columns past the last whole 32-column tile are a masked
// tile at column 64 (no in_bounds attribute). The accumulators start from the init tensor.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK:       %[[DIM:.*]] = tensor.dim %{{.*}}, %c0
// CHECK:       scf.for {{.*}} step %c32
// CHECK:         %[[REM:.*]] = arith.remui %[[DIM]], %c8
// CHECK:         %[[FULL:.*]] = arith.subi %[[DIM]], %[[REM]]
// CHECK:         scf.for %{{.*}} = %c0{{.*}} to %[[FULL]] step %c8
// CHECK:           vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<?x77xf32>, vector<16xf32>
// CHECK:         scf.for %{{.*}} = %[[FULL]] to %[[DIM]] step %c1
// CHECK:       scf.for %{{.*}} = %c0 to %{{.*}} step %c8
// CHECK:         vector.transfer_read %{{.*}}, %{{[a-z0-9_]+}} : tensor<?x77xf32>, vector<16xf32>
// CHECK:         vector.transfer_write %{{.*}}[%{{.*}}, %{{.*}}] : vector<16xf32>, tensor<?x77xf32>
// CHECK-NOT:   linalg.matmul
func.func @dynamic_rows(%a: tensor<?x37xf32>, %b: tensor<37x77xf32>, %c: tensor<?x77xf32>) -> tensor<?x77xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<?x37xf32>, tensor<37x77xf32>) outs(%c : tensor<?x77xf32>) -> tensor<?x77xf32>
  return %y : tensor<?x77xf32>
}

// -----

// The i8 x i8 -> i32 kernel with a constant weight uses VNNI: the weight is
// repacked into k-quads ([6 -> 2 quads] x 32 columns x 4 bytes = 256 bytes),
// the accumulators start at -128 * column sums (3 * 6 * 128 = 2304). The
// activation is made unsigned once, before the kernel (xor 0x80, itself a
// vectorized elementwise kernel), and each quad of it is broadcast. K = 6
// is one whole quad and a masked tail quad. Without VNNI (AVX2), the body is
// applied lane-wise on 8-lane vectors.
// CHECK-LABEL: func.func @int8_vnni
// CHECK-DAG:   arith.constant dense<2304> : tensor<32xi32>
// CHECK-DAG:   arith.constant dense<"0x{{.*}}"> : tensor<256xi8>
// CHECK-DAG:   %[[FLIP:.*]] = arith.constant dense<-128> : vector<16xi8>
// CHECK:       %[[X:.*]] = arith.xori %{{.*}}, %[[FLIP]] : vector<16xi8>
// CHECK:       %[[U:.*]] = vector.transfer_write %[[X]]
// CHECK-COUNT-7: vector.transfer_write
// CHECK:       arith.subi %{{.*}} : vector<16xi32>
// CHECK:       vector.transfer_read %[[U2:.*]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<8x6xi8>, vector<4xi8>
// CHECK-NOT:   arith.xori
// CHECK:       vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK:       compress.vnni_dot {{.*}} : vector<16xi32>, vector<64xi8>
// CHECK:       vector.transfer_read %[[U2]][%{{.*}}], %{{[a-z0-9_]+}} : tensor<8x6xi8>, vector<4xi8>
// CHECK:       compress.vnni_dot
// CHECK-NOT:   linalg.generic
// AVX2-LABEL:  func.func @int8_vnni
// AVX2-NOT:    compress.vnni_dot
// AVX2:        arith.extsi %{{.*}} : vector<8xi8> to vector<8xi32>
// AVX2:        arith.muli %{{.*}} : vector<8xi32>
func.func @int8_vnni(%a: tensor<8x6xi8>) -> tensor<8x32xi32> {
  %b = arith.constant dense<3> : tensor<6x32xi8>
  %e = tensor.empty() : tensor<8x32xi32>
  %z = arith.constant 0 : i32
  %c = linalg.fill ins(%z : i32) outs(%e : tensor<8x32xi32>) -> tensor<8x32xi32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x6xi8>, tensor<6x32xi8>) outs(%c : tensor<8x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x32xi32>
  return %y : tensor<8x32xi32>
}

// -----

// NCHW convolution with stride 2: the vector dim is the output width and the
// input is read with stride 2 (a wide masked read, then every other lane);
// the row block runs over output channels (the weight is broadcast).
// CHECK-LABEL: func.func @conv_stride2
// CHECK:       scf.for
// CHECK:         vector.transfer_read %{{.*}}, %{{[a-z0-9_]+}} : tensor<1x8x33x33xf32>, vector<32xf32>
// CHECK:         vector.shuffle %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xf32>, vector<32xf32>
// CHECK:         vector.fma
// CHECK-NOT:   linalg.conv
func.func @conv_stride2(%x: tensor<1x8x33x33xf32>, %w: tensor<16x8x3x3xf32>, %c: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x33x33xf32>, tensor<16x8x3x3xf32>) outs(%c : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %y : tensor<1x16x16x16xf32>
}

// -----

// Max pooling: the body (maximumf) is applied lane-wise; the window operand
// is never read.
// CHECK-LABEL: func.func @max_pool
// CHECK:       arith.maximumf %{{.*}} : vector<16xf32>
// CHECK-NOT:   linalg.pooling
func.func @max_pool(%x: tensor<1x4x9x9xf32>, %c: tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32> {
  %win = tensor.empty() : tensor<3x3xf32>
  %y = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %win : tensor<1x4x9x9xf32>, tensor<3x3xf32>) outs(%c : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  return %y : tensor<1x4x7x7xf32>
}

// -----

// A fusion group (matmul + bias + relu) is one kernel: the epilogue runs on
// the accumulators after the K loop and only its result is written; the
// matmul's own result tensor does not exist any more.
// CHECK-LABEL: func.func @fused_epilogue
// CHECK-NOT:   compress.fusion_group
// CHECK:       scf.for %{{.*}} iter_args(%[[OUT:.*]] = %[[E:.*]]) -> (tensor<16x32xf32>)
// CHECK:         scf.for
// CHECK:           vector.fma
// CHECK:           scf.yield
// CHECK:         vector.transfer_read %{{.*}} : tensor<32xf32>, vector<16xf32>
// CHECK:         arith.addf %{{.*}} : vector<16xf32>
// CHECK:         arith.maximumf %{{.*}} : vector<16xf32>
// CHECK:         vector.transfer_write %{{.*}} : vector<16xf32>, tensor<16x32xf32>
// CHECK-NOT:   linalg.
func.func @fused_epilogue(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %bias: tensor<32xf32>) -> tensor<16x32xf32> {
  %e = tensor.empty() : tensor<16x32xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %r = compress.fusion_group -> tensor<16x32xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
    %act = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
        ins(%y, %bias : tensor<16x32xf32>, tensor<32xf32>) outs(%e : tensor<16x32xf32>) {
    ^bb0(%v: f32, %bv: f32, %o: f32):
      %s = arith.addf %v, %bv : f32
      %zero = arith.constant 0.0 : f32
      %m = arith.maximumf %s, %zero : f32
      linalg.yield %m : f32
    } -> tensor<16x32xf32>
    compress.yield %act : tensor<16x32xf32>
  }
  return %r : tensor<16x32xf32>
}

// -----

// A group whose epilogue reads its own output cannot be one kernel: it is
// inlined; the matmul and the elementwise op get kernels of their own.
// CHECK-LABEL: func.func @group_inlined
// CHECK-NOT:   compress.fusion_group
// CHECK:       vector.fma
// CHECK:       vector.transfer_write
// CHECK:       arith.addf %{{.*}} : vector<16xf32>
// CHECK-NOT:   linalg.generic
func.func @group_inlined(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %o: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %r = compress.fusion_group -> tensor<16x32xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>) outs(%o : tensor<16x32xf32>) -> tensor<16x32xf32>
    %acc = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
        ins(%y : tensor<16x32xf32>) outs(%o : tensor<16x32xf32>) {
    ^bb0(%v: f32, %old: f32):
      %s = arith.addf %v, %old : f32
      linalg.yield %s : f32
    } -> tensor<16x32xf32>
    compress.yield %acc : tensor<16x32xf32>
  }
  return %r : tensor<16x32xf32>
}

// -----

// Negative: a decode of packed int4 codes (linalg.index in the body) and an
// f64 result are left alone. The elementwise ReLU after them is vectorized
// like any op (no reduction loops: one body application per tile).
// CHECK-LABEL: func.func @negative
// CHECK-NOT:   vector.
// CHECK:       linalg.generic
// CHECK:         linalg.index
// CHECK:       linalg.matmul {{.*}} tensor<8x8xf64>
// CHECK:         arith.maximumf %{{.*}} : vector<16xf32>
// CHECK-NOT:   linalg.generic
func.func @negative(%a: tensor<8x4xf32>, %p: tensor<64xi8>, %c: tensor<8x32xf32>, %d: tensor<8x8xf64>) -> (tensor<8x32xf32>, tensor<8x8xf64>) {
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> ((k * 32 + n) floordiv 2)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : tensor<8x4xf32>, tensor<64xi8>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: f32, %b: i8, %acc: f32):
    %n = linalg.index 1 : index
    %i = arith.index_cast %n : index to i8
    %s = arith.shrsi %b, %i : i8
    %f = arith.sitofp %s : i8 to f32
    %m = arith.mulf %x, %f : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<8x32xf32>
  %z = linalg.matmul ins(%d, %d : tensor<8x8xf64>, tensor<8x8xf64>) outs(%d : tensor<8x8xf64>) -> tensor<8x8xf64>
  %relu = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x32xf32>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  return %relu, %z : tensor<8x32xf32>, tensor<8x8xf64>
}

// -----

// A transpose (the edge of a channels-last region): lanes run along the
// channels, 58 * 58 elements apart, and the rows of a register block are
// consecutive w, the dim the input is contiguous in. Each lane reads its 8
// rows as one vector and shuffles transpose the block in registers: no
// gather. The tile has 8 channels of 16 lanes: lanes 8-15 read lane 7's
// rows again (never stored), so every read is in bounds.
// CHECK-LABEL: func.func @transpose_gather
// CHECK:       scf.for %{{.*}} = %c0 to %c56 step %c8
// CHECK-COUNT-8: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x8x58x58xf32>, vector<8xf32>
// CHECK:       vector.shuffle
// CHECK-COUNT-8: vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x58x58x8xf32>
// The last 2 rows (58 = 7 x 8 + 2) are one block of 2.
// CHECK:       vector.transfer_read %{{.*}} : tensor<1x8x58x58xf32>, vector<2xf32>
// CHECK-NOT:   vector.gather
// CHECK-NOT:   linalg.transpose
func.func @transpose_gather(%x: tensor<1x8x58x58xf32>) -> tensor<1x58x58x8xf32> {
  %e = tensor.empty() : tensor<1x58x58x8xf32>
  %t = linalg.transpose ins(%x : tensor<1x8x58x58xf32>) outs(%e : tensor<1x58x58x8xf32>) permutation = [0, 2, 3, 1]
  return %t : tensor<1x58x58x8xf32>
}

// -----

// A channels-last 3x3 conv with 7 output columns and a 1.2 MB weight
// (ResNet's last stages): the row block is 7 rows (14 accumulators, no
// one-row remainder loop); the vector-tile loop is outermost, so each 32-
// channel weight panel is read once for all 7 output rows instead of once
// per row; the reduction runs kh, kw, then c (the activation's layout order,
// contiguous innermost).
// CHECK-LABEL: func.func @wide_weight
// CHECK:       scf.for %{{.*}} = %c0 to %c128 step %c32
// CHECK-NEXT:    scf.for %{{.*}} = %c0 to %c7 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK:             scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:               scf.for %{{.*}} = %c0 to %c256 step %c1
// CHECK-COUNT-14:        vector.fma
// CHECK-NOT:   step %c1 iter_args(%{{.*}}) -> (tensor
func.func @wide_weight(%x: tensor<1x9x9x256xf32>) -> tensor<1x7x7x128xf32> {
  %w = arith.constant dense<1.0> : tensor<3x3x256x128xf32>
  %e = tensor.empty() : tensor<1x7x7x128xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x9x9x256xf32>, tensor<3x3x256x128xf32>) outs(%i : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  return %y : tensor<1x7x7x128xf32>
}

// -----

// bf16 x bf16 -> f32 with a constant weight: on a CPU with AVX512_BF16
// (sapphirerapids) the weight is packed in k-pairs ([6 -> 3 pairs] x 32
// columns x 2 = 192 bf16), each activation pair is broadcast as one 32-bit
// word, and x86vector.avx512.dot (vdpbf16ps) accumulates 16 f32 lanes; no
// offset or compensation. Without AVX512_BF16 (x86-64-v3) the body is
// applied lane-wise (extf, fma).
// CHECK-LABEL: func.func @bf16_dot
// CHECK-DAG:   arith.constant dense<"0x{{.*}}"> : tensor<192xbf16>
// CHECK:       vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<8x6xbf16>, vector<2xbf16>
// CHECK:       vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK:       vector.bitcast %{{.*}} : vector<16xi32> to vector<32xbf16>
// CHECK:       vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<192xbf16>, vector<32xbf16>
// CHECK-COUNT-16: x86vector.avx512.dot %{{.*}}, %{{.*}}, %{{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT:   linalg.generic
// AVX2-LABEL:  func.func @bf16_dot
// AVX2-NOT:    x86vector
// AVX2:        arith.extf %{{.*}} : vector<8xbf16> to vector<8xf32>
// AVX2:        vector.fma
func.func @bf16_dot(%a: tensor<8x6xbf16>) -> tensor<8x32xf32> {
  %b = arith.constant dense<"0x803FE0BFC0BFA0BFC0BF803FA03F803E00C0E0BF40BF00BF803E80BE80BFC0BF403F403F00C0E0BF80BE00BFC03F000000BF00BF003F803EC0BF403F803FE03F803F80BF40BF003F003F403FA03F80BFE03F00C0E0BFE03FE03F80BFC0BF40BF00C0C03F003F803EA0BF80BEA0BF803F80BE00C080BF403F000040BF80BFE0BF803E003F0000C03FC03FA0BF803E003FA0BF80BF80BE403F80BF403F003FA0BF00BFA03FA03F003F00C0003FA0BFA03FC03F00BFE03F803F40BFC03F00BFE0BF803EA03F003F00BFC03F80BE00BFC0BFA0BF403F803F80BF003FA03FC0BF80BF0000000000BF00BFC0BF803EC03FA0BF803FC0BF00C0403FC0BF803F40BF803EE03FC03F80BEA0BF80BFA03F803EC0BFC03FE03FE03F803EE03F803E0000E03F803E803F40BF803FE03F00C0000040BF00C0E0BF80BFA0BF403FA0BF003FA03F80BEC0BFE0BF80BF00BF80BE80BFA03F803EE03FC03F403F00C0A0BF403F0000E03F403FA03F00C080BF003F003F40BFC0BF803EE0BF003F803F003FE0BF0000"> : tensor<6x32xbf16>
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x6xbf16>, tensor<6x32xbf16>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: bf16, %w: bf16, %acc: f32):
    %xe = arith.extf %x : bf16 to f32
    %we = arith.extf %w : bf16 to f32
    %p = arith.mulf %xe, %we : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// A bf16 weight widened to f32 times an f32 activation (float-type=bf16
// weights, decoded in the kernel): with AVX512_BF16 the activation is
// rounded to bf16 by an elementwise op of its own (vectorized: 16 lanes of
// truncf) and the kernel is the vdpbf16ps one above. Without it, the
// activation stays f32 and the weight is widened in registers.
// CHECK-LABEL: func.func @bf16_weight_f32_activation
// CHECK:       arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK:       vector.transfer_read %{{.*}} : tensor<8x6xbf16>, vector<2xbf16>
// CHECK-COUNT-16: x86vector.avx512.dot
// CHECK-NOT:   linalg.generic
// F32ACT-LABEL: func.func @bf16_weight_f32_activation
// F32ACT-NOT:   x86vector
// F32ACT-NOT:   arith.truncf
// F32ACT:       arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// F32ACT-LABEL: func.func @transpose_back
// AVX2-LABEL:  func.func @bf16_weight_f32_activation
// AVX2-NOT:    x86vector
// AVX2-NOT:    arith.truncf
// AVX2:        arith.extf %{{.*}} : vector<8xbf16> to vector<8xf32>
// AVX2:        vector.fma
func.func @bf16_weight_f32_activation(%a: tensor<8x6xf32>) -> tensor<8x32xf32> {
  %b = arith.constant dense<"0x803FE0BFC0BFA0BFC0BF803FA03F803E00C0E0BF40BF00BF803E80BE80BFC0BF403F403F00C0E0BF80BE00BFC03F000000BF00BF003F803EC0BF403F803FE03F803F80BF40BF003F003F403FA03F80BFE03F00C0E0BFE03FE03F80BFC0BF40BF00C0C03F003F803EA0BF80BEA0BF803F80BE00C080BF403F000040BF80BFE0BF803E003F0000C03FC03FA0BF803E003FA0BF80BF80BE403F80BF403F003FA0BF00BFA03FA03F003F00C0003FA0BFA03FC03F00BFE03F803F40BFC03F00BFE0BF803EA03F003F00BFC03F80BE00BFC0BFA0BF403F803F80BF003FA03FC0BF80BF0000000000BF00BFC0BF803EC03FA0BF803FC0BF00C0403FC0BF803F40BF803EE03FC03F80BEA0BF80BFA03F803EC0BFC03FE03FE03F803EE03F803E0000E03F803E803F40BF803FE03F00C0000040BF00C0E0BF80BFA0BF403FA0BF003FA03F80BEC0BFE0BF80BF00BF80BE80BFA03F803EE03FC03F403F00C0A0BF403F0000E03F403FA03F00C080BF003F003F40BFC0BF803EE0BF003F803F003FE0BF0000"> : tensor<6x32xbf16>
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x6xf32>, tensor<6x32xbf16>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: f32, %w: bf16, %acc: f32):
    %we = arith.extf %w : bf16 to f32
    %p = arith.mulf %x, %we : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// The transpose back to channels first: lanes run along w (16 channels
// apart), and the rows of a register block are consecutive channels (the
// dim the source is contiguous in): each of the 6 valid lanes reads 8
// channels as one vector, then shuffles transpose the block. The loops are
// h, then blocks of 8 channels.
// CHECK-LABEL: func.func @transpose_back
// CHECK:       scf.for %{{.*}} = %c0 to %c6 step %c1
// CHECK-NEXT:    scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK-COUNT-6:   vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x6x6x16xf32>, vector<8xf32>
// CHECK-NOT:       vector.gather
func.func @transpose_back(%x: tensor<1x6x6x16xf32>) -> tensor<1x16x6x6xf32> {
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %t = linalg.transpose ins(%x : tensor<1x6x6x16xf32>) outs(%e : tensor<1x16x6x6xf32>) permutation = [0, 3, 1, 2]
  return %t : tensor<1x16x6x6xf32>
}

// -----

// Two operands transposed differently: the row dim (b) is the one %x is
// contiguous in, so %x is read per lane and transposed in registers; %y is
// contiguous in a (the outer loop) and is gathered, 48 elements apart per
// lane.
// CHECK-LABEL: func.func @two_layouts
// CHECK:       scf.for %{{.*}} = %c0 to %c6 step %c1
// CHECK-COUNT-32: vector.transfer_read %{{.*}} : tensor<32x6x8xf32>, vector<8xf32>
// CHECK:       tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<32x8x6xf32> into tensor<1536xf32>
// CHECK-COUNT-16: vector.gather
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

// -----

// A GEMM whose activation (1024 x 512 f32, 2 MiB) does not stay in L2
// across the vector tiles: the rows are split into panels of 512 (1 MiB of
// activation), each running both 32-column tiles, and the panel loop is
// the one threads share.
// CHECK-LABEL: func.func @row_panels
// CHECK:       scf.for %[[P:.*]] = %c0 to %c1024 step %c512
// CHECK:         %[[END:.*]] = arith.minui %{{.*}}, %c1024 : index
// CHECK:         scf.for %{{.*}} = %c0 to %c64 step %c32
// CHECK:           scf.for %{{.*}} = %[[P]] to %{{.*}} step %c8
// CHECK:             scf.for %{{.*}} = %c0 to %c512 step %c1
// CHECK:       } {compress.parallel}
func.func @row_panels(%x: tensor<1024x512xf32>) -> tensor<1024x64xf32> {
  %w = arith.constant dense<1.0> : tensor<512x64xf32>
  %e = tensor.empty() : tensor<1024x64xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1024x64xf32>) -> tensor<1024x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1024x512xf32>, tensor<512x64xf32>) outs(%i : tensor<1024x64xf32>) -> tensor<1024x64xf32>
  return %y : tensor<1024x64xf32>
}

// -----

// The activation of an int8 VNNI kernel computed by an elementwise op used
// only there (its quantization; here a trunci): the unsigned offset joins
// that op's body, so there is one elementwise kernel (trunci, then xor, per
// vector) and no separate pass over the activation.
// CHECK-LABEL: func.func @int8_vnni_fold
// CHECK:       %[[T:.*]] = arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// CHECK-NEXT:  arith.xori %[[T]], %{{.*}} : vector<16xi8>
// CHECK-COUNT-7: arith.trunci
// CHECK:       arith.xori
// CHECK-NOT:   arith.xori
// CHECK:       compress.vnni_dot
func.func @int8_vnni_fold(%a32: tensor<8x8xi32>) -> tensor<8x32xi32> {
  %e8 = tensor.empty() : tensor<8x8xi8>
  %a = linalg.generic {indexing_maps = [affine_map<(m, k) -> (m, k)>, affine_map<(m, k) -> (m, k)>], iterator_types = ["parallel", "parallel"]}
      ins(%a32 : tensor<8x8xi32>) outs(%e8 : tensor<8x8xi8>) {
  ^bb0(%v: i32, %o: i8):
    %t = arith.trunci %v : i32 to i8
    linalg.yield %t : i8
  } -> tensor<8x8xi8>
  %b = arith.constant dense<3> : tensor<8x32xi8>
  %e = tensor.empty() : tensor<8x32xi32>
  %z = arith.constant 0 : i32
  %c = linalg.fill ins(%z : i32) outs(%e : tensor<8x32xi32>) -> tensor<8x32xi32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x8xi8>, tensor<8x32xi8>) outs(%c : tensor<8x32xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x32xi32>
  return %y : tensor<8x32xi32>
}

// -----

// The transpose to channels last with 16 channels (one whole vector) and
// a dynamic batch: the block's 6 rows (w) are contiguous in the source, so
// each of the 16 lanes (channels) reads its 6 rows as one vector, and
// shuffles transpose the 16 x 6 block in registers (padded to 8 rows: 8
// joins and 3 steps of 8, less the 2 dead padding rows of the last)
// instead of gathering each row.
// CHECK-LABEL: func.func @transpose_dynamic_batch
// CHECK:       scf.for %{{.*}} = %c0 to %c6 step %c1
// CHECK-COUNT-16: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<?x16x6x6xf32>, vector<6xf32>
// CHECK-COUNT-16: vector.shuffle %{{.*}} [0, 1, 2, 3, 4, 5, 0, 0] : vector<6xf32>, vector<6xf32>
// CHECK-COUNT-8:  vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// CHECK-COUNT-22: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-6:  vector.transfer_write {{.*}} : vector<16xf32>, tensor<?x6x6x16xf32>
// CHECK-NOT:   vector.gather
// CHECK-NOT:   linalg.transpose
func.func @transpose_dynamic_batch(%x: tensor<?x16x6x6xf32>) -> tensor<?x6x6x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x16x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x6x6x16xf32>
  %t = linalg.transpose ins(%x : tensor<?x16x6x6xf32>) outs(%e : tensor<?x6x6x16xf32>) permutation = [0, 2, 3, 1]
  return %t : tensor<?x6x6x16xf32>
}

// -----

// An elementwise kernel reuses nothing across vector tiles: the row blocks
// are outermost (the loop threads share) and each walks its rows through
// all the vector tiles, so memory is read along rows rather than in column
// stripes that touch a new row (a new page) per step.
// CHECK-LABEL: func.func @elementwise_rows_outer
// CHECK:       scf.for %[[R:.*]] = %c0 to %c64 step %c8
// CHECK:         scf.for %{{.*}} = %c0 to %c512 step %c32
// CHECK:           scf.for %{{.*}} = %[[R]] to
// CHECK:             arith.mulf %{{.*}} : vector<16xf32>
// CHECK:       } {compress.parallel}
func.func @elementwise_rows_outer(%x: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %e = tensor.empty() : tensor<64x512xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x512xf32>) outs(%e : tensor<64x512xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.mulf %v, %v : f32
    linalg.yield %m : f32
  } -> tensor<64x512xf32>
  return %y : tensor<64x512xf32>
}

// -----

// With a dynamic row count too.
// CHECK-LABEL: func.func @elementwise_dynamic_rows
// CHECK:       %[[N:.*]] = tensor.dim
// CHECK:       scf.for %[[R:.*]] = %c0 to %[[N]] step %c8
// CHECK:         scf.for %{{.*}} = %c0 to %c512 step %c32
// CHECK:           scf.for %{{.*}} = %[[R]] to
// CHECK:       } {compress.parallel}
func.func @elementwise_dynamic_rows(%x: tensor<?x512xf32>) -> tensor<?x512xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x512xf32>
  %e = tensor.empty(%n) : tensor<?x512xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x512xf32>) outs(%e : tensor<?x512xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.mulf %v, %v : f32
    linalg.yield %m : f32
  } -> tensor<?x512xf32>
  return %y : tensor<?x512xf32>
}

// -----

// A reduction of a whole tensor to scalars (the run-time range of dynamic
// quantization): one vector loop over the flattened input with a vector
// accumulator per result, started from the init value, a horizontal
// vector.reduction, and a scalar loop for the 7 x 37 % 16 = 3 elements left.
// CHECK-LABEL: func.func @full_reduction_min_max
// CHECK-SAME:  %[[X:.*]]: tensor<7x37xf32>
// CHECK-DAG:   %[[SPLAT:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<7x37xf32> into tensor<259xf32>
// CHECK:       %[[V:.*]]:2 = scf.for %[[I:.*]] = %c0 to %c256 step %c16 iter_args(%[[A:.*]] = %[[SPLAT]], %[[B:.*]] = %[[SPLAT]])
// CHECK:         %[[R:.*]] = vector.transfer_read %[[FLAT]][%[[I]]]
// CHECK:         arith.minnumf %[[A]], %[[R]] : vector<16xf32>
// CHECK:         arith.maxnumf %[[B]], %[[R]] : vector<16xf32>
// CHECK:       vector.reduction <minnumf>, %[[V]]#0, %{{.*}} : vector<16xf32> into f32
// CHECK:       vector.reduction <maxnumf>, %[[V]]#1, %{{.*}} : vector<16xf32> into f32
// CHECK:       scf.for %{{.*}} = %c256 to %c259 step %c1
// CHECK:         tensor.extract %[[FLAT]]
// CHECK-NOT:   linalg.generic
func.func @full_reduction_min_max(%x: tensor<7x37xf32>) -> (tensor<f32>, tensor<f32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<7x37xf32>) outs(%i, %i : tensor<f32>, tensor<f32>) {
  ^bb0(%v: f32, %lo: f32, %hi: f32):
    %l = arith.minnumf %lo, %v : f32
    %h = arith.maxnumf %hi, %v : f32
    linalg.yield %l, %h : f32, f32
  } -> (tensor<f32>, tensor<f32>)
  return %r#0, %r#1 : tensor<f32>, tensor<f32>
}

// -----

// An integer sum of widened i8 values starts its vector accumulator from 0
// (not a splat of the init, which would be added 16 times); the init joins
// in the horizontal reduction. The body's extension is applied lane-wise.
// CHECK-LABEL: func.func @full_reduction_sum_i8
// CHECK:       %[[ZERO:.*]] = arith.constant dense<0> : vector<16xi32>
// CHECK:       %[[V:.*]] = scf.for %{{.*}} iter_args(%[[A:.*]] = %[[ZERO]]) -> (vector<16xi32>)
// CHECK:         %[[R:.*]] = vector.transfer_read {{.*}} : tensor<?xi8>, vector<16xi8>
// CHECK:         %[[E:.*]] = arith.extsi %[[R]] : vector<16xi8> to vector<16xi32>
// CHECK:         arith.addi %[[A]], %[[E]] : vector<16xi32>
// CHECK:       vector.reduction <add>, %[[V]], %{{.*}} : vector<16xi32> into i32
func.func @full_reduction_sum_i8(%x: tensor<?x5xi8>, %init: tensor<i32>) -> tensor<i32> {
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<?x5xi8>) outs(%init : tensor<i32>) {
  ^bb0(%v: i8, %acc: i32):
    %w = arith.extsi %v : i8 to i32
    %s = arith.addi %acc, %w : i32
    linalg.yield %s : i32
  } -> tensor<i32>
  return %r : tensor<i32>
}

// -----

// A float sum would round differently in another order: not vectorized
// (nor is a reduction whose result keeps a dim; that is a kernel's job).
// CHECK-LABEL: func.func @full_reduction_float_sum_kept
// CHECK:       linalg.generic
// CHECK-SAME:  iterator_types = ["reduction"]
// CHECK-NOT:   vector.reduction
func.func @full_reduction_float_sum_kept(%x: tensor<64xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(a) -> (a)>, affine_map<(a) -> ()>], iterator_types = ["reduction"]}
      ins(%x : tensor<64xf32>) outs(%init : tensor<f32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// The range of an NCHW input after compress-channels-last: a transpose to
// NHWC read through a permuted map. The order does not matter to a min or
// a max, so the input is read before the transpose, in its memory order.
// CHECK-LABEL: func.func @full_reduction_through_transpose
// CHECK-SAME:  %[[X:.*]]: tensor<1x8x5x5xf32>
// CHECK:       tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]] : tensor<1x8x5x5xf32> into tensor<200xf32>
// CHECK:       vector.reduction <maxnumf>
// CHECK-NOT:   linalg.transpose
func.func @full_reduction_through_transpose(%x: tensor<1x8x5x5xf32>, %init: tensor<f32>) -> tensor<f32> {
  %e = tensor.empty() : tensor<1x5x5x8xf32>
  %t = linalg.transpose ins(%x : tensor<1x8x5x5xf32>) outs(%e : tensor<1x5x5x8xf32>) permutation = [0, 2, 3, 1]
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, c, d, b)>, affine_map<(a, b, c, d) -> ()>], iterator_types = ["reduction", "reduction", "reduction", "reduction"]}
      ins(%t : tensor<1x5x5x8xf32>) outs(%init : tensor<f32>) {
  ^bb0(%v: f32, %acc: f32):
    %m = arith.maxnumf %acc, %v : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Body ops whose operands are all broadcast scalars run on the scalar: the
// f16 activation is widened once per row and then broadcast, not
// broadcast as f16 and widened as a vector (bf16 weights and activations
// on CPUs without AVX512_BF16 take this path: 33 -> 22 ms for 1024^3).
// CHECK-LABEL: func.func @scalar_widening
// CHECK:       %[[A:.*]] = tensor.extract %{{.*}} : tensor<8x64xf16>
// CHECK:       %[[W:.*]] = arith.extf %[[A]] : f16 to f32
// CHECK-NEXT:  vector.broadcast %[[W]] : f32 to vector<16xf32>
// CHECK-NOT:   arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
func.func @scalar_widening(%x: tensor<8x64xf16>) -> tensor<8x32xf32> {
  %w = arith.constant dense<0.5> : tensor<64x32xf32>
  %e = tensor.empty() : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<8x64xf16>, tensor<64x32xf32>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%a: f16, %b: f32, %acc: f32):
    %ae = arith.extf %a : f16 to f32
    %p = arith.mulf %ae, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// int4 codes (what compress-fuse-dequant leaves: the decode in the body) are
// repacked into nibble panels: byte j of a panel row holds column j in its
// low nibble and column j + 16 in its high nibble (0x11 = 17 for code 1 in
// columns 0 and 16, 0x88 = -120 for code -8; the second panel has columns
// 32-39 in its low nibbles and zeros past column 40). Every value
// of the body computed from the code alone (extsi, sitofp, times the
// per-tensor scale 0.5) is one table lookup per vector: the table holds
// the decoded value of each code (-8..7 as 0..15), and no op of the decode
// remains in the loop.
#map_x = affine_map<(m, n, k) -> (m, k)>
#map_w = affine_map<(m, n, k) -> (k, n)>
#map_y = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @int4_lookup
// CHECK-DAG:   %[[TABLE:.*]] = arith.constant dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00, 2.000000e+00, 2.500000e+00, 3.000000e+00, 3.500000e+00, -4.000000e+00, -3.500000e+00, -3.000000e+00, -2.500000e+00, -2.000000e+00, -1.500000e+00, -1.000000e+00, -5.000000e-01]> : vector<16xf32>
// CHECK-DAG:   %[[PANELS:.*]] = arith.constant dense<{{\[\[\[}}17, 34, 51, 68, 85, 102, 119, -120, -103, -86, -69, -52, -35, -18, -1, 0], {{.*}}{{\]\]}}, {{\[\[}}1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0], {{.*}}]> : tensor<2x3x16xi8>
// CHECK:       scf.for
// CHECK:         %[[BYTES:.*]] = vector.transfer_read %[[PANELS]]{{.*}} : tensor<2x3x16xi8>, vector<16xi8>
// CHECK:         %[[LOW:.*]] = arith.extui %[[BYTES]] : vector<16xi8> to vector<16xi32>
// CHECK:         %[[HIGH:.*]] = arith.shrui %[[LOW]]
// CHECK-DAG:     compress.lookup %[[TABLE]][%[[LOW]]] : vector<16xf32>, vector<16xi32>
// CHECK-DAG:     compress.lookup %[[TABLE]][%[[HIGH]]] : vector<16xf32>, vector<16xi32>
// CHECK-NOT:     arith.sitofp
// CHECK-NOT:     arith.extsi
// CHECK:         scf.yield
// AVX2-LABEL:  func.func @int4_lookup
// AVX2:          vector.transfer_read {{.*}} : tensor<3x3x8xi8>, vector<8xi8>
// AVX2-COUNT-2:  compress.lookup {{.*}} : vector<16xf32>, vector<8xi32>
func.func @int4_lookup(%x: tensor<4x3xf32>) -> tensor<4x40xf32> {
  %q = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8],
                              [1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8],
                              [1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8]]> : tensor<3x40xi4>
  %e = tensor.empty() : tensor<4x40xf32>
  %z = arith.constant 0.0 : f32
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4x40xf32>) -> tensor<4x40xf32>
  %s = arith.constant 0.5 : f32
  %y = linalg.generic {indexing_maps = [#map_x, #map_w, #map_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %q : tensor<4x3xf32>, tensor<3x40xi4>) outs(%i : tensor<4x40xf32>) {
  ^bb0(%a: f32, %c: i4, %acc: f32):
    %c32 = arith.extsi %c : i4 to i32
    %f = arith.sitofp %c32 : i32 to f32
    %w = arith.mulf %f, %s : f32
    %p = arith.mulf %a, %w : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<4x40xf32>
  return %y : tensor<4x40xf32>
}

// -----

// One row: the registers the other rows would take become more chunks (4
// vectors per row, 64 columns per tile), so the reduction carries 4
// independent accumulators instead of 2.
// CHECK-LABEL: func.func @one_row
// CHECK:       scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK:         scf.for %{{.*}} = %c0 to %c256 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-4:   vector.fma
// CHECK:           scf.yield
// AVX2-LABEL:  func.func @one_row
// AVX2:          scf.for %{{.*}} = %c0 to %c256 step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
func.func @one_row(%a: tensor<1x256xf32>) -> tensor<1x128xf32> {
  %b = arith.constant dense<0.5> : tensor<256x128xf32>
  %e = tensor.empty() : tensor<1x128xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x128xf32>) -> tensor<1x128xf32>
  %y = linalg.matmul ins(%a, %b : tensor<1x256xf32>, tensor<256x128xf32>) outs(%c : tensor<1x128xf32>) -> tensor<1x128xf32>
  return %y : tensor<1x128xf32>
}

// -----

// A per-group factor (the scales of a weight decoded per group, after
// compress-fuse-dequant split the reduction into groups d2 and their
// elements d3): each group sums its products without the scale from zero,
// then adds the sums times the group's scales (widened from f16) to the
// accumulators; the scale is not multiplied into every weight.
// CHECK-LABEL: func.func @group_factor
// CHECK:       scf.for %[[G:[a-z0-9_]+]] = %c0 to %c4 step %c1 iter_args
// CHECK:         %[[SUMS:[0-9]+]]:2 = scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(%{{.*}} = %[[ZERO:[a-z0-9_]+]], %{{.*}} = %[[ZERO]])
// CHECK-NOT:       arith.mulf
// CHECK:           vector.fma
// CHECK-NOT:       arith.mulf
// CHECK:           scf.yield
// CHECK:         vector.transfer_read %{{.*}}[%c0, %[[G]], %c0]{{.*}} : tensor<1x4x32xf16>, vector<16xf16>
// CHECK:         arith.extf {{.*}} : vector<16xf16> to vector<16xf32>
// CHECK:         vector.fma %[[SUMS]]#0
func.func @group_factor(%x: tensor<1x4x8xf32>) -> tensor<1x32xf32> {
  %w = arith.constant dense<3> : tensor<4x8x32xi8>
  %s = arith.constant dense<0.5> : tensor<4x32xf16>
  %e = tensor.empty() : tensor<1x32xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x32xf32>) -> tensor<1x32xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, g, k) -> (m, g, k)>, affine_map<(m, n, g, k) -> (g, k, n)>, affine_map<(m, n, g, k) -> (g, n)>, affine_map<(m, n, g, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w, %s : tensor<1x4x8xf32>, tensor<4x8x32xi8>, tensor<4x32xf16>) outs(%c : tensor<1x32xf32>) {
  ^bb0(%a: f32, %q: i8, %sc: f16, %acc: f32):
    %se = arith.extf %sc : f16 to f32
    %qi = arith.extsi %q : i8 to i32
    %qf = arith.sitofp %qi : i32 to f32
    %d = arith.mulf %qf, %se : f32
    %p = arith.mulf %a, %d : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}

// -----

// A sparse product whose N x M result is transposed back to M x N (as
// compress-sparsify emits it) writes M x N itself: the tiles' columns go
// into a buffer of 64 columns x one chunk of 64, and are written
// transposed, by blocks of 16 x 16 in registers (four butterfly steps of
// 16 shuffles).
// Four 2-byte rows of a group are read as one 8-byte word.
// With N not a multiple of the lanes, without blocks of rows at most 64
// columns (one tile: one thread), or fewer than 64 activation rows (a
// chunk of less work per element written), the transpose stays a kernel of
// its own.
// CHECK-LABEL: func.func @sparse_matmul_transposed
// CHECK:       tensor.empty() : tensor<64x80xf32>
// CHECK:       scf.for
// CHECK:         tensor.empty() : tensor<64x64xf32>
// CHECK:         vector.bitcast {{.*}} : vector<4xi16> to vector<1xi64>
// CHECK-COUNT-16: vector.transfer_read {{.*}} : tensor<64x64xf32>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-16: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<64x80xf32>
// CHECK-NOT:   linalg.
// CHECK-NOT:   tensor<80x64xf32>
// CHECK-LABEL: func.func @sparse_matmul_transposed_ragged
// CHECK:       tensor.empty() : tensor<24x64xf32>
// CHECK-NOT:   linalg.
func.func @sparse_matmul_transposed(%x: tensor<8x64xf32>) -> tensor<64x80xf32> {
  %offsets = arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160, 164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224, 228, 232, 236, 240, 244, 248, 252, 256, 260, 264, 268, 272, 276, 280, 284, 288, 292, 296, 300, 304, 308, 312, 316, 320]> : tensor<81xi32>
  %rows = arith.constant dense<1> : tensor<320xi16>
  %values = arith.constant dense<1.0> : tensor<320xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 4}
      : tensor<8x64xf32>, tensor<81xi32>, tensor<320xi16>, tensor<320xf32> -> tensor<80x64xf32>
  %e = tensor.empty() : tensor<64x80xf32>
  %t = linalg.transpose ins(%y : tensor<80x64xf32>) outs(%e : tensor<64x80xf32>) permutation = [1, 0]
  return %t : tensor<64x80xf32>
}

func.func @sparse_matmul_transposed_ragged(%x: tensor<8x64xf32>) -> tensor<64x24xf32> {
  %offsets = arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96]> : tensor<25xi32>
  %rows = arith.constant dense<1> : tensor<96xi16>
  %values = arith.constant dense<1.0> : tensor<96xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 4}
      : tensor<8x64xf32>, tensor<25xi32>, tensor<96xi16>, tensor<96xf32> -> tensor<24x64xf32>
  %e = tensor.empty() : tensor<64x24xf32>
  %t = linalg.transpose ins(%y : tensor<24x64xf32>) outs(%e : tensor<64x24xf32>) permutation = [1, 0]
  return %t : tensor<64x24xf32>
}

// -----

// An input transposed from the activation just before (as compress-sparsify
// emits it), M and K whole blocks of lanes: one part of the tiles per
// thread (`threads`, the parallel loop), each part transposing the
// activation into a buffer of its own (blocks of 16 x 16 in registers),
// which its tiles read; the parts split the tiles [p * tiles / parts,
// (p + 1) * tiles / parts). With one thread, one part (no loop).
// CHECK-LABEL: func.func @sparse_matmul_transposed_input
// CHECK-NOT:   linalg.transpose
// CHECK:       tensor.empty() : tensor<16x64xf32>
// CHECK-COUNT-16: vector.transfer_read {{.*}} : tensor<64x16xf32>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle
// CHECK-COUNT-16: vector.transfer_write {{.*}} : vector<16xf32>, tensor<16x64xf32>
// CHECK-NOT:   linalg.transpose
// PARTS-LABEL: func.func @sparse_matmul_transposed_input
// PARTS-NOT:   linalg.transpose
// PARTS:       scf.for %[[PART:.*]] = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x80xf32>) {
// PARTS:         %[[FIRST:.*]] = arith.muli %[[PART]], %c2
// PARTS:         %[[LO:.*]] = arith.divui %[[FIRST]], %c2
// PARTS:         %[[NEXT:.*]] = arith.addi %[[PART]], %c1
// PARTS:         %[[LAST:.*]] = arith.muli %[[NEXT]], %c2
// PARTS:         %[[HI:.*]] = arith.divui %[[LAST]], %c2
// PARTS:         tensor.empty() : tensor<16x64xf32>
// PARTS-COUNT-16: vector.transfer_read {{.*}} : tensor<64x16xf32>, vector<16xf32>
// PARTS:         scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c1
// PARTS:       } {compress.parallel}
// PARTS-NOT:   linalg.transpose
// A transpose with another use stays a kernel of its own, which the
// tiles read.
// PARTS-LABEL: func.func @sparse_matmul_transposed_input_shared
// PARTS-NOT:   tensor<64x16xf32>, vector<16xf32>
// PARTS:       scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args
// PARTS-NOT:   tensor<64x16xf32>
// PARTS:       } {compress.parallel}
func.func @sparse_matmul_transposed_input(%x: tensor<64x16xf32>) -> tensor<64x80xf32> {
  %offsets = arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160, 164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224, 228, 232, 236, 240, 244, 248, 252, 256, 260, 264, 268, 272, 276, 280, 284, 288, 292, 296, 300, 304, 308, 312, 316, 320]> : tensor<81xi32>
  %rows = arith.constant dense<1> : tensor<320xi16>
  %values = arith.constant dense<1.0> : tensor<320xf32>
  %ei = tensor.empty() : tensor<16x64xf32>
  %xt = linalg.transpose ins(%x : tensor<64x16xf32>) outs(%ei : tensor<16x64xf32>) permutation = [1, 0]
  %y = compress.sparse_matmul %xt, %offsets, %rows, %values {group = 4}
      : tensor<16x64xf32>, tensor<81xi32>, tensor<320xi16>, tensor<320xf32> -> tensor<80x64xf32>
  %e = tensor.empty() : tensor<64x80xf32>
  %t = linalg.transpose ins(%y : tensor<80x64xf32>) outs(%e : tensor<64x80xf32>) permutation = [1, 0]
  return %t : tensor<64x80xf32>
}

func.func @sparse_matmul_transposed_input_shared(%x: tensor<64x16xf32>) -> (tensor<64x80xf32>, tensor<16x64xf32>) {
  %offsets = arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160, 164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224, 228, 232, 236, 240, 244, 248, 252, 256, 260, 264, 268, 272, 276, 280, 284, 288, 292, 296, 300, 304, 308, 312, 316, 320]> : tensor<81xi32>
  %rows = arith.constant dense<1> : tensor<320xi16>
  %values = arith.constant dense<1.0> : tensor<320xf32>
  %ei = tensor.empty() : tensor<16x64xf32>
  %xt = linalg.transpose ins(%x : tensor<64x16xf32>) outs(%ei : tensor<16x64xf32>) permutation = [1, 0]
  %y = compress.sparse_matmul %xt, %offsets, %rows, %values {group = 4}
      : tensor<16x64xf32>, tensor<81xi32>, tensor<320xi16>, tensor<320xf32> -> tensor<80x64xf32>
  %e = tensor.empty() : tensor<64x80xf32>
  %t = linalg.transpose ins(%y : tensor<80x64xf32>) outs(%e : tensor<64x80xf32>) permutation = [1, 0]
  return %t, %xt : tensor<64x80xf32>, tensor<16x64xf32>
}

// -----

// Columns by pairs: one step per pair (the threads' loop), the pair's
// three ranges of entries: shared rows (4 input vectors read once, 8 FMAs:
// column n's vectors, then column n + 1's, alternating between two sets
// of accumulators per column), then each column's own rows (4 FMAs per
// entry); both columns written.
// CHECK-LABEL: func.func @sparse_matmul_paired
// CHECK:       scf.for %[[N:.*]] = %c0 to %c4 step %c2 iter_args
// CHECK:         %{{.*}}:16 = scf.for
// CHECK-COUNT-4:   %[[X:.*]] = vector.transfer_read %arg0
// CHECK-COUNT-8:   vector.fma
// CHECK:         %{{.*}}:8 = scf.for
// CHECK-COUNT-16:  vector.fma
// CHECK:         %{{.*}}:8 = scf.for
// CHECK-COUNT-16:  vector.fma
// CHECK-COUNT-4: vector.transfer_write {{.*}}[%[[N]], %{{.*}}]
// CHECK:         %[[NEXT:.*]] = arith.addi %[[N]], %c1
// CHECK-COUNT-4: vector.transfer_write {{.*}}[%[[NEXT]], %{{.*}}]
func.func @sparse_matmul_paired(%x: tensor<8x64xf32>) -> tensor<4x64xf32> {
  %offsets = arith.constant dense<[0, 4, 8, 12, 16, 20, 24]> : tensor<7xi32>
  %rows = arith.constant dense<[0, 0, 2, 2, 1, 1, 1, 1, 3, 3, 3, 3, 4, 4, 0, 0, 5, 5, 5, 5, 6, 6, 6, 6]> : tensor<24xi16>
  %values = arith.constant dense<1.0> : tensor<24xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %values {group = 4, paired}
      : tensor<8x64xf32>, tensor<7xi32>, tensor<24xi16>, tensor<24xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// int8 codes: each group of 4 codes is read as one vector, widened and
// converted once, and each entry's lane broadcast; the column's scale
// multiplies its sums.
// CHECK-LABEL: func.func @sparse_matmul_codes
// CHECK:       scf.for
// CHECK:         %[[CODES:.*]] = vector.transfer_read {{.*}} : tensor<8xi8>, vector<4xi8>
// CHECK:         %[[VALUES:.*]] = arith.sitofp %[[CODES]] : vector<4xi8> to vector<4xf32>
// CHECK-COUNT-4: vector.extract %[[VALUES]]
// CHECK-NOT:     arith.sitofp
// CHECK:       arith.mulf
func.func @sparse_matmul_codes(%x: tensor<4x64xf32>) -> tensor<2x64xf32> {
  %offsets = arith.constant dense<[0, 4, 8]> : tensor<3xi32>
  %rows = arith.constant dense<[0, 1, 2, 3, 3, 2, 1, 0]> : tensor<8xi16>
  %codes = arith.constant dense<[1, -2, 3, 4, 5, 6, -7, 8]> : tensor<8xi8>
  %scales = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %y = compress.sparse_matmul %x, %offsets, %rows, %codes scales(%scales : tensor<2xf32>) {group = 4}
      : tensor<4x64xf32>, tensor<3xi32>, tensor<8xi16>, tensor<8xi8> -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}
