//===- FullReduction.h - Vectorized reductions to scalars -------*- C++ -*-===//
//
// The part of --compress-tile-and-vectorize that handles reductions of whole
// tensors to 0-D results (see FullReduction.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_FULLREDUCTION_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_FULLREDUCTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::compress::kernels {

/// Replaces `op` by a vector loop with `vectorBits`-bit vectors if all its
/// loops are reductions over inputs read through one permutation (each
/// input in its memory order; a single input through a transpose before
/// it), its results are 0-D
/// and each is combined by an order-independent op (min/max, integer add,
/// mul, and, or, xor). Returns false, leaving `op` alone, otherwise.
bool vectorizeFullReduction(linalg::GenericOp op, unsigned vectorBits);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_FULLREDUCTION_H
