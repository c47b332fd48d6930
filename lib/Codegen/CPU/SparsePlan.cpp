//===- SparsePlan.cpp - Which kernel runs a pruned matmul -----------------===//

#include "compress/Codegen/SparsePlan.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir::compress::sparse;

/// A batch-1 dense layer whose weight has at least this many bytes streams
/// it from memory (it does not stay in the caches between calls).
constexpr int64_t kStreamedWeightBytes = int64_t(48) << 20;

/// The fraction of zeros from which the column-sparse product of an
/// activation of `rows` rows by a weight of `weightBytes` beats the dense
/// kernel, measured on AMD Zen 4 and Intel Emerald Rapids with 1 and 2
/// threads (docs/pruning.md; the higher of the two where they differ),
/// with the rows blocked for the L1 cache (rowsPerBlock):
///  - 32 to 128 rows: 0.5 (1024^2: 1.2-1.4x at 0.5, 2:4 1.3-1.4x; 0.4 is
///    1.0-1.1x); more rows: 0.7 (256 rows: on Zen 4 1.05x at 0.5, 1.3x at
///    0.6; on Emerald Rapids 0.82x at 0.6, 1.13x at 0.7: the chunks of a
///    row of the transposed activation share cache sets);
///  - 16 to 31 rows: 0.6 (1.1-1.2x; 0.5 is 0.9-1.0x);
///  - one row and a weight streamed from memory (4096 x 4096: 64 MB): 0.8
///    (1.45-2.1x; 0.7 is 0.85-1.5x, by the machine's memory bandwidth):
///    the dense GEMV is bound by the bytes, the sparse one reads 6 bytes
///    per nonzero with scalar FMAs;
///  - 8 to 15 rows: 0.8 (1024^2 and 4096 x 1024: 1.4-2.1x; 0.7 is
///    1.0-1.2x);
///  - otherwise (a weight that stays in the caches, 2-7 rows whose dense
///    kernel does more per weight load, or a dynamic number of rows): 0.9
///    (at 0.8, 1024^2 at batch 1 0.65-0.7x, 2048^2 0.8-0.96x, 1024^2 at
///    batch 4 0.6-1.0x; at 0.9, 1.2-2.3x);
///  - int8 codes (weight-only int8) with 16 rows or more: as f32 (the dense
///    int8 kernel decodes in registers at the f32 kernel's speed); fewer
///    rows: 0.95.
static double columnCrossover(std::optional<int64_t> rows, int64_t weightBytes,
                              int64_t valueBytes) {
  // int8 codes with fewer than 16 rows: the dense int8 GEMV reads a
  // quarter of the f32 bytes (4096^2 at batch 1: 0.62 ms, the sparse
  // kernel 0.68 ms at 90% zeros).
  if (valueBytes == 1 && (!rows || *rows < 16))
    return 0.95;
  if (rows && *rows >= 32)
    return *rows <= 128 ? 0.5 : 0.7;
  if (rows && *rows >= 16)
    return 0.6;
  if (rows && *rows >= 8)
    return 0.8;
  if (rows && *rows == 1 && weightBytes >= kStreamedWeightBytes)
    return 0.8;
  return 0.9;
}

/// The crossover of the column kernel with 16 rows or more, raised for
/// layers with little work, where the dense kernel is at its most
/// efficient relative to the sparse one, and for a number of rows that is
/// not a multiple of 16 (the kernel computes a masked chunk at the cost of
/// a whole one). On several threads each parallel region of the sparse path
/// (the transpose of the activation, the kernel, and for rows not a
/// multiple of 64 the transpose back) costs about 3 us to start and end,
/// and a layer of one tile of columns runs its kernel on one thread while
/// the dense one uses them all. Measured on Emerald Rapids
/// (docs/benchmarks.md), one thread: 32 x 512 x 64 0.91x at 0.5, 1.06x at
/// 0.6; 36 x 512 x 64 0.55x at 0.5, from 0.8; 64 x 256 x 64 1.9x at 0.9.
/// Two threads: 64 x 512 x 64 (2 M multiply-adds) never pays, even at 0.9;
/// 128 x 1024 x 64 (8 M, one tile) 0.8x at 0.9; 36 x 512 x 256 (5 M, three
/// regions) 0.84x at 0.9 (2.0x on one thread); 64 x 512 x 128 1.2x at 0.9;
/// 64 x 1024 x 256 (17 M) 0.89x at 0.5, 1.16x at 0.7. A crossover above 1
/// keeps the layer dense.
static double smallLayerCrossover(int64_t rows, int64_t k, int64_t n,
                                  int64_t batches, int64_t threads) {
  double work = static_cast<double>(rows) * k * n * batches;
  bool ragged = rows % 16 != 0 && rows < 128;
  if (threads == 1) {
    double crossover = work < 3e6 ? 0.6 : 0;
    return ragged ? std::max(crossover, 0.8) : crossover;
  }
  bool oneTile = batches == 1 && n <= kColumnTile;
  bool threeRegions = rows % 64 != 0;
  if (work < 3e6 || (oneTile && work < 32e6) || (threeRegions && work < 8e6))
    return 1.01;
  double crossover = work < 8e6 ? 0.8 : work < 32e6 ? 0.7 : 0;
  return ragged ? std::max(crossover, 0.8) : crossover;
}

/// Input rows per block of the column-sparse kernel (0: one block): a
/// block of the transposed activation (rows x the kernel's chunk of at
/// most 64 columns) of 32 KB, the L1 cache, or more where the nonzeros are
/// so few that a block of a column would hold fewer than 32 (its padding
/// to whole groups would cost more than the cache misses), as a power of
/// two; measured on 1024^2 weights with 16 and 64 rows from 50% to 95%
/// zeros (docs/pruning.md).
static int64_t blockRows(std::optional<int64_t> rows, int64_t k,
                         double density) {
  int64_t chunk = rows ? std::clamp<int64_t>(*rows, 1, 64) : 64;
  if (k * chunk * 4 <= (32 << 10))
    return 0;
  double wanted = std::max((32 << 10) / (chunk * 4.0),
                           density > 0 ? 32.0 / density : double(k));
  int64_t block = 1;
  while (block * 2 <= wanted)
    block *= 2;
  return block >= k ? 0 : block;
}

/// The fraction of zero 1 x 16 blocks from which the block kernel beats
/// the dense one, measured on AMD Zen 4 (1 and 2 threads; 1024^2 and
/// 4096^2 at batch 1, 1024^2 at batch 8 and 64; docs/pruning.md): with one
/// row 1.5-2.2x at 0.5 (1.2-1.7x at 0.3); with more rows 0.89-0.94x at 0.5,
/// 1.7-1.8x at 0.7.
/// Activation rows from which block-pruned weights run on the column
/// kernel instead of the block kernel. Measured on Emerald Rapids (1024 x
/// 1024, 1 and 2 threads, block kernel against paired columns): 8 rows,
/// the block kernel 1.1-1.3x faster at 70% and 90% zero blocks; 16 rows,
/// the columns 1.2-2.0x faster; 32 and 64 rows 1.2-2.6x; 128 rows 2.0-2.4x.
constexpr int64_t kMinColumnRowsForBlocks = 16;

static double blockCrossover(std::optional<int64_t> rows) {
  return rows && *rows == 1 ? 0.5 : 0.6;
}

static int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

/// Entries the column storage of a K x N `weight` holds with blocks of
/// `rowStep` rows: each column's (and block's) nonzeros padded to whole
/// groups. With `batches` > 1, of the block-diagonal form of a batches x K
/// x N weight (kernels::packSparseColumns).
static int64_t storedEntries(llvm::ArrayRef<float> weight, int64_t k, int64_t n,
                             int64_t rowStep, int64_t group = kGroup,
                             int64_t batches = 1) {
  int64_t entries = 0;
  for (int64_t col = 0; col < batches * n; ++col) {
    int64_t batch = col / n, inBatch = col % n;
    for (int64_t first = 0; first < batches * k; first += rowStep) {
      int64_t count = 0;
      int64_t begin = std::max(first, batch * k);
      int64_t end = std::min(first + rowStep, (batch + 1) * k);
      for (int64_t row = begin; row < end; ++row)
        count += weight[row * n + inBatch] != 0.0f;
      entries += roundUp(count, group);
    }
  }
  return entries;
}

/// Entries of the paired column storage (kernels::packSparseColumns with
/// `paired`) of a K x N `weight` (N even; with `batches` > 1 the
/// block-diagonal form of a batches x K x N weight) with blocks of
/// `rowStep` rows; `shared` gets the nonzeros in rows that both columns of
/// their pair keep.
static int64_t pairedEntries(llvm::ArrayRef<float> weight, int64_t k, int64_t n,
                             int64_t rowStep, int64_t batches,
                             int64_t &shared) {
  int64_t entries = 0;
  shared = 0;
  for (int64_t batch = 0; batch < batches; ++batch)
    for (int64_t col = 0; col + 1 < n; col += 2)
      for (int64_t first = batch * k / rowStep * rowStep;
           first < (batch + 1) * k; first += rowStep) {
        int64_t begin = std::max(first, batch * k);
        int64_t end = std::min(first + rowStep, (batch + 1) * k);
        int64_t both = 0, first1 = 0, second = 0;
        for (int64_t row = begin; row < end; ++row) {
          bool a = weight[row * n + col] != 0.0f;
          bool b = weight[row * n + col + 1] != 0.0f;
          both += a && b;
          first1 += a && !b;
          second += b && !a;
        }
        shared += 2 * both;
        entries += roundUp(2 * both, kGroup) + roundUp(first1, kGroup) +
                   roundUp(second, kGroup);
      }
  return entries;
}

/// The fraction of the nonzeros in rows both columns of their pair keep
/// from which paired columns pay: with 32 activation rows or more (chunks
/// of two or four 16-lane vectors, where the kernel is bound by its loads:
/// a shared row reads its input vectors once for two columns' FMAs) a
/// quarter; with fewer rows (or a dynamic number) three quarters. Measured
/// on Emerald Rapids (1024 x 1024, 1 and 2 threads), paired against
/// unpaired: 64 rows, 2:4 (0.5 shared) 1.08-1.12x, 70% zeros (0.3)
/// 1.02-1.08x, 80% (0.2) 1.0x; 256 rows at 70% 1.07-1.13x; 32 rows, 2:4
/// 1.24-1.28x, 70% 1.03-1.08x; 16 rows, 2:4 0.74-0.96x, 70% 0.97x; 8 rows
/// at 90% (0.1) 0.92x; one row at 80% 0.72x; but 1 x 16 block-pruned
/// weights (1.0 shared: a pair lies in one block) 1.2-1.7x from 1 to 32
/// rows.
constexpr double kPairCrossover = 0.25;
constexpr double kFewRowsPairCrossover = 0.75;

/// Half the fraction one of `count` elements makes: a weight pruned to
/// exactly a crossover holds round(crossover x count) zeros, up to half a
/// zero fewer than the product.
static double oneElement(int64_t count) {
  return std::max(1e-6, 0.5 / static_cast<double>(std::max<int64_t>(count, 1)));
}

/// The smallest n:m structure (m = 4 or 2, n < m) of a K x N weight: at
/// most n nonzeros in every m consecutive rows of each column.
static std::optional<std::pair<int64_t, int64_t>>
findNM(llvm::ArrayRef<float> weight, int64_t k, int64_t n) {
  for (int64_t group : {4, 2}) {
    if (k == 0 || n == 0 || k % group != 0)
      continue;
    int64_t most = 0;
    for (int64_t first = 0; first < k && most < group; first += group)
      for (int64_t col = 0; col < n; ++col) {
        int64_t count = 0;
        for (int64_t row = first; row < first + group; ++row)
          count += weight[row * n + col] != 0.0f;
        most = std::max(most, count);
      }
    if (most < group)
      return std::make_pair(std::max<int64_t>(most, 1), group);
  }
  return std::nullopt;
}

/// Whether the n:m kernel beats the others for an activation of `rows`
/// rows and a dense weight of `denseBytes`, measured on AMD Zen 4 with 1
/// and 2 threads (docs/pruning.md): with at most half of the weights kept
/// and fewer than 16 rows (2:4 1.3-2.9x our dense kernel, 1:4 2.2-11x);
/// not with 16 rows (2:4 1.0x: the column kernel is as fast), nor with 2
/// to 15 rows and a weight streamed from memory (4 x 4096 x 4096: 2:4
/// 0.83-1.16x, where the dense kernel reads each weight once for all rows).
static bool nmPays(std::optional<int64_t> rows, int64_t denseBytes,
                   std::pair<int64_t, int64_t> nm) {
  auto [keep, group] = nm;
  if (2 * keep > group || (rows && *rows >= 16))
    return false;
  return (rows && *rows == 1) || denseBytes < kStreamedWeightBytes;
}

/// Columns in `plan` (with `bytes` and `rowsPerBlock`) when its zero
/// fraction of `count` weights reaches `threshold`, else dense; the reason
/// names `kernel`.
static void decideColumns(SparsePlan &plan, int64_t count, double threshold,
                          int64_t bytes, int64_t rowsPerBlock,
                          llvm::StringRef kernel) {
  if (count > 0 && plan.zeroFraction >= threshold - oneElement(count)) {
    plan.format = SparseFormat::Columns;
    plan.bytes = bytes;
    plan.rowsPerBlock = rowsPerBlock;
    plan.reason = llvm::formatv(
        "{0:F3} of the weights are zero, at least the crossover {1}",
        plan.zeroFraction, threshold);
    return;
  }
  if (threshold > 1) {
    plan.reason = llvm::formatv(
        "{0:F3} of the weights are zero; the layer is too small for the {1} "
        "to beat the dense one at any sparsity",
        plan.zeroFraction, kernel);
    return;
  }
  plan.reason = llvm::formatv(
      "{0:F3} of the weights are zero, below the crossover {1} where the "
      "{2} starts to beat the dense one",
      plan.zeroFraction, threshold, kernel);
}

const char *mlir::compress::sparse::spellFormat(SparseFormat format) {
  switch (format) {
  case SparseFormat::Dense:
    return "dense";
  case SparseFormat::Columns:
    return "csc";
  case SparseFormat::Blocks:
    return "blocks-1x16";
  case SparseFormat::NM:
    return "n:m";
  }
  return "dense";
}

SparsePlan mlir::compress::sparse::planSparseMatmul(
    llvm::ArrayRef<float> weight, std::optional<int64_t> rows, int64_t k,
    int64_t n, double minSparsity, double minBlockSparsity, int64_t valueBytes,
    bool useNM, int64_t batches, int64_t smallLayerThreads,
    double minSharedPairs) {
  SparsePlan plan;
  // int8 codes carry one f32 scale per column (the sparse form one per
  // column of each batch).
  int64_t scaleBytes = valueBytes == 4 ? 0 : n * 4;
  int64_t weights = batches * k * n;
  plan.denseBytes = plan.bytes = weights * valueBytes + scaleBytes;
  // The kernel's reduction: the rows of all batches (block-diagonal).
  int64_t allRows = batches * k;
  int64_t indexBytes = allRows <= 32768 ? 2 : 4;
  int64_t nonzeros = 0;
  for (float value : weight)
    nonzeros += value != 0.0f;
  plan.zeroFraction =
      weights > 0 ? static_cast<double>(weights - nonzeros) / weights : 0;
  // The transposed activation is read once per output column: in blocks of
  // rows when it exceeds the L1 cache.
  int64_t rowsPerBlock =
      blockRows(rows, allRows, weights > 0 ? 1.0 - plan.zeroFraction : 0.0);
  int64_t rowStep =
      rowsPerBlock > 0 ? rowsPerBlock : std::max<int64_t>(allRows, 1);
  int64_t blocks = (std::max<int64_t>(allRows, 1) + rowStep - 1) / rowStep;
  // Stored entries: nonzeros of each column (and block of rows), padded to
  // whole groups; the same for nonzero 1 x 16 blocks of each group of 16
  // columns.
  int64_t columnEntries = storedEntries(weight, k, n, rowStep, kGroup, batches);
  int64_t columnBytes = (batches * n * blocks + 1) * 4 +
                        columnEntries * (indexBytes + valueBytes) +
                        batches * scaleBytes;

  // The block kernel with fewer than 16 activation rows (or a dynamic
  // number): with more, the column kernel runs block-pruned weights faster
  // (by pairs of columns, which share all their rows; see kPairCrossover).
  if (batches == 1 && valueBytes == 4 && n % kBlockWidth == 0 && k * n > 0 &&
      (!rows || *rows < kMinColumnRowsForBlocks)) {
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
        minBlockSparsity < 0 ? blockCrossover(rows) : minBlockSparsity;
    if (plan.zeroBlockFraction >=
        threshold - oneElement(k * (n / kBlockWidth))) {
      plan.format = SparseFormat::Blocks;
      plan.bytes = (n / kBlockWidth + 1) * 4 +
                   blockEntries * (indexBytes + kBlockWidth * 4);
      plan.reason = llvm::formatv("{0:F3} of the 1x16 blocks are zero, at "
                                  "least the crossover {1}",
                                  plan.zeroBlockFraction, threshold);
      return plan;
    }
  }
  // An n:m weight (at most half of every group kept) with few activation
  // rows: the compact form and its kernel.
  std::optional<std::pair<int64_t, int64_t>> nm;
  if (batches == 1 && useNM && minSparsity < 0 && (!rows || *rows < 16))
    nm = findNM(weight, k, n);
  if (nm && nmPays(rows, plan.denseBytes, *nm)) {
    auto [keep, group] = *nm;
    plan.format = SparseFormat::NM;
    plan.keep = keep;
    plan.group = group;
    int64_t slots = k / group * keep, padded = roundUp(n, 16);
    plan.bytes =
        slots * padded * valueBytes + slots * (padded / 16) * 4 + scaleBytes;
    plan.reason = llvm::formatv(
        "at most {0} of every {1} weights along K are nonzero, with {2} "
        "activation rows",
        keep, group, rows ? std::to_string(*rows) : std::string("dynamic"));
    return plan;
  }
  double threshold = minSparsity < 0
                         ? columnCrossover(rows, plan.denseBytes, valueBytes)
                         : minSparsity;
  // The block-diagonal weight of a batch_matmul: at least 0.6 (8 x 64 x
  // 256 x 256 on Emerald Rapids: 0.98-1.2x at 0.5, 1.3-1.6x at 0.7).
  if (minSparsity < 0 && batches > 1)
    threshold = std::max(threshold, 0.6);
  if (minSparsity < 0 && smallLayerThreads > 0 && rows && *rows >= 16)
    threshold = std::max(threshold, smallLayerCrossover(*rows, k, n, batches,
                                                        smallLayerThreads));
  decideColumns(plan, weights, threshold, columnBytes, rowsPerBlock,
                "sparse kernel");
  if (plan.format != SparseFormat::Columns || n % 2 != 0 || nonzeros == 0)
    return plan;
  int64_t shared = 0;
  int64_t pairEntries = pairedEntries(weight, k, n, rowStep, batches, shared);
  plan.sharedFraction = static_cast<double>(shared) / nonzeros;
  double pairCrossover = minSharedPairs >= 0   ? minSharedPairs
                         : rows && *rows >= 32 ? kPairCrossover
                                               : kFewRowsPairCrossover;
  bool pays = plan.sharedFraction >= pairCrossover;
  if (!pays)
    return plan;
  plan.paired = true;
  plan.bytes = (batches * n / 2 * 3 * blocks + 1) * 4 +
               pairEntries * (indexBytes + valueBytes) + batches * scaleBytes;
  plan.reason += llvm::formatv("; columns stored by pairs ({0:F2} of the "
                               "nonzeros in rows both columns of a pair keep)",
                               plan.sharedFraction);
  return plan;
}

ConvShape mlir::compress::sparse::ConvShape::phased() const {
  ConvShape shape = *this;
  if (!strided()) {
    shape.height = outHeight + dilationHeight * (kernelHeight - 1);
    shape.width = outWidth + dilationWidth * (kernelWidth - 1);
    return shape;
  }
  shape.channels = channels * strideHeight * strideWidth;
  shape.kernelHeight = (kernelHeight + strideHeight - 1) / strideHeight;
  shape.kernelWidth = (kernelWidth + strideWidth - 1) / strideWidth;
  shape.height = outHeight + shape.kernelHeight - 1;
  shape.width = outWidth + shape.kernelWidth - 1;
  shape.strideHeight = shape.strideWidth = 1;
  return shape;
}

std::vector<float>
mlir::compress::sparse::convWeightColumns(const ConvShape &shape,
                                          llvm::ArrayRef<float> weight) {
  int64_t f = shape.filters, c = shape.channels, kh = shape.kernelHeight,
          kw = shape.kernelWidth, sh = shape.strideHeight,
          sw = shape.strideWidth;
  ConvShape phased = shape.phased();
  std::vector<float> columns(phased.reduction() * f, 0.0f);
  for (int64_t filter = 0; filter < f; ++filter)
    for (int64_t channel = 0; channel < c; ++channel) {
      // A depthwise filter reads its own channel only.
      if (shape.depthwise() && channel != filter)
        continue;
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          int64_t at = 0;
          switch (shape.layout) {
          case ConvLayout::NchwFchw:
            at = ((filter * c + channel) * kh + i) * kw + j;
            break;
          case ConvLayout::NhwcHwcf:
            at = ((i * kw + j) * c + channel) * f + filter;
            break;
          case ConvLayout::NhwcFhwc:
            at = ((filter * kh + i) * kw + j) * c + channel;
            break;
          case ConvLayout::DepthwiseNchwChw:
            at = (channel * kh + i) * kw + j;
            break;
          case ConvLayout::DepthwiseNhwcHwc:
            at = (i * kw + j) * c + channel;
            break;
          }
          int64_t phase = (i % sh) * sw + j % sw;
          int64_t row = ((phase * c + channel) * phased.kernelHeight + i / sh) *
                            phased.kernelWidth +
                        j / sw;
          columns[row * f + filter] = weight[at];
        }
    }
  return columns;
}

/// The fraction of zeros from which the direct sparse convolution of
/// `shape` beats our dense convolution kernel, measured on AMD Zen 4 and
/// Intel Emerald Rapids with 1 and 2 threads (docs/pruning.md):
///  - ResNet-18's 3x3 layers, the 3x3 stride-2 one, the 7x7 stem and a
///    dilated 3x3: 0.8 from 128 output positions, f32 or int8 codes (at
///    0.8 1.2-2.2x; at 0.7 on Zen 4 1.2-1.5x, on Emerald Rapids, whose
///    dense kernel is relatively faster, 0.98-1.03x, 0.8-0.87x dilated,
///    int8 0.9-1.15x); 0.9 below (7 x 7: at 0.8 1.3x on Zen 4 but
///    0.91-0.94x on Emerald Rapids, where fewer positions share each
///    filter's nonzeros and the wide grid's extra columns cost 29%);
///  - depthwise NCHW: 0.5 (256 channels at 28 x 28: 1.6-1.9x at 0.7,
///    2-2.4x at 0.9; at 0.5 1.2x on 1 thread).
static double convCrossover(const ConvShape &shape, int64_t positions) {
  if (shape.depthwise())
    return 0.5;
  return positions >= 128 ? 0.8 : 0.9;
}

SparsePlan mlir::compress::sparse::planSparseConv(const ConvShape &shape,
                                                  llvm::ArrayRef<float> weight,
                                                  double minSparsity,
                                                  std::vector<float> *columns,
                                                  int64_t valueBytes) {
  ConvShape phased = shape.phased();
  std::vector<float> phasedColumns = convWeightColumns(shape, weight);
  int64_t k = phased.reduction(), n = shape.filters;
  int64_t positions = phased.positions();
  // The crossover applies to the weight's own zeros (the phases' structural
  // zeros cost nothing in the sparse form).
  auto weights = static_cast<int64_t>(weight.size());
  SparsePlan plan;
  // int8 codes carry one f32 scale per filter.
  int64_t scaleBytes = valueBytes == 4 ? 0 : n * 4;
  plan.denseBytes = plan.bytes = weights * valueBytes + scaleBytes;
  int64_t indexBytes = k <= 32768 ? 2 : 4;
  int64_t nonzeros = 0;
  for (float value : weight)
    nonzeros += value != 0.0f;
  plan.zeroFraction =
      weights > 0 ? static_cast<double>(weights - nonzeros) / weights : 0;
  int64_t rowsPerBlock = blockRows(
      positions, k, k * n > 0 ? static_cast<double>(nonzeros) / (k * n) : 0.0);
  int64_t rowStep = rowsPerBlock > 0 ? rowsPerBlock : std::max<int64_t>(k, 1);
  int64_t blocks = (std::max<int64_t>(k, 1) + rowStep - 1) / rowStep;
  // A depthwise filter holds at most KH x KW nonzeros: no unrolling (whole
  // groups of 4 would pad most of them).
  plan.entryGroup = shape.depthwise() ? 1 : kGroup;
  int64_t entries =
      storedEntries(phasedColumns, k, n, rowStep, plan.entryGroup);
  if (columns)
    *columns = std::move(phasedColumns);
  // An NHWC depthwise convolution reads and writes as many elements as its
  // transposes to NCHW and back, which alone take longer than our dense
  // kernel (64 channels at 56 x 56: 0.3-0.4x at any sparsity).
  if (minSparsity < 0 && shape.depthwise() && shape.channelsLast()) {
    plan.reason = llvm::formatv(
        "{0:F3} of the weights are zero; an NHWC depthwise convolution "
        "runs faster dense than transposed for the sparse convolution",
        plan.zeroFraction);
    return plan;
  }
  // A strided input whose phases would reach past it needs padding first,
  // which cost more than the sparse convolution saved (3x3 stride 2 on a
  // 57 x 57 input: 0.66-0.88x at 90% zeros, on 58 x 58 2.1-2.4x, measured
  // before the whole chunks were unmasked).
  if (minSparsity < 0 && shape.strided() &&
      (phased.height * shape.strideHeight > shape.height ||
       phased.width * shape.strideWidth > shape.width)) {
    plan.reason = llvm::formatv(
        "{0:F3} of the weights are zero; the {1} x {2} input is not whole "
        "stride phases of the output (it would need padding)",
        plan.zeroFraction, shape.height, shape.width);
    return plan;
  }
  double threshold =
      minSparsity < 0 ? convCrossover(shape, positions) : minSparsity;
  decideColumns(plan, weights, threshold,
                (n * blocks + 1) * 4 + entries * (indexBytes + valueBytes) +
                    scaleBytes,
                rowsPerBlock, "sparse convolution");
  return plan;
}

int64_t mlir::compress::sparse::filterAxis(ConvLayout layout) {
  switch (layout) {
  case ConvLayout::NchwFchw:
  case ConvLayout::NhwcFhwc:
  case ConvLayout::DepthwiseNchwChw:
    return 0;
  case ConvLayout::NhwcHwcf:
    return 3;
  case ConvLayout::DepthwiseNhwcHwc:
    return 2;
  }
  return 0;
}
