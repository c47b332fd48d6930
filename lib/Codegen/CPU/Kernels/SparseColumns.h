//===- SparseColumns.h - A sparse weight stored by columns ------*- C++ -*-===//
//
// The storage of a pruned matmul weight for compress.sparse_matmul: the
// nonzeros of each output column (CSC), padded with zeros to whole groups.
// Data layout only; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::compress::kernels {

/// The nonzeros of a K x N row-major weight by columns.
struct SparseColumns {
  /// N + 1 offsets into rows/values: column n holds [offsets[n],
  /// offsets[n + 1]), a multiple of the group.
  std::vector<int32_t> offsets;
  /// Row (k) of each stored value; padding entries are row 0 with value 0.
  std::vector<int32_t> rows;
  std::vector<float> values;
};

/// Packs `weight` (K x N, row-major) by columns, each padded with zeros to
/// a multiple of `group` entries.
SparseColumns packSparseColumns(llvm::ArrayRef<float> weight, int64_t k,
                                int64_t n, int64_t group);

/// The fraction of the elements of `weight` that are zero (+0 or -0).
double zeroFraction(llvm::ArrayRef<float> weight);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H
