//===- EpilogueLegality.h - Which consumers join a kernel -------*- C++ -*-===//
//
// The one rule for fusing an elementwise consumer into the kernel of a
// reduction op (its epilogue, applied to the accumulators in registers):
// compress-fuse forms fusion groups by it and compress-tile-and-vectorize
// emits a group as one kernel only if it still holds.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_EPILOGUELEGALITY_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_EPILOGUELEGALITY_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::compress::kernels {

/// An elementwise op on tensors: all loops parallel, one result. Fills and
/// transposes (layout changes, e.g. at the edges of channels-last regions)
/// are not.
bool isElementwiseKernel(linalg::LinalgOp op);

/// True if `epilogue` can run on the accumulators of `root`'s kernel: an
/// elementwise kernel in the same block with one output, written through a
/// permutation of the root's parallel dims and never read, that is the only
/// user of the root's single result and reads it once, exactly as it writes
/// its own output. (Whether its body can be vectorized is the kernel
/// emitter's own check.)
bool isFusableEpilogue(linalg::LinalgOp epilogue, linalg::LinalgOp root);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_EPILOGUELEGALITY_H
