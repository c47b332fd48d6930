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
#include <vector>

namespace mlir::compress::sparse {

/// Output columns per tile of the column kernel: its threads share tiles.
inline constexpr int64_t kColumnTile = 64;

/// Nonzeros of a column (blocks of a group of columns) come in groups of
/// this many: the sparse kernels' unrolling.
constexpr int64_t kGroup = 4;
/// Columns of a block of the block-sparse kernel (one zmm of f32).
constexpr int64_t kBlockWidth = 16;

enum class SparseFormat { Dense, Columns, Blocks, NM };

/// The spelling of `format` in reports: dense, csc, blocks-1x16, n:m.
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
  /// NM: at most `keep` of every `group` consecutive weights along K are
  /// nonzero (group 2 or 4).
  int64_t keep = 0, group = 0;
  /// Columns: each column's (and block's) entries are padded to a multiple
  /// of this (the kernel's unrolling).
  int64_t entryGroup = kGroup;
  /// Columns: stored by pairs (compress.sparse_matmul's `paired`), and the
  /// fraction of the nonzeros in rows both columns of their pair keep.
  bool paired = false;
  double sharedFraction = 0;
  /// Why: the fraction against the crossover that decided.
  std::string reason;
};

/// The plan for a K x N row-major f32 `weight` multiplied by an activation
/// of `rows` rows (nothing: dynamic). `minSparsity` and `minBlockSparsity`
/// are compress-sparsify's options (-1: the measured crossovers).
/// `valueBytes`: 4 for f32 values, 1 for int8 codes (their N f32 scales
/// count in the bytes; blocks of int8 codes have no kernel).
/// `useNM`: whether the n:m kernel may be chosen. With `batches` > 1 the
/// weight is batches x K x N (a batch_matmul's; `rows` per batch), run by
/// the column kernel on its block-diagonal form (dense or columns only).
/// `smallLayerThreads`: the threads of the compiled code, for the measured
/// crossover of layers with little work (0: the crossover by rows alone;
/// compress-sparsify's small-layers and threads options).
/// `minSharedPairs`: the fraction of the nonzeros in rows shared by both
/// columns of a pair from which columns are stored by pairs (N even); -1:
/// the measured rule (kPairCrossover, 64 activation rows or more).
SparsePlan planSparseMatmul(llvm::ArrayRef<float> weight,
                            std::optional<int64_t> rows, int64_t k, int64_t n,
                            double minSparsity = -1,
                            double minBlockSparsity = -1,
                            int64_t valueBytes = 4, bool useNM = true,
                            int64_t batches = 1, int64_t smallLayerThreads = 1,
                            double minSharedPairs = -1);

/// The layouts of the convolutions compress.sparse_conv runs (a depthwise
/// convolution as one whose filter f reads channel f only).
enum class ConvLayout {
  NchwFchw,
  NhwcHwcf,
  NhwcFhwc,
  DepthwiseNchwChw,
  DepthwiseNhwcHwc
};

/// A 2-D convolution with static shapes (the batch may be dynamic): F
/// filters of C x KH x KW over a (padded) Hp x Wp input with strides SH x
/// SW or dilations DH x DW (not both), giving H_out x W_out.
struct ConvShape {
  ConvLayout layout = ConvLayout::NchwFchw;
  int64_t filters = 0, channels = 0, kernelHeight = 0, kernelWidth = 0;
  int64_t height = 0, width = 0, outHeight = 0, outWidth = 0;
  int64_t strideHeight = 1, strideWidth = 1;
  int64_t dilationHeight = 1, dilationWidth = 1;

  bool channelsLast() const {
    return layout != ConvLayout::NchwFchw &&
           layout != ConvLayout::DepthwiseNchwChw;
  }
  bool depthwise() const {
    return layout == ConvLayout::DepthwiseNchwChw ||
           layout == ConvLayout::DepthwiseNhwcHwc;
  }
  bool strided() const { return strideHeight > 1 || strideWidth > 1; }
  /// K: the weight's reduction size C x KH x KW.
  int64_t reduction() const { return channels * kernelHeight * kernelWidth; }
  /// Output positions per image on the input's grid: (H_out - 1) x Wp +
  /// W_out.
  int64_t positions() const { return (outHeight - 1) * width + outWidth; }
  /// The stride-1 convolution this one is on its input split into its SH x
  /// SW stride phases (phase (a, b) holds the rows a, a + SH, ... and the
  /// columns b, b + SW, ...): C x SH x SW channels (channel (a x SW + b) x
  /// C + c), a ceil(KH / SH) x ceil(KW / SW) kernel (a weight position (i,
  /// j) lands in phase (i mod SH, j mod SW) at (i / SH, j / SW); the other
  /// entries are zero) and an (H_out + KH' - 1) x (W_out + KW' - 1) input.
  /// With strides of 1: the shape itself on the (H_out + DH x (KH - 1)) x
  /// (W_out + DW x (KW - 1)) input it reads.
  ConvShape phased() const;
};

/// The weight (row-major in `shape`'s layout) as K x F row-major columns
/// of the phased convolution (`shape.phased()`), row (c x KH + i) x KW + j
/// of its channels and kernel.
std::vector<float> convWeightColumns(const ConvShape &shape,
                                     llvm::ArrayRef<float> weight);

/// The plan for a convolution (compress.sparse_conv, after a split into
/// stride phases when strided) with the weight `weight` (row-major in
/// `shape`'s layout): the crossover is taken on the weight's own zeros,
/// the layout on the phased weight, whose columns (convWeightColumns) are
/// returned in `columns` when given. Columns or dense. `valueBytes`: 4 for
/// f32 values, 1 for int8 codes (their F f32 scales count in the bytes).
SparsePlan planSparseConv(const ConvShape &shape, llvm::ArrayRef<float> weight,
                          double minSparsity = -1,
                          std::vector<float> *columns = nullptr,
                          int64_t valueBytes = 4);

/// The weight dimension of `layout` that indexes the filters (the output
/// channel): the axis of a per-channel quantized weight's scales.
int64_t filterAxis(ConvLayout layout);

} // namespace mlir::compress::sparse

namespace mlir {
class Operation;
} // namespace mlir

namespace mlir::compress::sparse {

/// The shape of `op` when it is a convolution compress-sparsify can run on
/// compress.sparse_conv: linalg.conv_2d_nchw_fchw, conv_2d_nhwc_hwcf or
/// conv_2d_nhwc_fhwc, depthwise_conv_2d_nchw_chw or
/// depthwise_conv_2d_nhwc_hwc on tensors, f32, static shapes but the
/// batch, strides or dilations (not both) (SparseMatch.cpp). `reason` (if
/// given) says why not.
std::optional<ConvShape> matchSparseConv(Operation *op,
                                         std::string *reason = nullptr);

} // namespace mlir::compress::sparse

#endif // COMPRESS_CODEGEN_SPARSEPLAN_H
