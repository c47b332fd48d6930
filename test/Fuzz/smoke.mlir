// The fuzz targets build and run in every build: each over a corpus plus a
// fixed number of mutated inputs (the same inputs on every run), and a file
// argument replays one input. Time-bounded fuzzing is scripts/fuzz.sh.
//
// RUN: compress-fuzz-mlir -runs=50 -text=1 -split='// -----' -ext=.mlir \
// RUN:   -upstream_frame=mlir::parseSourceString '-upstream_frame=Op::parse(mlir::OpAsmParser' \
// RUN:   -own_frame=mlir::compress:: -own_frame=N4mlir8compress \
// RUN:   -artifact_prefix=%t- %S/../Compression/Quantization 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MLIR
// MLIR: compress-fuzz: done: {{[0-9]+}} inputs ({{[0-9]+}} corpus, 50 mutated)
//
// RUN: rm -rf %t && %python %compress_src_root/tools/compress-fuzz/make_npy_corpus.py %t
// RUN: compress-fuzz-npy -runs=2000 -artifact_prefix=%t- %t 2>&1 | FileCheck %s --check-prefix=NPY
// NPY: compress-fuzz-npy: this runner: 2066 inputs, {{[0-9]+}} accepted
// NPY: compress-fuzz: done: 2066 inputs (66 corpus, 2000 mutated)
//
// RUN: compress-fuzz-mlir %s 2>&1 | FileCheck %s --check-prefix=REPLAY
// The passes really run: most of them change this module.
// REPLAY: compress-fuzz-mlir: this runner: 1 inputs, 1 parsed and verified, {{[01]}} ran a compress-to-llvm pipeline, {{[1-9][0-9]}} pass runs changed the IR
// REPLAY: compress-fuzz: done: 1 inputs (1 corpus, 0 mutated)

func.func @matmul(%x: tensor<2x4xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.25], [2.0, 1.0], [-0.5, 0.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
