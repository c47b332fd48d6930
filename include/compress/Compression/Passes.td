//===- Passes.td - Model compression passes ----------------*- tablegen -*-===//
//
// Model-level compression: rewrites that change what a model computes
// (quantization, batch-norm folding; pruning and decomposition join here),
// the calibration instrumentation they read data from, and the report.
// Ordered by flag name.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_PASSES_TD
#define COMPRESS_COMPRESSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def CompressFoldBatchNormPass
    : Pass<"compress-fold-batchnorm", "::mlir::func::FuncOp"> {
  let summary = "Fold batch normalization and per-channel affine ops into weights";
  let description = [{
    After every contraction or convolution with a constant f32 weight (and a
    zero-filled output), follows the chain of single-use elementwise ops that
    compute, per output channel `c`, an affine function `a[c] * y + b[c]` of
    the op's result `y`: inference-form batch normalization
    `(y - mean) * gamma / sqrt(var + eps) + beta`, a per-channel scale, a
    mean subtraction, a bias, or several of these. The weight is scaled by
    `a[c]` along its output-channel axis and the chain is replaced by one
    bias add of `b[c]` (omitted when all zero).

    The bodies are evaluated, not pattern-matched by name: every op in them
    must be `addf`, `subf`, `mulf`, `divf`, `negf`, `sqrt`, `rsqrt`, `extf`,
    `truncf` or a constant; the chain value must enter linearly; the other
    inputs must be constants that vary only along the channel (or scalars).
    The chain stops at the first op that is not such an affine map (e.g. a
    ReLU), which stays. Ops and chains that do not qualify are unchanged.

    ```mlir
    // Before
    %y = linalg.conv_2d_nchw_fchw ins(%x, %w : ...) outs(%zero : ...)
    %bn = linalg.generic ins(%y, %mean, %var, %gamma, %beta : ...) {
      // (y - mean) / sqrt(var + eps) * gamma + beta
    }
    // After
    %y = linalg.conv_2d_nchw_fchw ins(%x, %w_scaled : ...) outs(%zero : ...)
    %bn = linalg.generic ins(%y, %bias : ...) { addf }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressInstrumentPass
    : Pass<"compress-instrument", "::mlir::ModuleOp"> {
  let summary = "Insert calibration observers on the inputs of compressible ops";
  let description = [{
    For every contraction and convolution, inserts a `compress.observe` of its
    first input (the activation), keyed `<function>/<ordinal>` like every
    data-aware pass expects, together with the input's im2col view (built by
    a `linalg.generic` from the op's own indexing maps, then collapsed to
    rows x columns) for the Gram matrix. Run the instrumented model with
    `compress-run --calibration-out FILE` over calibration batches to get the
    calibration file.

    ```mlir
    // Before
    %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) ...
    // After
    compress.observe "predict/0" %x : tensor<?x64xf32> gram %p : tensor<?x64xf32>
    %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) ...
    ```
  }];
  let options = [
    Option<"gram", "gram", "bool", /*default=*/"true",
           "Also record the Gram matrix of each input's im2col view">,
  ];
  let dependentDialects = [
    "::mlir::compress::CompressDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressQuantizePass : Pass<"compress-quantize", "::mlir::ModuleOp"> {
  let summary = "Post-training quantization of matmul and convolution weights";
  let description = [{
    Quantizes the constant weight (second input) of every contraction and
    convolution (`linalg.matmul`, `linalg.batch_matmul`, `linalg.conv_2d_*`,
    `linalg.depthwise_conv_2d_*` and equivalent generics) with an f32
    `arith.constant` weight. Other ops are left unchanged; `compress-report`
    lists what was and was not quantized.

    `mode=weight-only` replaces the weight by integer codes and a
    `compress.dequantize`, which `compress-fuse-dequant` later moves into the
    kernel. `bits` (8 or 4), `granularity` (`per-tensor`, `per-channel`:
    one scale per output channel, `per-group` with `group-size` consecutive
    reduction elements), `symmetric` (zero points fixed at 0 or not) and
    `scheme` (`uniform` or `log2`: sign + power-of-two exponent codes) pick
    the representation.

    `mode=static` and `mode=dynamic` also quantize the activation (first
    input) to i8, with ranges from a calibration file (static, see
    `compress-instrument` and `compress-run --calibration-out`) or computed at
    run time (dynamic). The op then runs as an integer `linalg.generic`
    (i8 x i8 -> i32 accumulation, or i8 x i4 with `bits=4`), followed by an
    epilogue that removes the
    activation zero point's contribution (a per-channel constant times the
    zero point), scales by `activation_scale * weight_scale[channel]` and
    adds the op's original output operand. Weights are symmetric in these
    modes; `symmetric` applies to the activations. Per-group weights need
    an op with one reduction loop (a matmul): the reduction is split into
    (group, element), the kernel scales each group's integer products by
    the group's weight scale, and the epilogue removes the activation zero
    point through a per-channel constant. Ops whose integer kernel cannot
    pay for quantizing the activation are quantized weight-only instead,
    with symmetric weights: depthwise convolutions (each activation element
    meets one channel's weights only) and convolutions over one input
    channel (integer dot products reduce 4 channels at a time).

    `float-type=fp16|bf16` instead stores the weights in that type, widened
    to f32 inside the kernel by `compress.widen` (never constant-folded).

    Options are checked before anything changes: an unknown enum value, a
    `bits` other than 8 or 4, a `group-size` below 1, and options that
    cannot be combined are errors, the last naming both options with their
    values (`float-type=fp16 conflicts with bits=4: half-precision weights
    are not integer codes`). In `mode=static`, an op whose calibrated range
    is degenerate (zero width, denormal, or at the largest f32 magnitude)
    gets a warning naming its tensor key, and its activation is quantized
    with the run-time range instead, as in `mode=dynamic`.

    ```mlir
    // Before
    %w = arith.constant dense<...> : tensor<64x32xf32>
    %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) ...
    // After (bits=8 granularity=per-channel)
    %q = arith.constant dense<...> : tensor<64x32xi8>
    %w = compress.dequantize %q : tensor<64x32xi8> -> tensor<64x32xf32>,
             #compress.quant<i8, scales = [...], zero_points = [...], axis = 1>
    %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) ...
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "Only these ops: their keys <function>/<ordinal> (as in "
               "calibration files and compress-report); every "
               "compressible op when empty">,
    Option<"bits", "bits", "int64_t", /*default=*/"8",
           "Bits per weight code: 8 or 4">,
    Option<"granularity", "granularity",
           "::mlir::compress::QuantGranularity",
           /*default=*/"::mlir::compress::QuantGranularity::PerChannel",
           "Scale granularity", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::QuantGranularity::PerTensor,
                        "per-tensor", "One scale for the whole weight"),
             clEnumValN(::mlir::compress::QuantGranularity::PerChannel,
                        "per-channel", "One scale per output channel"),
             clEnumValN(::mlir::compress::QuantGranularity::PerGroup,
                        "per-group",
                        "One scale per group-size consecutive reduction "
                        "elements of a channel"))}]>,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"32",
           "Elements per group with granularity=per-group (positive); it "
           "must divide every quantized weight's reduction size">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"true",
           "Zero points fixed at 0 (true) or chosen from the range (false)">,
    Option<"scheme", "scheme", "::mlir::compress::QuantScheme",
           /*default=*/"::mlir::compress::QuantScheme::Uniform",
           "Code scheme", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::QuantScheme::Uniform, "uniform",
                        "Affine codes: scale and zero point"),
             clEnumValN(::mlir::compress::QuantScheme::Log2, "log2",
                        "Sign and power-of-two exponent codes"))}]>,
    Option<"mode", "mode", "::mlir::compress::QuantMode",
           /*default=*/"::mlir::compress::QuantMode::WeightOnly",
           "What is quantized", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::QuantMode::WeightOnly,
                        "weight-only", "Weights only, decoded in the kernel"),
             clEnumValN(::mlir::compress::QuantMode::Static, "static",
                        "Weights and activations, activation ranges from a "
                        "calibration file"),
             clEnumValN(::mlir::compress::QuantMode::Dynamic, "dynamic",
                        "Weights and activations, activation ranges "
                        "computed at run time"))}]>,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Calibration file (JSON from compress-run --calibration-out), "
           "needed by mode=static">,
    Option<"calibrationMethodKind", "calibration-method",
           "::mlir::compress::CalibrationMethod",
           /*default=*/"::mlir::compress::CalibrationMethod::MinMax",
           "Which calibrated range mode=static uses", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::CalibrationMethod::MinMax,
                        "minmax", "Observed minimum and maximum"),
             clEnumValN(::mlir::compress::CalibrationMethod::Percentile,
                        "percentile", "0.01% and 99.99% quantiles"),
             clEnumValN(::mlir::compress::CalibrationMethod::Entropy,
                        "entropy",
                        "Minimal KL-divergence clipping threshold"))}]>,
    Option<"floatType", "float-type", "::mlir::compress::WeightFloatType",
           /*default=*/"::mlir::compress::WeightFloatType::None",
           "Store weights in half precision instead of integer codes",
           [{::llvm::cl::values(
             clEnumValN(::mlir::compress::WeightFloatType::None, "none",
                        "Integer codes (the default)"),
             clEnumValN(::mlir::compress::WeightFloatType::FP16, "fp16",
                        "IEEE half precision"),
             clEnumValN(::mlir::compress::WeightFloatType::BF16, "bf16",
                        "bfloat16"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::compress::CompressDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressPrunePass : Pass<"compress-prune", "::mlir::ModuleOp"> {
  let summary = "Post-training pruning of matmul and convolution weights";
  let description = [{
    Zeroes a fraction of the constant f32 weight (second input) of every
    contraction and convolution (`linalg.matmul`, `linalg.batch_matmul`,
    `linalg.conv_2d_*`, `linalg.depthwise_conv_2d_*` and equivalent
    generics). The weight is viewed as rows (one per output channel; per
    channel for a depthwise convolution, per batch and column for a
    batch_matmul) of the elements it reduces over, in the order of the
    calibration Gram matrix's columns.

    `structure` says which weights go together: single elements
    (`unstructured`), blocks of `block=RxC` (R consecutive input channels
    of one row position times C consecutive output channels), or `n:m`
    (`n` of every `m` consecutive input channels are kept, for every output
    channel and kernel position; the sparsity is then 1 - n/m). Input
    channels are the reduction dim that indexes both the input and the
    weight directly (`k` of a matmul, `c` of a convolution).

    `method=magnitude` removes the weights (or blocks) of least importance
    by `criterion`: `l1` (|w|, summed over a block), `l2` (w^2) or
    `activation` (|w| times the norm of its input column, from the
    calibration Gram matrix's diagonal). `method=reconstruct` (needs
    `calibration` with Gram matrices, see `compress-instrument`) chooses
    them by optimal-brain-surgeon saliency and updates the remaining weights
    of each row to minimize ||(W - W')X|| over the calibration inputs
    (SparseGPT: column by column with the Cholesky factor of the inverse of
    the Gram matrix, dampened by `damp` times its mean diagonal), so that
    the model keeps its accuracy without fine-tuning.

    `scope=layer` removes exactly round(sparsity x elements) weights of
    every layer (for blocks, whole blocks: within one block); `scope=global`
    sets one magnitude threshold over all layers' scores, which gives each
    layer its own sparsity (with `method=reconstruct`, each layer is then
    reconstructed at that sparsity).

    Options are checked before anything changes: `sparsity` outside
    [0, 1), `n >= m`, a malformed `block`, `method=reconstruct` or
    `criterion=activation` without `calibration`, and combinations that do
    not apply are errors naming the options; a block or an `m` that does
    not divide a layer's dimensions, and a calibration file without the
    Gram matrix of a layer (or with one of another size), are errors naming
    the layer.

    ```mlir
    // Before
    %w = arith.constant dense<[[0.5, -0.01], [0.02, -0.7]]> : tensor<2x2xf32>
    // After (sparsity=0.5)
    %w = arith.constant dense<[[0.5, 0.0], [0.0, -0.7]]> : tensor<2x2xf32>
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "Only these ops: their keys <function>/<ordinal> (as in "
               "calibration files and compress-report); every "
               "compressible op when empty">,
    Option<"sparsity", "sparsity", "double", /*default=*/"0.5",
           "Fraction of the weights removed, in [0, 1) (ignored by "
           "structure=n:m)">,
    Option<"structure", "structure", "::mlir::compress::PruneStructure",
           /*default=*/"::mlir::compress::PruneStructure::Unstructured",
           "Which weights are removed together", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::PruneStructure::Unstructured,
                        "unstructured", "Single weights"),
             clEnumValN(::mlir::compress::PruneStructure::Block, "block",
                        "Blocks of input x output channels (block=RxC)"),
             clEnumValN(::mlir::compress::PruneStructure::NM, "n:m",
                        "n of every m consecutive input channels kept"),
             clEnumValN(::mlir::compress::PruneStructure::Channel, "channel",
                        "Whole output channels (filters), shapes shrink"))}]>,
    Option<"block", "block", "std::string", /*default=*/"\"1x16\"",
           "Block shape RxC: R input channels by C output channels">,
    Option<"n", "n", "int64_t", /*default=*/"2",
           "Weights kept of every m (structure=n:m), 1 <= n < m">,
    Option<"m", "m", "int64_t", /*default=*/"4",
           "Group size along the input channels (structure=n:m)">,
    Option<"criterion", "criterion", "::mlir::compress::PruneCriterion",
           /*default=*/"::mlir::compress::PruneCriterion::L1",
           "Importance of a weight (method=magnitude)", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::PruneCriterion::L1, "l1", "|w|"),
             clEnumValN(::mlir::compress::PruneCriterion::L2, "l2", "w^2"),
             clEnumValN(::mlir::compress::PruneCriterion::Activation,
                        "activation",
                        "|w| times the norm of its input (calibration)"))}]>,
    Option<"scope", "scope", "::mlir::compress::PruneScope",
           /*default=*/"::mlir::compress::PruneScope::Layer",
           "Where the sparsity applies", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::PruneScope::Layer, "layer",
                        "Every layer loses the same fraction"),
             clEnumValN(::mlir::compress::PruneScope::Global, "global",
                        "One threshold over all layers"))}]>,
    Option<"method", "method", "::mlir::compress::PruneMethod",
           /*default=*/"::mlir::compress::PruneMethod::Magnitude",
           "How weights are chosen and the rest updated", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::PruneMethod::Magnitude, "magnitude",
                        "Zero the least important weights"),
             clEnumValN(::mlir::compress::PruneMethod::Reconstruct,
                        "reconstruct",
                        "OBS saliency and least-squares update of the "
                        "remaining weights (calibration Gram matrices)"))}]>,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Calibration file with Gram matrices (compress-instrument, "
           "compress-run --calibration-out)">,
    Option<"solver", "solver", "::mlir::compress::ReconstructSolver",
           /*default=*/"::mlir::compress::ReconstructSolver::Auto",
           "How method=reconstruct solves", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::ReconstructSolver::Auto, "auto",
                        "obs for small layers, sparsegpt for large ones"),
             clEnumValN(::mlir::compress::ReconstructSolver::OBS, "obs",
                        "Greedy optimal brain surgeon: exact updates"),
             clEnumValN(::mlir::compress::ReconstructSolver::SparseGPT,
                        "sparsegpt", "One pass over the columns"))}]>,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "Dampening of the Gram matrix (method=reconstruct): this times "
           "its mean diagonal is added to the diagonal, in (0, 1]">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
  ];
}

def CompressCpDecomposePass
    : Pass<"compress-cp-decompose", "::mlir::ModuleOp"> {
  let summary = "Replace weights by low-rank factors (SVD, Tucker-2, CP)";
  let description = [{
    Replaces layers with constant f32 weights by the equivalent sequence of
    cheaper layers, by `method`:

    - `svd` (default): a `linalg.matmul` (default indexing maps) with a
      K x N weight W becomes `x A` (A: K x r) then `(x A) B` (B: r x N)
      into the matmul's init, with the rank-r factors that minimize
      ||W - A B|| or, with `calibration=FILE`, the output error ||X (W - A
      B)|| over the calibration inputs X (whitened: H = X^T X, dampened by
      `damp`); both are the projection of W onto the r leading
      eigenvectors of W^T W (W^T H W), computed with Eigen. A
      `linalg.batch_matmul` with a B x K x N weight becomes two
      batch_matmuls, every batch factored at one rank (with calibration,
      whitened by its own diagonal block of the recorded Gram matrix).
    - `tucker2`: a `linalg.conv_2d_nchw_fchw` or `conv_2d_nhwc_hwcf` with
      an F x C x kh x kw kernel becomes a 1x1 convolution C -> R1, the kh x
      kw convolution R1 -> R2 (the strides and dilations) and a 1x1
      convolution R2 -> F into the op's init (truncated HOSVD refined by
      HOOI).
    - `cp`: the same convolutions become a 1x1 convolution C -> R, a
      depthwise kh x 1 and a depthwise 1 x kw convolution (the vertical and
      horizontal strides and dilations) and a 1x1 convolution R -> F
      (CP-ALS from an HOSVD start).

    A zero pad around a factored convolution's input moves after its first
    1x1 factor. With calibration (the im2col Gram matrix of each
    convolution), a convolution's kernel is factored whitened along its
    input channels (the channel Gram matrix, shrunk halfway to the
    identity) and its input-side factor mapped back, and the output-side
    factors are then refitted to minimize the output error.

    The rank is given by exactly one of `rank`, `rank-ratio` (a fraction
    of min(K, N); tucker2: of C and of F; cp: of min(F, C kh kw)) or
    `tolerance` (svd: the smallest rank whose relative weight, or with
    calibration output, error is at most it; tucker2: the rank pair of
    fewest multiply-adds whose HOSVD bound on the weight error is within
    it, with or without calibration; cp: the smallest rank whose weight,
    or with calibration output, error is within it, by bisection). `max-iterations` bounds the sweeps of
    HOOI and CP-ALS. Each method leaves the other kind of layer alone. A
    layer is left alone, and marked with `compress.decomposition_skipped`
    (the reason, for `compress-report`), when its factors would not cut
    the FLOPs to the measured fraction where our kernels run them faster
    than the dense layer (`only-faster`, default true: 0.8 for svd and
    tucker2, 0.45 for cp; svd counts vector multiply-adds, outputs in
    vectors of 16, so a layer of at most 16 outputs stays dense), when
    the ranks are not below full (svd,
    tucker2), or when its weight is not a finite constant. A cp rank is
    capped at C kh kw, where the factorization is exact. Each factor gets `compress.decomposed`:
    method, rank or ranks, factor number, the relative weight error and,
    with calibration, the relative output error; convolutions also the
    sweeps, and the parameters and FLOPs before and after.

    Invalid options are errors before anything changes: rank below 1,
    rank-ratio outside (0, 1], a negative tolerance (but -1: not set), none
    or several of the three, damp outside (0, 1], max-iterations below -1
    (or 0 for cp); an unreadable calibration file or one without a layer's
    Gram matrix is an error naming the layer. The calibration keys are the
    ops' positions before the pass (record calibration on the model before
    decomposing it).

    ```mlir
    // Before
    %y = linalg.matmul ins(%x, %w : tensor<64x1024xf32>, tensor<1024x1024xf32>)
                       outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
    // After (rank=128)
    %t = linalg.matmul ins(%x, %a : tensor<64x1024xf32>, tensor<1024x128xf32>)
                       outs(%zero : tensor<64x128xf32>) -> tensor<64x128xf32>
    %y = linalg.matmul ins(%t, %b : tensor<64x128xf32>, tensor<128x1024xf32>)
                       outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "Only these ops: their keys <function>/<ordinal> (as in "
               "calibration files and compress-report); every "
               "compressible op when empty">,
    Option<"method", "method", "::mlir::compress::DecomposeMethod",
           /*default=*/"::mlir::compress::DecomposeMethod::SVD",
           "The factorization", [{::llvm::cl::values(
             clEnumValN(::mlir::compress::DecomposeMethod::SVD, "svd",
                        "Truncated SVD of a matmul weight: two thin "
                        "matmuls"),
             clEnumValN(::mlir::compress::DecomposeMethod::Tucker2, "tucker2",
                        "Tucker-2 of a convolution kernel: 1x1, kh x kw "
                        "and 1x1 convolutions"),
             clEnumValN(::mlir::compress::DecomposeMethod::CP, "cp",
                        "CP (CP-ALS) of a convolution kernel: 1x1, "
                        "depthwise kh x 1, depthwise 1 x kw and 1x1 "
                        "convolutions"))}]>,
    Option<"rank", "rank", "int64_t", /*default=*/"-1",
           "The rank of every factorization, at least 1 (-1: not set)">,
    Option<"rankRatio", "rank-ratio", "double", /*default=*/"-1",
           "The rank as a fraction of min(K, N) (tucker2: of C and of F; cp: "
           "of min(F, C kh kw)), in (0, 1] (-1: not set)">,
    Option<"tolerance", "tolerance", "double", /*default=*/"-1",
           "The smallest rank whose relative (weight, or with calibration "
           "output) error is at most this, >= 0 (-1: not set)">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Calibration file with Gram matrices (compress-instrument "
           "gram=true, compress-run --calibration-out): minimize the output "
           "error">,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "Dampening of the Gram matrix: this times its mean diagonal is "
           "added to the diagonal, in (0, 1]">,
    Option<"maxIterations", "max-iterations", "int64_t", /*default=*/"-1",
           "Most sweeps of an iterative factorization (tucker2: HOOI after "
           "the HOSVD, >= 0; cp: ALS, >= 1); -1: 20 for tucker2, 50 for cp">,
    Option<"onlyFaster", "only-faster", "bool", /*default=*/"true",
           "Keep a layer dense unless its factors cut the FLOPs enough to "
           "run faster (false: factor every layer at its rank, full rank "
           "included; for studies and tests)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CompressReportPass : Pass<"compress-report", "::mlir::ModuleOp"> {
  let summary = "Write a JSON report of the model's compressible ops";
  let description = [{
    Lists every contraction and convolution (`linalg.matmul`,
    `linalg.batch_matmul`, `linalg.conv_*`, `linalg.depthwise_conv_*`, and
    generic ops of the same shape) with its weight: the constant input (an
    `arith.constant` with `dense` or `dense_resource` data, optionally behind
    `compress.fake_quant`). For each op it records the location, weight
    shape, parameter count, storage bits and bytes, sparsity (fraction of
    exact zeros), the quantization spec when there is one, and FLOPs
    (2 x multiply-accumulates over the iteration space; dynamic sizes count
    as 1 and the op is marked `"dynamic": true`). Totals follow. Ops without
    a constant weight are listed under `"skipped"` with the reason.

    The IR is not changed. The report goes to `report` (a file path), or to
    standard error when `report` is `-`, so that it never mixes with the IR
    on standard output.

    ```json
    {"ops": [{"op": "linalg.matmul", "loc": "model.mlir:7:10",
              "weight_shape": [64, 10], "params": 640, "bits": 32,
              "bytes": 2560, "sparsity": 0.0, "flops": 1280, ...} ],
     "total": {"params": 640, "bytes": 2560, "flops": 1280}, "skipped": []}
    ```
  }];
  let options = [
    Option<"report", "report", "std::string", /*default=*/"\"-\"",
           "Where to write the JSON report: a file path, or '-' for "
           "standard error">,
  ];
}

#endif // COMPRESS_COMPRESSION_PASSES_TD
