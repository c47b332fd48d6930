//===- OutputFactors.h - Factors moved out of a reduction -------*- C++ -*-===//
//
// Private to compress-fuse-dequant.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_OUTPUTFACTORS_H
#define COMPRESS_LIB_CODEGEN_CPU_OUTPUTFACTORS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::compress {

/// If every product that `op` accumulates (`out + a * b * ...`, products of
/// mulf ops) has a factor computed from constant inputs that do not depend
/// on the reduction dims (the per-output-channel scale of a fused weight
/// decode),
/// rewrites `op` to accumulate the products without that factor into a zero
/// accumulator and returns the elementwise op that applies it to the sums:
/// `init + factor * sum` (or `factor * sum` when `init` is a zero fill).
/// The factor is then computed once per output element instead of once per
/// reduction step. Floating-point sums are reassociated by this: the result
/// differs from the original by rounding only. Returns null if `op` has no
/// such factor.
linalg::GenericOp hoistOutputFactor(RewriterBase &rewriter,
                                    linalg::GenericOp op);

} // namespace mlir::compress

#endif // COMPRESS_LIB_CODEGEN_CPU_OUTPUTFACTORS_H
