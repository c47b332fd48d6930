//===- Pipelines.h - Compress pass pipelines --------------------*- C++ -*-===//
//
// Declares the pass pipelines of compress, most importantly compress-to-llvm,
// which lowers a model (compress ops, TOSA, linalg on tensors) to the LLVM
// dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_PIPELINES_PIPELINES_H
#define COMPRESS_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::compress {

/// Options of the compress-to-llvm pipeline.
struct CompressToLLVMPipelineOptions
    : public PassPipelineOptions<CompressToLLVMPipelineOptions> {
  PassOptions::Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("CPU to generate code for: 'native' (the host) or an "
                     "LLVM x86 CPU name such as 'znver4'"),
      llvm::cl::init("native")};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Number of threads the generated code uses (OpenMP; "
                     "the outer loop of each kernel is shared)"),
      llvm::cl::init(1)};
  PassOptions::Option<bool> bf16Activations{
      *this, "bf16-activations",
      llvm::cl::desc("On CPUs with AVX512_BF16, round the f32 activation of "
                     "a contraction with a bf16 weight to bf16 and use "
                     "vdpbf16ps; false keeps f32 activations (widened "
                     "weights)"),
      llvm::cl::init(true)};

  /// Checks option values; reports the first problem through `emitError`.
  LogicalResult
  verify(function_ref<LogicalResult(const Twine &)> emitError) const;
};

/// Adds the passes that lower a module of func + linalg/tensor/TOSA/compress
/// ops to the LLVM dialect. The options must have been verified.
void buildCompressToLLVMPipeline(OpPassManager &pm,
                                 const CompressToLLVMPipelineOptions &options);

/// Registers compress-to-llvm with the global pass-pipeline registry.
void registerCompressPipelines();

} // namespace mlir::compress

#endif // COMPRESS_PIPELINES_PIPELINES_H
