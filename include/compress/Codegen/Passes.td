//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//
//
// CPU code generation: layout, fusion, kernels (tiling, packing,
// vectorization), threads and the target description. They do not change
// what a model computes. Ordered by flag name.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CODEGEN_PASSES_TD
#define COMPRESS_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def CompressAlignGlobalsPass
    : Pass<"compress-align-globals", "::mlir::ModuleOp"> {
  let summary = "Give every memref.global at least a cache line of alignment";
  let description = [{
    Sets the alignment of every `memref.global` to at least `alignment`
    bytes (default 64, a cache line and an AVX-512 register). Bufferization
    creates the globals of constant tensors, such as the weight panels packed
    by `compress-tile-and-vectorize`, without an alignment; unaligned, the
    kernels' vector loads split cache lines. `compress-to-llvm` runs it after
    bufferization.

    ```mlir
    // Before
    memref.global "private" constant @__constant_2x64x32xf32 : memref<2x64x32xf32> = dense<...>
    // After
    memref.global "private" constant @__constant_2x64x32xf32 : memref<2x64x32xf32> = dense<...> {alignment = 64 : i64}
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "uint64_t", /*default=*/"64",
           "Minimum alignment in bytes (a power of two, at most 4096)">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def CompressChannelsLastPass
    : Pass<"compress-channels-last", "::mlir::func::FuncOp"> {
  let summary = "Store the rank-4 tensors of channels-first models channels last";
  let description = [{
    In a function that has a channels-first (NCHW) convolution or pooling,
    every rank-4 tensor that a linalg op reads or writes, or that
    `tensor.pad` pads, is stored channels last (NHWC). Only the storage
    changes: each op reads the same elements through a permuted indexing
    map (named ops are generalized first). Constant weights are permuted at
    compile time so that the output channel is innermost (FCHW -> HWCF).
    Transposes appear only where a value enters or leaves the converted ops
    (function arguments and results, ops that are not linalg); the pairs
    that meet between two converted ops cancel. Functions without a
    channels-first convolution are unchanged. Every rank-4 tensor is taken
    for an image (N, C, H, W); one with another meaning is still computed
    exactly (only its storage order changes), but its op may vectorize
    along a different dim.

    Code generation vectorizes the innermost output dim: channels last,
    that is the channel count (a multiple of 16 in most CNNs) instead of the
    image width, the activation is broadcast with its reduced channels
    contiguous, and a convolution becomes the matmul kernel (VNNI for int8).

    ```mlir
    // Before
    %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x64x58x58xf32>, tensor<64x64x3x3xf32>) ...
    // After
    %xt = linalg.transpose ins(%x : tensor<1x64x58x58xf32>) ... permutation = [0, 2, 3, 1]
    %yt = linalg.generic ... ins(%xt, %w_hwcf : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>) ...
    %y = linalg.transpose ins(%yt : tensor<1x56x56x64xf32>) ... permutation = [0, 3, 1, 2]
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressEmitCInterfacePass
    : Pass<"compress-emit-c-interface", "::mlir::func::FuncOp"> {
  let summary = "Mark public function definitions for C-callable wrappers";
  let description = [{
    Sets the `llvm.emit_c_interface` unit attribute on every public
    `func.func` with a body, so that `convert-func-to-llvm` emits a
    `_mlir_ciface_<name>` wrapper taking memref descriptors by pointer. This
    is the interface `compress-run` and embedders call. Their tensor
    arguments are marked `bufferization.writable = false` (replacing any
    other value): the compiled function never writes into the caller's
    arrays (bufferization copies before an in-place update), so callers pass
    their memory as it is, without a copy per call, and may share it between
    calls and threads. Private functions and external declarations are left
    unchanged.

    ```mlir
    // Before
    func.func @predict(%x: tensor<4xf32>) -> tensor<4xf32>
    // After
    func.func @predict(%x: tensor<4xf32> {bufferization.writable = false})
        -> tensor<4xf32> attributes {llvm.emit_c_interface}
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def CompressSparsifyPass : Pass<"compress-sparsify", "::mlir::func::FuncOp"> {
  let summary = "Run matmuls with sparse constant weights on their nonzeros";
  let description = [{
    Replaces every `linalg.matmul` on tensors (f32, default indexing maps)
    whose second input is a constant f32 K x N weight (or the decode of
    int8 codes, below) with enough zeros
    (`min-sparsity`; by default the fraction from which the sparse kernel
    was measured faster than the dense one for the activation's number of
    rows) by a product over the nonzeros only: the
    activation (M x K) is transposed, `compress.sparse_matmul` multiplies
    it by the weight stored by columns (offsets, `i16` row indices when K
    fits, values; each column padded with zeros to whole groups of 4), and
    its N x M result is transposed back and added to the matmul's init
    (dropped when the init is a zero fill). The transposes are elementwise
    kernels (read by blocks and transposed in registers); the sparse
    product is emitted by `compress-tile-and-vectorize`.

    A weight whose zeros come in whole blocks of one row and 16 columns
    (`compress-prune structure=block block=1x16`; at least
    `min-block-sparsity` of the blocks), with fewer than 16 activation rows
    (or a dynamic number), runs instead on
    `compress.block_sparse_matmul`: its nonzero blocks per group of 16
    columns, applied to the activation as it is (no transposes), one
    broadcast activation element and one 16-value vector per block. With
    more rows it takes the column path, by pairs of columns.

    A weight that keeps at most half of every 2 or 4 consecutive weights
    along K (`compress-prune structure=n:m`), with fewer than 16
    activation rows (and, from 2 rows, a weight that stays in the caches),
    runs on `compress.nm_sparse_matmul` (unless `nm-kernel=false` or
    `min-sparsity` is set): the kept values by tiles of 16 columns and
    their 2-bit positions (2:4: 0.53x of the dense bytes), each window of
    16 activation elements held in a register and each kept weight's
    element picked by its position.

    A `linalg.conv_2d_nchw_fchw` (or `conv_2d_nhwc_hwcf` /
    `conv_2d_nhwc_fhwc`, transposed to NCHW and back) with a constant f32
    weight past its crossover (0.8 zeros) runs on `compress.sparse_conv`
    (a dilated one with its taps spread by the dilations): the weight stored
    by filter like the matmul's columns, the column kernel run over each
    padded image read as one vector (a direct sparse convolution, no
    im2col). A strided convolution is split into its stride phases first
    (a stride-1 convolution on SH x SW x C channels with a smaller
    kernel; not when the phases would need padding);
    a depthwise NCHW one (`depthwise_conv_2d_nchw_chw`, from 0.5 zeros)
    runs with filter f reading channel f only.

    A `linalg.batch_matmul` with a constant B x K x N weight runs on one
    `compress.sparse_matmul` whose weight is the block-diagonal (B x K) x
    (B x N) matrix of its batches (only the diagonal blocks' nonzeros are
    stored), on the activation transposed to B x K x M and seen as (B x K)
    x M; the crossovers are the matmul's for M rows.

    The weight then takes 6 bytes per nonzero (a 4-byte value and a 2-byte
    row) instead of 4 bytes per element: 0.15x of dense at 90% zeros (plus
    the padding of each column to whole groups and 4 bytes per column).
    With at least a quarter of the nonzeros in rows that both columns of a
    pair (2p, 2p + 1) keep and 32 activation rows or more (three quarters
    with fewer; `min-shared-pairs`), the columns are stored by pairs
    (`paired`): the kernel reads the input rows the two columns share once
    for both (2:4 weights: half of the nonzeros, 8-28% faster).
    When the transposed activation exceeds the L1 cache, the nonzeros are
    stored by blocks of rows (`rows_per_block`) so that the kernel reuses
    one block of it across the columns. A weight-only int8 weight
    (`compress.dequantize` of constant symmetric i8 codes, per output
    column or filter, or per tensor; the pass runs before the compress ops
    are lowered) keeps its codes, for matmuls, batch_matmuls and
    convolutions alike: `i8` values and `scales`, 3 bytes per
    nonzero. The choice of format and the crossovers are shared with
    `compress-report` (`include/compress/Codegen/SparsePlan.h`). Zero
    weights are skipped, so an infinite or NaN input at a pruned position
    does not reach the output (the dense product would give NaN).

    ```mlir
    // Before
    %y = linalg.matmul ins(%x, %w : tensor<64x1024xf32>, tensor<1024x1024xf32>)
                       outs(%zero : tensor<64x1024xf32>) -> tensor<64x1024xf32>
    // After
    %xt = linalg.transpose ins(%x : tensor<64x1024xf32>) ... permutation = [1, 0]
    %yt = compress.sparse_matmul %xt, %offsets, %rows, %values {group = 4}
        : tensor<1024x64xf32>, tensor<1025xi32>, tensor<...xi16>, tensor<...xf32>
        -> tensor<1024x64xf32>
    %y = linalg.transpose ins(%yt : tensor<1024x64xf32>) ... permutation = [1, 0]
    ```
  }];
  let options = [
    Option<"minBlockSparsity", "min-block-sparsity", "double",
           /*default=*/"-1",
           "Fraction of zero 1x16 blocks from which a weight runs on the "
           "block kernel, in [0, 1]; -1: the measured crossover (0.5 with "
           "one activation row, 0.6 otherwise)">,
    Option<"nmKernel", "nm-kernel", "bool", /*default=*/"true",
           "Run n:m weights (at most half of every 2 or 4 consecutive "
           "weights along K kept) with few activation rows on "
           "compress.nm_sparse_matmul where the measured crossover says it "
           "pays (false: the other kernels only)">,
    Option<"minSparsity", "min-sparsity", "double", /*default=*/"-1",
           "Fraction of zeros from which a weight runs sparse, in [0, 1]; "
           "-1: the measured crossover for the layer's shape (0.5 for 32 "
           "to 128 activation rows, 0.6 for 16 to 31, 0.7 for more, 0.8 "
           "for 8 to 15 and for one row with a weight of 48 MB or more, "
           "0.9 otherwise; int8 codes with fewer than 16 rows 0.95; at "
           "least 0.6 for a batch_matmul; convolutions 0.8, depthwise "
           "0.5)">,
    Option<"smallLayers", "small-layers", "bool", /*default=*/"true",
           "With the measured crossover and 16 activation rows or more, "
           "raise it for layers with little work, as measured for the "
           "`threads` of the compiled code (docs/pruning.md); false: the "
           "crossover by rows alone">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads the compiled code runs on (compress-to-llvm passes its "
           "own): small layers pay for the sparse path's parallel regions">,
    Option<"minSharedPairs", "min-shared-pairs", "double", /*default=*/"-1",
           "Store the columns of a sparse_matmul by pairs (N even) when at "
           "least this fraction of the nonzeros lies in rows both columns "
           "of a pair keep, in [0, 1]; -1: the measured rule (0.25 with "
           "32 activation rows or more, 0.75 with fewer)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::compress::CompressDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressFusePass : Pass<"compress-fuse", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise chains and form fusion groups";
  let description = [{
    First fuses chains of elementwise linalg ops (named ones are generalized)
    into single `linalg.generic`s where every intermediate result has one
    use: bias adds, activations (relu, clamp/relu6, gelu, sigmoid, tanh),
    residual adds, scales, and the quantization of the next layer's input.

    Then wraps every op with reduction loops (contraction, convolution,
    pooling, quantized integer kernel) whose only user is such an
    elementwise op (reading the whole result at the position it writes,
    not reading its own output) in a `compress.fusion_group` together with
    that epilogue. `compress-tile-and-vectorize` emits a group as one
    kernel: the epilogue is applied to the accumulators in registers, so the
    producer's result is never stored.

    ```mlir
    // Before
    %y = linalg.matmul ins(%x, %w : ...) outs(%zero : ...) -> tensor<8x32xf32>
    %b = linalg.generic ins(%y, %bias : ...) { addf } -> tensor<8x32xf32>
    %r = linalg.generic ins(%b : ...) { maximumf } -> tensor<8x32xf32>
    // After
    %r = compress.fusion_group -> tensor<8x32xf32> {
      %y = linalg.matmul ins(%x, %w : ...) outs(%zero : ...)
      %e = linalg.generic ins(%y, %bias : ...) { addf, maximumf }
      compress.yield %e : tensor<8x32xf32>
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::compress::CompressDialect",
    "::mlir::linalg::LinalgDialect",
  ];
}

def CompressFuseDequantPass
    : Pass<"compress-fuse-dequant", "::mlir::func::FuncOp"> {
  let summary = "Decode constant weights inside the kernels that use them";
  let description = [{
    Fuses every elementwise `linalg.generic` whose inputs are all constants
    (the lowered `compress.dequantize` of a quantized weight, or
    `compress.widen` of an fp16/bf16 weight) into the contraction or convolution that
    consumes it. Named ops are generalized first. Afterwards the kernel reads
    the integer (or half-precision) codes and the scales directly; no
    floating-point copy of the weight is allocated at run time.

    A factor of the decoded weight that depends only on the output channel
    (a per-channel scale) is then moved out of the reduction: the kernel
    accumulates into a zero fill and an elementwise op computes
    `init + scale[c] * sum` (the sums are reassociated, so results differ
    by rounding only). A factor indexed by `k floordiv G` for a reduction
    dim `k` (per-group scales and zero points) splits the reduction into
    groups and their elements: inputs indexed by `k` are expanded to
    `[K / G, G]` (constants at compile time, others by
    `tensor.expand_shape`) and the factor is indexed by the group dim, so a
    kernel loads it once per group instead of once per step. A decode left
    unfused that reads sub-byte codes from a constant reads them packed two
    per byte instead.

    ```mlir
    // Before
    %w = linalg.generic {...} ins(%codes, %scales : tensor<64x32xi8>, tensor<32xf32>)
    %y = linalg.matmul ins(%x, %w : ...) outs(%init : ...)
    // After
    %s = linalg.generic {iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%x, %codes : ...) outs(%zero : ...) {
      ... decode the code (without the scale), multiply, accumulate ...
    }
    %y = linalg.generic ins(%s, %scales : ...) outs(%init : ...) {
      ... init + scale * sum ...
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressParallelizePass
    : Pass<"compress-parallelize", "::mlir::func::FuncOp"> {
  let summary = "Make the outer loops of kernels parallel";
  let description = [{
    On buffers (after bufferization), turns every `scf.for` marked
    `compress.parallel` by `compress-tile-and-vectorize` (the outermost loop
    of a kernel with more than one iteration; its iterations write disjoint
    parts of the result) into an `scf.parallel`, which
    `convert-scf-to-openmp` then runs on several threads. A marked loop that
    still carries values (bufferization was not in place) stays sequential.
    `compress-to-llvm` runs it when `threads` > 1.

    ```mlir
    // Before
    scf.for %j = %c0 to %c1024 step %c32 { ... } {compress.parallel}
    // After
    scf.parallel (%j) = (%c0) to (%c1024) step (%c32) { ... }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def CompressSetTargetCPUPass
    : Pass<"compress-set-target-cpu", "::mlir::ModuleOp"> {
  let summary = "Attach the target CPU and its features to LLVM functions";
  let description = [{
    Sets `target_cpu` (and, for `cpu=native`, the host's `target_features`)
    on every `llvm.func` definition so that code compiled ahead of time with
    `mlir-translate --mlir-to-llvmir` and `llc`/`clang` uses the vector
    extensions of the chosen CPU. An unknown CPU name is an error.

    ```mlir
    // Before
    llvm.func @f()
    // After (cpu=znver4)
    llvm.func @f() attributes {target_cpu = "znver4"}
    ```
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"native\"",
           "CPU to generate code for: 'native' (the host) or an LLVM x86 "
           "CPU name such as 'znver4' or 'x86-64-v3'">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def CompressTileAndVectorizePass
    : Pass<"compress-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Emit register-tiled vector kernels for reductions and fusion groups";
  let description = [{
    Replaces every linalg op with reduction loops (matmul, batch_matmul,
    convolutions in any layout, depthwise convolutions, pooling, and the
    generics of quantized kernels) and every `compress.fusion_group` (such an
    op plus its elementwise epilogue) by one loop nest on tensors:

    - the innermost output dim is vectorized (two vector registers wide),
    - a second parallel dim is unrolled into a block of rows (8 with AVX-512,
      4 otherwise), chosen so that the most inputs are reused across rows,
    - the accumulators stay in registers (loop-carried vectors) across all
      reduction loops; the body is applied lane-wise,
    - the epilogue of a fusion group runs on the accumulators, so the
      producer's result is never stored,
    - edges run as a one-row loop and a masked vector tile: any static or
      dynamic shape is supported.

    Inputs are read as broadcast scalars (independent of the vector dim),
    contiguous vectors, or strided vectors (stride 2-4, e.g. strided
    convolutions). Ops whose body is not elementwise-mappable, whose result
    is not 32-bit, or that index with `linalg.index` are left alone (they
    become scalar loops); so are fusion groups that do not fit, which are
    inlined.

    With AVX-512 VNNI (`cpu`), an `i8 x i8 -> i32` contraction with a
    constant weight uses `vpdpbusd`: the weight is repacked at compile time
    into 4-byte k-quads, each activation quad is broadcast and offset to
    unsigned (`xor 0x80`), and `128 * column sums` of the weight are
    subtracted from the initial accumulators. The result is bit-exact.
    An `i8 x i4` contraction uses the same kernel with the codes packed two
    per byte; with many rows they are decoded to bytes once per vector tile
    into a buffer the row blocks read, with few (matrix-vector products) in
    registers. A per-group one (scales per group of the reduction) sums
    each group in i32 and adds it times the group's scales to f32
    accumulators.

    A weight decoded in the body (int8/int4/log2 codes with scales, fp16 or
    bf16 widening) is decoded in registers by each row block, or, for
    kernels with many row blocks, once per vector tile into a buffer that
    they read: for all outer iterations (decoded by the tile's first row
    block, which the loops then skip) or per row range; a small weight with
    an expensive decode (log2 codes of a depthwise convolution) is decoded
    whole before all loops.

    With AVX512_BF16, a `bf16 x bf16 -> f32` contraction with a constant
    weight uses `vdpbf16ps` on k-pairs packed the same way. So does an
    `f32 x bf16` one (a weight stored in bf16 and widened in the kernel):
    its activation is rounded to bf16 by an elementwise op before the
    kernel, unless `bf16-activations=false`.

    ```mlir
    // Before
    %y = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>)
                       outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
    // After (abridged)
    scf.for %n0 = ... step %c32 iter_args(%t = %c) {
      scf.for %m0 = ... step %c8 iter_args(%t1 = %t) {
        %acc:16 = scf.for %k = ... iter_args(...) -> (vector<16xf32>, ...) {
          %x = tensor.extract %a[...]; %xb = vector.broadcast %x ...
          %w = vector.transfer_read %b[%k, ...] ... : vector<16xf32>
          %r = arith.mulf %xb, %w ...; %s = arith.addf %acc, %r ...
        }
        vector.transfer_write ...
    ```
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"native\"",
           "CPU to generate code for: 'native' (the host) or an LLVM x86 "
           "CPU name; picks the vector width and the int8 instructions">,
    Option<"emulateBF16Dot", "emulate-bf16-dot", "bool", /*default=*/"false",
           "Plan bf16 contractions as packed vdpbf16ps kernels on any "
           "AVX-512 target, with or without AVX512_BF16, and expand each "
           "dot into vector ops with the instruction's semantics (tests "
           "the packing on every AVX-512 CPU)">,
    Option<"bf16Activations", "bf16-activations", "bool", /*default=*/"true",
           "Plan f32 x bf16 contractions (weights stored in bf16) as "
           "vdpbf16ps kernels too, rounding the f32 activation to bf16 "
           "(to nearest even) once before the kernel">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads the kernels' parallel loops will run on (compress-to-llvm "
           "passes its own): a compress.sparse_matmul whose input is "
           "transposed from the activation just before gets one part of its "
           "tiles per thread, each part transposing the activation itself">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::compress::CompressDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::x86vector::X86VectorDialect",
  ];
}

#endif // COMPRESS_CODEGEN_PASSES_TD
