//===- Reconstruct.h - Pruning with least-squares reconstruction -*- C++ -*-=//
//
// method=reconstruct of compress-prune on one layer, with H = X^T X (the
// calibration Gram matrix of the layer's input, dampened), for each set of
// rows sharing H:
//  - greedy optimal brain surgeon (Optimal Brain Compression) when the set
//    is small enough: per row (or group of rows of a block), the unit
//    whose removal raises ||(W - W')X|| least goes, every remaining weight
//    of the row gets the exact least-squares update, and H^-1 is downdated;
//  - SparseGPT otherwise: column by column, the weights to remove chosen by
//    saliency w^2 / [U]_jj^2 (U the upper Cholesky factor of H^-1) with the
//    weights already updated, each column's error spread over the columns
//    not yet processed.
// Linear algebra by Eigen; deterministic; memory of one Gram matrix (and
// one set of rows).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_RECONSTRUCT_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_RECONSTRUCT_H

#include "Selection.h"

namespace mlir::compress::pruning {

/// Prunes `weight` (the op's weight values, row-major) in place: the
/// removed units (unstructured or block: round(sparsity x units) of the
/// layer's units, spread over row sets and then over row groups or column
/// blocks; n:m: m - n of each group) are chosen and compensated by greedy
/// OBS (small row sets, or `solver` says so) or SparseGPT (large ones).
/// `gram` is the op's n x n Gram matrix (n = rows.gramSize) in row-major
/// order. Returns an error message, or an empty string.
std::string reconstruct(const WeightRows &rows, const PruneShape &shape,
                        double sparsity, double damp, ReconstructSolver solver,
                        llvm::ArrayRef<double> gram,
                        std::vector<float> &weight);

/// Channel pruning's compensation in a consumer: the weights of the
/// positions `removed` (per position row * rowSize + k, the same k for every
/// row of a row set) are zeroed and the remaining weights of every row get
/// the least-squares update that best keeps its output over the
/// calibration inputs: W'_R = W_R + W_M H_MR (H_RR + lambda I)^-1, with
/// lambda = damp x the mean diagonal of H. Returns an error message, or an
/// empty string.
std::string refitWithout(const WeightRows &rows,
                         const std::vector<bool> &removed, double damp,
                         llvm::ArrayRef<double> gram,
                         std::vector<float> &weight);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_RECONSTRUCT_H
