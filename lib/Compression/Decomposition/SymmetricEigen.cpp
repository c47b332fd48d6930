//===- SymmetricEigen.cpp - Sorted, sign-fixed eigenvectors ---------------===//

#include "SymmetricEigen.h"

#include <algorithm>

using namespace mlir::compress::decomposition;
using Eigen::Index;

SortedEigen
mlir::compress::decomposition::sortedEigen(const Eigen::MatrixXd &g) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(g);
  Index size = g.rows();
  SortedEigen result;
  result.basis.resize(size, size);
  result.energies.resize(size);
  // Eigen orders the eigenvalues ascending.
  for (Index i = 0; i < size; ++i) {
    Index from = size - 1 - i;
    result.energies[i] = std::max(0.0, solver.eigenvalues()(from));
    Eigen::VectorXd v = solver.eigenvectors().col(from);
    Index largest = 0;
    v.cwiseAbs().maxCoeff(&largest);
    if (v(largest) < 0)
      v = -v;
    result.basis.col(i) = v;
  }
  return result;
}
