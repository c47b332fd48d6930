//===- Pipelines.cpp - Compress pass pipelines ----------------------------===//
//
// Builds compress-to-llvm: TOSA and compress ops to linalg, bufferization,
// deallocation, loops, and the conversions to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "compress/Pipelines/Pipelines.h"
#include "compress/Codegen/Passes.h"
#include "compress/Codegen/Target.h"
#include "compress/Compression/Passes.h"
#include "compress/Conversion/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::compress;

LogicalResult CompressToLLVMPipelineOptions::verify(
    function_ref<LogicalResult(const Twine &)> emitError) const {
  if (threads == 0)
    return emitError("compress-to-llvm: 'threads' must be at least 1");
  if (threads > 64)
    return emitError("compress-to-llvm: threads=" + Twine(threads) +
                     " is out of range (1 to 64)");
  std::string error;
  if (failed(resolveTargetCPU(cpu, error)))
    return emitError("compress-to-llvm: " + error);
  return success();
}

void mlir::compress::buildCompressToLLVMPipeline(
    OpPassManager &pm, const CompressToLLVMPipelineOptions &options) {
  // Front ends: TOSA and the compress dialect to linalg on tensors.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  // Matmuls with mostly-zero constant weights run on their nonzeros (before
  // the compress ops are lowered: a weight-only int8 weight is still a
  // compress.dequantize of its codes here).
  CompressSparsifyPassOptions sparsifyOptions;
  sparsifyOptions.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(createCompressSparsifyPass(sparsifyOptions));
  pm.addPass(createConvertCompressToLinalgPass());
  // Elementwise arith/math ops on whole tensors become linalg.generic.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  // Channels-first convolutions: rank-4 tensors stored channels last (the
  // weight decodes too: their constant codes are permuted at compile time).
  pm.addNestedPass<func::FuncOp>(createCompressChannelsLastPass());
  // Quantized and half-precision weights are decoded inside their kernels.
  pm.addNestedPass<func::FuncOp>(createCompressFuseDequantPass());
  // Elementwise chains, and fusion groups of kernels and their epilogues.
  pm.addNestedPass<func::FuncOp>(createCompressFusePass());
  pm.addNestedPass<func::FuncOp>(createCompressEmitCInterfacePass());
  pm.addPass(createCanonicalizerPass());
  // Register-tiled vector kernels (with their fused epilogues).
  CompressTileAndVectorizePassOptions kernelOptions;
  kernelOptions.cpu = options.cpu;
  kernelOptions.bf16Activations = options.bf16Activations;
  kernelOptions.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(
      createCompressTileAndVectorizePass(kernelOptions));

  // Tensors to buffers. Identity layouts at function boundaries keep the
  // arguments contiguous (dynamic strides would scalarize later vector code).
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // New buffers and constant globals (the packed weights) cache-line
  // aligned, so 64-byte vector loads never split a line.
  bufferizeOptions.bufferAlignment = 64;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  // Threads share the outer loop of each kernel (OpenMP).
  if (options.threads > 1)
    pm.addNestedPass<func::FuncOp>(createCompressParallelizePass());

  // Loops. Vector ops (from vectorized kernels) keep their transfers as
  // vector loads/stores where possible; the rest become scf loops.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // OpenMP regions must be formed before memref lowering, and their bodies
  // keep structured control flow until after it (an alloca scope holds one
  // block).
  if (options.threads > 1) {
    ConvertSCFToOpenMPPassOptions openmpOptions;
    openmpOptions.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmpOptions));
  }

  // LLVM dialect. Math ops without an LLVM intrinsic (erf) become libm
  // calls, element by element on vectors: before the vector dialect is
  // lowered, so that the extracts and inserts of that scalarization are.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertCompressToLLVMPass());
  // x86vector ops (vdpbf16ps) lower with the vector dialect.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.x86Vector = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  if (options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());

  CompressSetTargetCPUPassOptions targetOptions;
  targetOptions.cpu = options.cpu;
  pm.addPass(createCompressSetTargetCPUPass(targetOptions));
}

void mlir::compress::registerCompressPipelines() {
  registerPassPipeline(
      "compress-to-llvm",
      "Lower a model (func + linalg/tensor/TOSA/compress ops) to the LLVM "
      "dialect for x86-64 CPUs",
      [](OpPassManager &pm, StringRef optionsString,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CompressToLLVMPipelineOptions options;
        if (failed(options.parseFromString(optionsString)))
          return failure();
        if (failed(options.verify(errorHandler)))
          return failure();
        buildCompressToLLVMPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const ::mlir::detail::PassOptions &)>
             optionsHandler) {
        optionsHandler(CompressToLLVMPipelineOptions());
      });
}
