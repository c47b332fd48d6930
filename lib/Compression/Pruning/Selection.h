//===- Selection.h - Which weights pruning removes --------------*- C++ -*-===//
//
// The units a structure removes together (single weights, blocks, n:m
// groups) over the rows of a weight (WeightRows.h), importance scores, and
// the choice of the units to remove by magnitude. Pure computation on
// arrays; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_SELECTION_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_SELECTION_H

#include "WeightRows.h"
#include "compress/Compression/PruneOptions.h"
#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace mlir::compress::pruning {

/// The structure of what is removed.
struct PruneShape {
  PruneStructure structure = PruneStructure::Unstructured;
  /// structure=block: input channels x rows (output channels) per block.
  int64_t blockChannels = 1, blockRows = 1;
  /// structure=n:m: kept of every m consecutive input channels.
  int64_t n = 2, m = 4;
};

/// Parses `RxC` (positive integers) into (R, C); nothing if malformed.
std::optional<std::pair<int64_t, int64_t>> parseBlock(llvm::StringRef text);

/// Why `shape` cannot be applied to `rows` (a block or an m that does not
/// divide its dims, no input channel), or an empty string.
std::string checkShape(const WeightRows &rows, const PruneShape &shape);

/// The units of `rows` under `shape` (unstructured: one per element; block:
/// R x C elements; n:m: groups of m): unit ids per position
/// (row * rowSize + k) and their number.
struct Units {
  std::vector<int64_t> of; // per position
  int64_t count = 0;
};
Units buildUnits(const WeightRows &rows, const PruneShape &shape);

/// Importance of every position by `criterion` (activation: |w| times the
/// square root of the Gram matrix's diagonal entry of its column).
std::vector<double> elementScores(const WeightRows &rows,
                                  llvm::ArrayRef<float> weight,
                                  PruneCriterion criterion,
                                  llvm::ArrayRef<double> gramDiagonal);

/// Sum of the element scores of every unit.
std::vector<double> unitScores(const Units &units,
                               llvm::ArrayRef<double> scores);

/// The `count` units of lowest score (ties: lower id first), as a mask over
/// unit ids.
std::vector<bool> lowestUnits(llvm::ArrayRef<double> scores, int64_t count);

/// n:m: in every group (unit) of m positions, the m - n of lowest score
/// (ties: lower position first), as a mask over positions.
std::vector<bool> nmMask(const Units &groups, llvm::ArrayRef<double> scores,
                         int64_t n, int64_t m);

/// Zeroes the weight elements of the removed positions.
void applyMask(const WeightRows &rows, const std::vector<bool> &removedPosition,
               std::vector<float> &weight);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_SELECTION_H
