//===- Passes.td - Compress transformation passes ----------*- tablegen -*-===//
//
// Passes that transform IR containing compress-dialect ops or that prepare
// compressed models for code generation. Kept in alphabetical order.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_TRANSFORMS_PASSES_TD
#define COMPRESS_DIALECT_COMPRESS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CompressEmitCInterfacePass
    : Pass<"compress-emit-c-interface", "::mlir::func::FuncOp"> {
  let summary = "Mark public function definitions for C-callable wrappers";
  let description = [{
    Sets the `llvm.emit_c_interface` unit attribute on every public
    `func.func` with a body, so that `convert-func-to-llvm` emits a
    `_mlir_ciface_<name>` wrapper taking memref descriptors by pointer. This
    is the interface `compress-run` and embedders call. Private functions and
    external declarations are left unchanged.

    ```mlir
    // Before
    func.func @predict(%x: tensor<4xf32>) -> tensor<4xf32>
    // After
    func.func @predict(%x: tensor<4xf32>) -> tensor<4xf32>
        attributes {llvm.emit_c_interface}
    ```
  }];
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

    ```mlir
    // Before
    %w = linalg.generic {...} ins(%codes, %scales : tensor<32xi8>, ...)
    %y = linalg.matmul ins(%x, %w : ...) outs(%init : ...)
    // After
    %y = linalg.generic {iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%x, %codes, %scales : ...) outs(%init : ...) {
      ... decode the code, multiply, accumulate ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CompressHoistVectorTransfersPass
    : Pass<"compress-hoist-vector-transfers", "::mlir::func::FuncOp"> {
  let summary = "Keep loop-carried vector tiles in registers";
  let description = [{
    On buffers (after bufferization), hoists `vector.transfer_read` /
    `vector.transfer_write` pairs of the same memory location out of the
    loops that do not change it (upstream
    `linalg::hoistRedundantVectorTransfers`). For the tiled matmul kernels
    this keeps the 8x32 accumulator block in registers across the whole K
    loop instead of reloading and storing it at every step.

    Not yet part of `compress-to-llvm`: it speeds up the f32 kernels (1024^3
    matmul from about 75 to 35-47 ms here) but not the int8 kernels, whose
    contraction is still lowered element by element, so adding it alone
    would make the quantized matmul slower than f32. It joins the pipeline
    together with the integer micro-kernel (code-generation issue).

    ```mlir
    // Before
    scf.for %k = ... {
      %acc = vector.transfer_read %C[%i, %j] ...
      %r = vector.fma ..., %acc
      vector.transfer_write %r, %C[%i, %j] ...
    }
    // After
    %acc0 = vector.transfer_read %C[%i, %j] ...
    %acc = scf.for %k = ... iter_args(%a = %acc0) { ... scf.yield %r }
    vector.transfer_write %acc, %C[%i, %j] ...
    ```
  }];
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
    (i8 x i8 -> i32 accumulation), followed by an epilogue that removes the
    activation zero point's contribution (a per-channel constant times the
    zero point), scales by `activation_scale * weight_scale[channel]` and
    adds the op's original output operand. Weights are symmetric and
    per-channel (or per-tensor) in these modes; `symmetric` applies to the
    activations.

    `float-type=fp16|bf16` instead stores the weights in that type, widened
    to f32 inside the kernel by `compress.widen` (never constant-folded).

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
    Option<"bits", "bits", "int64_t", /*default=*/"8",
           "Bits per weight code: 8 or 4">,
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "Scale granularity: per-tensor, per-channel or per-group">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"0",
           "Elements per group with granularity=per-group (default 32); it "
           "must divide every quantized weight's reduction size">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"true",
           "Zero points fixed at 0 (true) or chosen from the range (false)">,
    Option<"scheme", "scheme", "std::string", /*default=*/"\"uniform\"",
           "Code scheme: uniform or log2 (power-of-two)">,
    Option<"mode", "mode", "std::string", /*default=*/"\"weight-only\"",
           "What is quantized: weight-only, static or dynamic">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Calibration file (JSON from compress-run --calibration-out), "
           "needed by mode=static">,
    Option<"calibrationMethod", "calibration-method", "std::string",
           /*default=*/"\"minmax\"",
           "Which calibrated range to use: minmax, percentile or entropy">,
    Option<"floatType", "float-type", "std::string", /*default=*/"\"\"",
           "Store weights as fp16 or bf16 instead of integers">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::compress::CompressDialect",
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

def CompressTileAndVectorizePass
    : Pass<"compress-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile matmuls into register blocks and vectorize them";
  let description = [{
    Code generation for matmul-shaped ops on tensors (`linalg.matmul` and
    contraction generics with loops (m, n, k) and an (m, n) output, such as
    the integer kernels of `compress-quantize` and matmuls with a fused
    weight decode): tiles the loops by (8, 32, 1), vectorizes the tiles
    (statically shaped tiles with projected-permutation maps only; the rest
    stay scalar and are lowered to loops later), and lowers the resulting
    `vector.contract` to outer products and FMAs (integer multiply-adds for
    integer kernels). Implemented as an
    embedded transform-dialect schedule applied by the transform interpreter
    (the upstream transform ops are the tested building blocks).

    ```mlir
    // Before
    %y = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) ...
    // After
    scf.for %i = ... step %c8 { scf.for %j = ... step %c32 { scf.for %k = ... {
      %va = vector.transfer_read ... vector.fma ... vector.transfer_write
    } } }
    ```
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::transform::TransformDialect",
    "::mlir::vector::VectorDialect",
  ];
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

#endif // COMPRESS_DIALECT_COMPRESS_TRANSFORMS_PASSES_TD
