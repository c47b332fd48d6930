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
