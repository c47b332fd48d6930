//===- SymmetricEigen.h - Sorted, sign-fixed eigenvectors -------*- C++ -*-===//
//
// The eigen-decomposition of a symmetric matrix with the eigenvalues in
// descending order (negatives from rounding clamped to 0) and each
// eigenvector's largest entry positive, so that every factorization built
// on it is deterministic. Shared by the decompositions (Eigen inside).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_SYMMETRICEIGEN_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_SYMMETRICEIGEN_H

#include <Eigen/Dense>

#include <vector>

namespace mlir::compress::decomposition {

struct SortedEigen {
  /// Eigenvectors as columns, by descending eigenvalue.
  Eigen::MatrixXd basis;
  /// Eigenvalues, descending, >= 0.
  std::vector<double> energies;
};

/// Decomposes the symmetric `g` (taken by value: pass a matrix that is no
/// longer needed with std::move, and it is freed before the basis is
/// built).
SortedEigen sortedEigen(Eigen::MatrixXd g);

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_SYMMETRICEIGEN_H
