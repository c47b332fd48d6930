//===- RegisterTranspose.h - Transposes of vectors in registers -*- C++ -*-===//
//
// Part of the kernel emitter: a block of vectors transposed by shuffles,
// for reads of transposed inputs (Loads.cpp) and writes of transposed
// results (SparseMatmul.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_REGISTERTRANSPOSE_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_REGISTERTRANSPOSE_H

#include "mlir/IR/Builders.h"

namespace mlir::compress::kernels {

/// Transposes `columns` (element r of column l is at row r, lane l; lanes a
/// power of two, rows at most lanes) into one vector per row (`rows`
/// vectors of `columns.size()` elements) by two-source shuffles.
SmallVector<Value> transposeInRegisters(OpBuilder &b, Location loc,
                                        ArrayRef<Value> columns, unsigned rows);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_REGISTERTRANSPOSE_H
