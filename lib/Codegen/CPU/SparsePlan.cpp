//===- SparsePlan.cpp - Which kernel runs a pruned matmul -----------------===//

#include "compress/Codegen/SparsePlan.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir::compress::sparse;

/// A batch-1 dense layer whose weight has at least this many bytes streams
/// it from memory (it does not stay in the caches between calls).
constexpr int64_t kStreamedWeightBytes = int64_t(48) << 20;

/// The fraction of zeros from which the column-sparse product of an
/// activation of `rows` rows by a weight of `weightBytes` beats the dense
/// kernel, measured on AMD Zen 4 with 1 and 2 threads (docs/pruning.md):
///  - 16 rows or more: the dense kernel is compute-bound and the sparse one
///    does the same FMAs on fewer weights: 0.7 (1.2-1.5x from 256^2 to
///    2048^2; 0.6 is 0.9-1.1x);
///  - one row and a weight streamed from memory (4096 x 4096: 64 MB): 0.7
///    (1.1-1.5x; 0.65 is 0.9-1.2x): the dense GEMV is bound by the bytes,
///    the sparse one reads 6 bytes per nonzero;
///  - otherwise (a weight that stays in the caches, 2-15 rows whose dense
///    kernel does more per weight load, or a dynamic number of rows): 0.9
///    (at 0.8, 1024^2 at batch 1 0.65-0.7x, 2048^2 0.8-0.96x, 1024^2 at
///    batch 8 0.86-1.2x; at 0.9, 1.2-2.3x).
static double columnCrossover(std::optional<int64_t> rows,
                              int64_t weightBytes) {
  if (rows && *rows >= 16)
    return 0.7;
  if (rows && *rows == 1 && weightBytes >= kStreamedWeightBytes)
    return 0.7;
  return 0.9;
}

/// The fraction of zero 1 x 16 blocks from which the block kernel beats
/// the dense one, measured on AMD Zen 4 (1 and 2 threads; 1024^2 and
/// 4096^2 at batch 1, 1024^2 at batch 8 and 64; docs/pruning.md): 0.89-0.94x
/// at 0.5 with 8 or 64 rows (1.2-3.5x with one row), 1.7-5.9x at 0.7.
constexpr double kBlockCrossover = 0.6;

static int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

const char *mlir::compress::sparse::spellFormat(SparseFormat format) {
  switch (format) {
  case SparseFormat::Dense:
    return "dense";
  case SparseFormat::Columns:
    return "csc";
  case SparseFormat::Blocks:
    return "blocks-1x16";
  }
  return "dense";
}

SparsePlan mlir::compress::sparse::planSparseMatmul(
    llvm::ArrayRef<float> weight, std::optional<int64_t> rows, int64_t k,
    int64_t n, double minSparsity, double minBlockSparsity) {
  SparsePlan plan;
  plan.denseBytes = plan.bytes = k * n * 4;
  int64_t indexBytes = k <= 32768 ? 2 : 4;
  // Stored entries: nonzeros of each column, padded to whole groups; the
  // same for nonzero blocks of each group of 16 columns.
  int64_t zeros = 0, columnEntries = 0;
  for (int64_t col = 0; col < n; ++col) {
    int64_t nonzeros = 0;
    for (int64_t row = 0; row < k; ++row)
      nonzeros += weight[row * n + col] != 0.0f;
    zeros += k - nonzeros;
    columnEntries += roundUp(nonzeros, kGroup);
  }
  plan.zeroFraction = k * n > 0 ? static_cast<double>(zeros) / (k * n) : 0;
  int64_t columnBytes = (n + 1) * 4 + columnEntries * (indexBytes + 4);

  if (n % kBlockWidth == 0 && k * n > 0) {
    int64_t zeroBlocks = 0, blockEntries = 0;
    for (int64_t group = 0; group < n / kBlockWidth; ++group) {
      int64_t nonzeroBlocks = 0;
      for (int64_t row = 0; row < k; ++row) {
        bool zero = true;
        for (int64_t c = 0; c < kBlockWidth && zero; ++c)
          zero = weight[row * n + group * kBlockWidth + c] == 0.0f;
        nonzeroBlocks += !zero;
      }
      zeroBlocks += k - nonzeroBlocks;
      blockEntries += roundUp(nonzeroBlocks, kGroup);
    }
    plan.zeroBlockFraction =
        static_cast<double>(zeroBlocks) / (k * (n / kBlockWidth));
    double threshold =
        minBlockSparsity < 0 ? kBlockCrossover : minBlockSparsity;
    // A weight pruned to exactly the threshold may count one zero less
    // than the product rounds to.
    if (plan.zeroBlockFraction >= threshold - 1e-6) {
      plan.format = SparseFormat::Blocks;
      plan.bytes = (n / kBlockWidth + 1) * 4 +
                   blockEntries * (indexBytes + kBlockWidth * 4);
      plan.reason = llvm::formatv("{0:F3} of the 1x16 blocks are zero, at "
                                  "least the crossover {1}",
                                  plan.zeroBlockFraction, threshold);
      return plan;
    }
  }
  double threshold =
      minSparsity < 0 ? columnCrossover(rows, k * n * 4) : minSparsity;
  if (k * n > 0 && plan.zeroFraction >= threshold - 1e-6) {
    plan.format = SparseFormat::Columns;
    plan.bytes = columnBytes;
    plan.reason = llvm::formatv(
        "{0:F3} of the weights are zero, at least the crossover {1}",
        plan.zeroFraction, threshold);
    return plan;
  }
  plan.reason = llvm::formatv(
      "{0:F3} of the weights are zero, below the crossover {1} where the "
      "sparse kernel starts to beat the dense one",
      plan.zeroFraction, threshold);
  return plan;
}
