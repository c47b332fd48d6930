//===- WeightRows.h - A weight as rows of reduced elements ------*- C++ -*-===//
//
// The planning view of pruning: a compressible op's constant weight as rows
// (one per output channel) of the elements each row reduces over, with the
// calibration Gram matrix's column of every element and the input channel
// along which blocks and n:m groups run. Reads the op's indexing maps and
// the weight's shape only; builds no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_WEIGHTROWS_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_WEIGHTROWS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::compress::pruning {

/// The weight (second input) of a contraction or convolution as
/// `numRows x rowSize` elements.
struct WeightRows {
  /// Rows: every combination of the weight's parallel dims (output channel;
  /// a depthwise convolution's channel; a batch_matmul's batch and column),
  /// row-major over those dims in the weight's order.
  int64_t numRows = 0;
  /// Elements per row: the product of the reduced dims, ordered as the
  /// reduction loops (the order of the Gram matrix's columns).
  int64_t rowSize = 0;
  /// The row-major weight index of (row, k), at row * rowSize + k.
  std::vector<int64_t> element;
  /// The Gram matrix's column of (row, k), or empty when the op's Gram
  /// columns are not all weight dims.
  std::vector<int64_t> gramColumn;
  /// Order of the op's Gram matrix (the im2col columns of its input).
  int64_t gramSize = 0;
  /// Sets of rows that share their Gram columns (one for a matmul or a
  /// convolution; one per channel of a depthwise convolution).
  std::vector<std::vector<int64_t>> rowSets;
  /// The input channel of every k (its index along the reduction loop that
  /// indexes both the input and the weight directly), and the linear index
  /// of its other reduced dims. Empty when there is no such loop.
  std::vector<int64_t> channel, rest;
  /// Extent of the input-channel loop (0 when there is none).
  int64_t channels = 0;
};

/// Builds the view of `op`'s weight of type `weightType`; nothing when the
/// weight's indexing is not a plain loop per dim or a dim is dynamic.
std::optional<WeightRows> buildWeightRows(linalg::LinalgOp op,
                                          RankedTensorType weightType);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_WEIGHTROWS_H
