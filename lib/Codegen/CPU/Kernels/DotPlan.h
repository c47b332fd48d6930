//===- DotPlan.h - Planning of packed dot-product kernels -------*- C++ -*-===//
//
// Private to the kernel planner: whether a kernel uses a packed dot-product
// instruction (AVX-512 VNNI for int8, AVX512_BF16 for bf16).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_DOTPLAN_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_DOTPLAN_H

#include "KernelPlan.h"

namespace mlir::compress::kernels {

/// Plans the packed dot-product kernel if `plan`'s root is an i8 x i8 -> i32
/// (with AVX-512 VNNI) or bf16 x bf16 -> f32 (with AVX512_BF16, or on any
/// AVX-512 CPU with `emulateBF16Dot`) contraction, or f32 x bf16 -> f32 with
/// `bf16Activations`, whose broadcast input reads groups of a reduction dim
/// contiguously and whose vector input is a constant over the reduction dims
/// and the vector dim. Builds no IR.
std::optional<DotPlan> planPackedDot(const KernelPlan &plan,
                                     const TargetCPU &target,
                                     const KernelOptions &options);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_DOTPLAN_H
