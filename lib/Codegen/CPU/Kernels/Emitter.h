//===- Emitter.h - Emission of register-tiled kernels -----------*- C++ -*-===//
//
// Builds the kernel a KernelPlan describes: the repacked constants it reads,
// then its loop nest, in place of the planned op (and its epilogue).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_EMITTER_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_EMITTER_H

#include "KernelPlan.h"

namespace mlir::compress::kernels {

/// Replaces the root (and epilogue) of `plan` by its kernel, and erases the
/// constants and fills the kernel no longer reads.
void emitKernel(const KernelPlan &plan);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_EMITTER_H
