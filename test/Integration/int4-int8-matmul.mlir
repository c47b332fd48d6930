// i8 x i4 -> i32 contractions (int4 weights with int8 activations, the
// integer kernel of `compress-quantize bits=4 mode=dynamic|static`), run
// natively and checked exactly against numpy (%s.py). The weights take all
// 16 codes in every column; activations include -128 and 127; K = 71 is 17
// whole quads and a masked one. @wide (N = 45: a 32-column tile and a masked
// one) stores its codes two per byte; with 32 rows or more (4 blocks of 8)
// each tile's codes are decoded to bytes into a buffer that the row blocks
// read, with fewer they are decoded in registers. @tall (the same weight, 37
// rows known at compile time) decodes each tile once, outside the row loops.
// @narrow (N = 9: a 16-column tile, one register) stores them one per byte.
// @grouped is the per-group kernel of `granularity=per-group` (8 groups of 9:
// each group's i32 sums start from its own column sums and are added times
// the group's scales to f32 accumulators); its scales are powers of two, so
// it is exact too. All run
// with VNNI (the host's kernel, cpu=znver4 for the IR checks) and on AVX2
// (cpu=x86-64-v3: lane-wise, the codes decoded through tables).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py model %t/model.mlir
// RUN: %python -c "import numpy as np; r = np.random.default_rng(7); \
// RUN:   x = r.integers(-128, 128, (37, 71)).astype(np.int8); x[0] = -128; x[1] = 127; \
// RUN:   np.save('%t/x.npy', x); np.save('%t/x1.npy', x[5:6]); \
// RUN:   x72 = r.integers(-128, 128, (37, 72)).astype(np.int8); x72[0] = -128; x72[1] = 127; \
// RUN:   np.save('%t/x72.npy', x72); np.save('%t/x72one.npy', x72[3:4])"
//
// RUN: compress-opt %t/model.mlir --compress-tile-and-vectorize=cpu=znver4 | FileCheck %s
// CHECK-LABEL: func.func @wide
// 18 quads x 2 tiles x 32 columns x 4 codes, two per byte:
// CHECK:       %[[CODES:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<2304xi8>
// CHECK:       scf.if
// A tile's 18 quads x 32 columns x 4 codes as bytes:
// CHECK:       %[[BUFFER:.*]] = scf.for {{.*}} -> (tensor<2304xi8>)
// CHECK:         vector.transfer_read %[[CODES]]{{.*}} : tensor<2304xi8>, vector<64xi8>
// CHECK:         arith.andi
// CHECK:         arith.shrui
// CHECK:         vector.transfer_write {{.*}} : vector<64xi8>, tensor<2304xi8>
// CHECK-NOT:   arith.shrui
// CHECK:       vector.transfer_read %[[BUFFER]]{{.*}} : tensor<2304xi8>, vector<64xi8>
// CHECK-NOT:   arith.shrui
// CHECK:       compress.vnni_dot
// CHECK:       } else {
// CHECK:       vector.transfer_read %[[CODES]]{{.*}} : tensor<2304xi8>, vector<64xi8>
// CHECK:       arith.andi
// CHECK:       arith.shrui
// CHECK:       compress.vnni_dot
// CHECK-LABEL: func.func @narrow
// CHECK:       arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<1152xi8>
// CHECK-NOT:   arith.shrui
// CHECK:       compress.vnni_dot
// CHECK-LABEL: func.func @tall
// CHECK-NOT:   scf.if
// The tile loop, then the tile's decode, then the row loops:
// CHECK:       scf.for {{.*}} step %c32{{(_[0-9]+)?}} iter_args({{.*}}) -> (tensor<37x45xi32>)
// CHECK-NEXT:    tensor.empty() : tensor<2304xi8>
// CHECK:         %[[TILE:.*]] = scf.for {{.*}} -> (tensor<2304xi8>)
// CHECK:         arith.shrui
// CHECK-NOT:     arith.shrui
// CHECK:         vector.transfer_read %[[TILE]]
// CHECK:         compress.vnni_dot
// The masked last tile (columns 32-44) decodes its own:
// CHECK:       scf.for {{.*}} step %c32{{(_[0-9]+)?}} iter_args({{.*}}) -> (tensor<37x45xi32>)
// CHECK-NEXT:    tensor.empty() : tensor<2304xi8>
// CHECK-LABEL: func.func @grouped
// 8 groups x 3 quads x 2 tiles x 32 columns x 4 codes, two per byte; an
// i32 and an f32 accumulator per register: blocks of 4 rows, not 8.
// CHECK:       vector.transfer_read {{.*}} : tensor<3072xi8>, vector<64xi8>
// CHECK:       arith.shrui
// CHECK:       scf.for {{.*}} step %c4
// CHECK:       compress.vnni_dot
// CHECK:       arith.sitofp {{.*}} : vector<16xi32> to vector<16xf32>
// CHECK:       vector.fma
//
// DEFINE: %{cpu} = native
// DEFINE: %{func} = wide
// DEFINE: %{x} = x
// DEFINE: %{check} = compress-run %t/model.mlir -e %{func} --input %t/%{x}.npy --output %t/y.npy \
// DEFINE:   --compress-to-llvm-options=cpu=%{cpu} && %python %s.py check %{func} %t/%{x}.npy %t/y.npy
// RUN: %{check} | FileCheck %s --check-prefix=WIDE
// REDEFINE: %{x} = x1
// RUN: %{check} | FileCheck %s --check-prefix=WIDE
// REDEFINE: %{func} = narrow
// RUN: %{check} | FileCheck %s --check-prefix=NARROW
// REDEFINE: %{x} = x
// RUN: %{check} | FileCheck %s --check-prefix=NARROW
// REDEFINE: %{cpu} = x86-64-v3
// RUN: %{check} | FileCheck %s --check-prefix=NARROW
// REDEFINE: %{func} = wide
// RUN: %{check} | FileCheck %s --check-prefix=WIDE
// REDEFINE: %{func} = tall
// RUN: %{check} | FileCheck %s --check-prefix=TALL
// REDEFINE: %{cpu} = native
// RUN: %{check} | FileCheck %s --check-prefix=TALL
// REDEFINE: %{cpu} = x86-64-v3
// REDEFINE: %{func} = grouped
// REDEFINE: %{x} = x72
// RUN: %{check} | FileCheck %s --check-prefix=GROUPED
// REDEFINE: %{cpu} = native
// RUN: %{check} | FileCheck %s --check-prefix=GROUPED
// REDEFINE: %{x} = x72one
// RUN: %{check} | FileCheck %s --check-prefix=GROUPED
// WIDE: wide exact
// TALL: tall exact
// GROUPED: grouped exact
// NARROW: narrow exact
