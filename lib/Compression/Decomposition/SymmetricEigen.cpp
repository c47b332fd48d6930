//===- SymmetricEigen.cpp - Sorted, sign-fixed eigenvectors ---------------===//

#include "SymmetricEigen.h"

#include <algorithm>

using namespace mlir::compress::decomposition;
using Eigen::Index;

SortedEigen mlir::compress::decomposition::sortedEigen(Eigen::MatrixXd g) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(g);
  // The input is no longer needed: free it before the basis is copied (a
  // 4096 x 4096 Gram matrix is 128 MB).
  g = Eigen::MatrixXd();
  Index size = solver.eigenvalues().size();
  SortedEigen result;
  // Eigen orders the eigenvalues ascending: reverse the columns.
  result.basis = solver.eigenvectors().rowwise().reverse();
  result.energies.resize(size);
  for (Index i = 0; i < size; ++i) {
    result.energies[i] = std::max(0.0, solver.eigenvalues()(size - 1 - i));
    Index largest = 0;
    result.basis.col(i).cwiseAbs().maxCoeff(&largest);
    if (result.basis(largest, i) < 0)
      result.basis.col(i) *= -1;
  }
  return result;
}
