//===- SparsePlan.h - Which kernel runs a pruned matmul ---------*- C++ -*-===//
//
// The choice compress-sparsify makes for a matmul with a constant f32
// weight: our dense kernel, the column-sparse kernel (nonzeros of each
// output column) or the block-sparse one (nonzero 1 x 16 blocks), by the
// fractions of zeros against the crossovers measured on this project's
// kernels, and the bytes each storage takes. Pure computation on the
// weight's values; shared by compress-sparsify and compress-report.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CODEGEN_SPARSEPLAN_H
#define COMPRESS_CODEGEN_SPARSEPLAN_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::compress::sparse {

/// Nonzeros of a column (blocks of a group of columns) come in groups of
/// this many: the sparse kernels' unrolling.
constexpr int64_t kGroup = 4;
/// Columns of a block of the block-sparse kernel (one zmm of f32).
constexpr int64_t kBlockWidth = 16;

enum class SparseFormat { Dense, Columns, Blocks };

/// The spelling of `format` in reports: dense, csc, blocks-1x16.
const char *spellFormat(SparseFormat format);

struct SparsePlan {
  SparseFormat format = SparseFormat::Dense;
  /// Fractions of zero weights and of all-zero 1 x 16 blocks (0 when the
  /// columns are not a multiple of 16).
  double zeroFraction = 0, zeroBlockFraction = 0;
  /// Bytes of the dense weight and of the storage chosen (the dense bytes
  /// when the format is dense).
  int64_t denseBytes = 0, bytes = 0;
  /// Columns: the input rows per block (0: one block), so that a block of
  /// the transposed activation stays in the L1 cache.
  int64_t rowsPerBlock = 0;
  /// Why: the fraction against the crossover that decided.
  std::string reason;
};

/// The plan for a K x N row-major f32 `weight` multiplied by an activation
/// of `rows` rows (nothing: dynamic). `minSparsity` and `minBlockSparsity`
/// are compress-sparsify's options (-1: the measured crossovers).
/// `valueBytes`: 4 for f32 values, 1 for int8 codes (their N f32 scales
/// count in the bytes; blocks of int8 codes have no kernel).
SparsePlan planSparseMatmul(llvm::ArrayRef<float> weight,
                            std::optional<int64_t> rows, int64_t k, int64_t n,
                            double minSparsity = -1,
                            double minBlockSparsity = -1,
                            int64_t valueBytes = 4);

} // namespace mlir::compress::sparse

#endif // COMPRESS_CODEGEN_SPARSEPLAN_H
