//===- SparseMatmul.h - Kernels of compress.sparse_matmul -------*- C++ -*-===//
//
// The part of --compress-tile-and-vectorize that emits the loops of
// compress.sparse_matmul (see SparseMatmul.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSEMATMUL_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSEMATMUL_H

#include "compress/Codegen/Target.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"

namespace mlir::compress::kernels {

/// Replaces `op` by its loops: output columns (the threads' loop), chunks
/// of the input's columns (vectors of the target's lanes, or of one lane
/// for a single column), the column's nonzeros unrolled by its group with
/// independent accumulators. An input transposed from the activation just
/// before is transposed by each of the `threads` threads for its tiles.
void emitSparseMatmul(SparseMatmulOp op, const TargetCPU &target,
                      int64_t threads);

/// Replaces `op` by its loops: images, then (tile of 64 filters, chunk of
/// output positions) pairs (the threads' loop), blocks of the reduction,
/// the tile's filters and their nonzeros as in emitSparseMatmul; then the
/// copy of each output row's valid columns into the result.
void emitSparseConv(SparseConvOp op, const TargetCPU &target);

/// Replaces `op` by its loops (NMSparseMatmul.cpp): tiles of 16 output
/// columns (the threads' loop), blocks of activation rows, windows of 16
/// reduction elements held in register tables, the window's slots: a
/// lookup of each kept weight's activation element and an FMA.
void emitNMSparseMatmul(NMSparseMatmulOp op, const TargetCPU &target);

/// Replaces `op` by its loops: groups of columns (the threads' loop), the
/// activation's rows, the group's blocks unrolled by the op's group with
/// independent accumulators: one broadcast activation element and one
/// vector of the block's values per block.
void emitBlockSparseMatmul(BlockSparseMatmulOp op);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSEMATMUL_H
