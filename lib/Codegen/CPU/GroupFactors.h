//===- GroupFactors.h - Reductions split into groups ------------*- C++ -*-===//
//
// Private to compress-fuse-dequant.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_GROUPFACTORS_H
#define COMPRESS_LIB_CODEGEN_CPU_GROUPFACTORS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::compress {

/// If an input of `op` is indexed through `k floordiv G` for a reduction dim
/// k (the per-group scales and zero points of a fused weight decode) and
/// every other input indexes k plainly, with an extent G divides, rewrites
/// `op` with k split into (k floordiv G, k mod G): the reduction dim becomes
/// the group and a new innermost reduction dim its element; inputs indexed
/// by k are expanded to [.., extent / G, G, ..] (constants reshaped at
/// compile time, others by tensor.expand_shape) and `k floordiv G` becomes
/// the group dim. Kernels can then apply such factors once per group. The
/// computation is unchanged. Returns the new op, or null.
linalg::GenericOp splitGroupedReduction(RewriterBase &rewriter,
                                        linalg::GenericOp op);

} // namespace mlir::compress

#endif // COMPRESS_LIB_CODEGEN_CPU_GROUPFACTORS_H
