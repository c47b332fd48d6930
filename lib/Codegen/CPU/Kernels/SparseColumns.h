//===- SparseColumns.h - A sparse weight stored by columns ------*- C++ -*-===//
//
// The storage of a pruned matmul weight for compress.sparse_matmul (the
// nonzeros of each output column, CSC) and compress.block_sparse_matmul
// (nonzero blocks of one row and several columns), padded with zeros to
// whole groups.
// Data layout only; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::compress::kernels {

/// The nonzeros of a K x N row-major weight (f32 values or int8 codes) by
/// columns.
template <typename T> struct SparseColumns {
  /// Offsets into rows/values: column n holds [offsets[n], offsets[n + 1])
  /// (N + 1 offsets), or with blocks of rows block b of column n holds
  /// [offsets[b * N + n], offsets[b * N + n + 1]) (blocks x N + 1); each a
  /// multiple of the group. Paired: three ranges per pair of columns
  /// (compress.sparse_matmul's `paired`).
  std::vector<int32_t> offsets;
  /// Row (k) of each stored value; padding entries have value 0 and the
  /// first row of their block.
  std::vector<int32_t> rows;
  std::vector<T> values;
};

/// Packs `weight` (K x N, row-major) by columns, each padded with zeros to
/// a multiple of `group` entries. With `rowsPerBlock` > 0, by block of
/// that many rows and by column within a block (offsets: blocks x N + 1),
/// each range padded with its block's first row. With `batches` > 1,
/// `weight` is batches x K x N and is packed as the block-diagonal
/// (batches x K) x (batches x N) weight whose block b is its K x N batch b
/// (column b x N + n holds rows b x K to (b + 1) x K - 1 only). With
/// `paired` (batches x N even), by pairs of columns: per pair (of each
/// block), the rows both columns keep (two entries per row: the first
/// column's value, then the second's), then the first column's other rows,
/// then the second's, each range padded to the group.
template <typename T>
SparseColumns<T> packSparseColumns(llvm::ArrayRef<T> weight, int64_t k,
                                   int64_t n, int64_t group,
                                   int64_t rowsPerBlock = 0,
                                   int64_t batches = 1, bool paired = false);

/// The nonzero blocks of one row and `width` columns of a K x N weight
/// (N a multiple of `width`), per group of `width` columns.
struct SparseBlocks {
  /// N / width + 1 offsets into rows: group g holds [offsets[g],
  /// offsets[g + 1]) blocks, a multiple of the group.
  std::vector<int32_t> offsets;
  /// Row (k) of each block; padding blocks are row 0 with zero values.
  std::vector<int32_t> rows;
  /// `width` values per block, row-major.
  std::vector<float> values;
};

/// Packs the blocks of `weight` (K x N, row-major) that are not all zero.
SparseBlocks packSparseBlocks(llvm::ArrayRef<float> weight, int64_t k,
                              int64_t n, int64_t width, int64_t group);

/// A weight that keeps at most n of every m consecutive weights along K, in
/// compress.nm_sparse_matmul's form.
template <typename T> struct NMWeight {
  /// Tiles of 16 columns x K / m x n slots x 16 lanes, row-major: slot s
  /// holds a kept weight of group s / n (zero where the group keeps fewer).
  std::vector<T> values;
  /// Tiles x slots words: the 2-bit position within its group of each
  /// lane's weight.
  std::vector<int32_t> words;
};

/// Packs `weight` (K x N, row-major; K a multiple of m, m <= 4) as n:m, or
/// nothing when a group of m holds more than n nonzeros.
template <typename T>
std::optional<NMWeight<T>> packNMWeight(llvm::ArrayRef<T> weight, int64_t k,
                                        int64_t n, int64_t keep, int64_t m);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_SPARSECOLUMNS_H
