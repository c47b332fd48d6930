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
