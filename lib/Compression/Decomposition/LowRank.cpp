//===- LowRank.cpp - Truncated SVD of a weight, plain or whitened ---------===//

#include "LowRank.h"
#include "SymmetricEigen.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

using namespace mlir::compress::decomposition;
using Eigen::MatrixXd;

namespace {
using RowMajorF =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMajorD =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

MatrixXd toMatrix(llvm::ArrayRef<float> values, int64_t rows, int64_t cols) {
  return Eigen::Map<const RowMajorF>(values.data(), rows, cols).cast<double>();
}
} // namespace

struct LowRankSpectrum::Impl {
  /// W as doubles (K x N).
  MatrixXd weight;
  /// Whether the basis is of W's columns (N x N, right singular vectors:
  /// W_r = W V V^T) or of its rows (K x K, left: W_r = U U^T W).
  bool right = true;
  /// Eigenvectors by descending eigenvalue, each with its largest entry
  /// positive (a deterministic sign).
  MatrixXd basis;
  /// Eigenvalues, descending, negatives (rounding) clamped to 0.
  std::vector<double> energies;
  double total = 0;
};

LowRankSpectrum::LowRankSpectrum(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
LowRankSpectrum::LowRankSpectrum(LowRankSpectrum &&) = default;
LowRankSpectrum &LowRankSpectrum::operator=(LowRankSpectrum &&) = default;
LowRankSpectrum::~LowRankSpectrum() = default;

LowRankSpectrum
LowRankSpectrum::compute(llvm::ArrayRef<float> weight, int64_t k, int64_t n,
                         std::optional<llvm::ArrayRef<double>> gram,
                         double damp) {
  auto impl = std::make_unique<Impl>();
  impl->weight = toMatrix(weight, k, n);
  const MatrixXd &w = impl->weight;
  MatrixXd g;
  if (gram) {
    // G = W^T (H + lambda I) W: the output side, whatever K and N.
    MatrixXd h = Eigen::Map<const RowMajorD>(gram->data(), k, k);
    double lambda = damp * h.diagonal().mean();
    h.diagonal().array() += lambda;
    g = w.transpose() * (h * w);
    impl->right = true;
  } else if (n <= k) {
    g = w.transpose() * w;
    impl->right = true;
  } else {
    g = w * w.transpose();
    impl->right = false;
  }
  SortedEigen eigen = sortedEigen(std::move(g));
  impl->basis = std::move(eigen.basis);
  impl->energies = std::move(eigen.energies);
  for (double e : impl->energies)
    impl->total += e;
  return LowRankSpectrum(std::move(impl));
}

int64_t LowRankSpectrum::maxRank() const {
  return std::min<int64_t>(impl->weight.rows(), impl->weight.cols());
}

double LowRankSpectrum::relativeError(int64_t rank) const {
  if (impl->total <= 0)
    return 0;
  double tail = 0;
  for (size_t i = std::max<int64_t>(rank, 0); i < impl->energies.size(); ++i)
    tail += impl->energies[i];
  return std::sqrt(std::max(0.0, tail / impl->total));
}

int64_t LowRankSpectrum::rankFor(double tolerance) const {
  for (int64_t rank = 1; rank < maxRank(); ++rank)
    if (relativeError(rank) <= tolerance)
      return rank;
  return maxRank();
}

LowRankSpectrum::Factors LowRankSpectrum::factors(int64_t rank) const {
  const MatrixXd &w = impl->weight;
  MatrixXd basis = impl->basis.leftCols(rank);
  MatrixXd a, b;
  if (impl->right) {
    a = w * basis;         // K x r
    b = basis.transpose(); // r x N
  } else {
    a = basis;                 // K x r
    b = basis.transpose() * w; // r x N
  }
  Factors factors;
  RowMajorF af = a.cast<float>(), bf = b.cast<float>();
  factors.a.assign(af.data(), af.data() + af.size());
  factors.b.assign(bf.data(), bf.data() + bf.size());
  return factors;
}

/// Columns of W - A B per block of the error computations: the residual
/// is never formed whole (a 4096 x 4096 one would be 128 MB on top of the
/// weight and its basis).
constexpr int64_t kErrorColumns = 256;

/// Calls `fn(w, e)` for each block of columns [c, c + width) of W and of E
/// = W - A B, as K x width doubles.
static void forEachResidualBlock(
    llvm::ArrayRef<float> weight, int64_t k, int64_t n,
    const LowRankSpectrum::Factors &factors, int64_t rank,
    llvm::function_ref<void(const MatrixXd &, const MatrixXd &)> fn) {
  Eigen::Map<const RowMajorF> w(weight.data(), k, n);
  Eigen::Map<const RowMajorF> a(factors.a.data(), k, rank);
  Eigen::Map<const RowMajorF> b(factors.b.data(), rank, n);
  MatrixXd aDouble = a.cast<double>();
  for (int64_t c = 0; c < n; c += kErrorColumns) {
    int64_t width = std::min(kErrorColumns, n - c);
    MatrixXd block = w.middleCols(c, width).cast<double>();
    MatrixXd error = block - aDouble * b.middleCols(c, width).cast<double>();
    fn(block, error);
  }
}

double mlir::compress::decomposition::relativeWeightError(
    llvm::ArrayRef<float> weight, int64_t k, int64_t n,
    const LowRankSpectrum::Factors &factors, int64_t rank) {
  double whole = 0, rest = 0;
  forEachResidualBlock(weight, k, n, factors, rank,
                       [&](const MatrixXd &w, const MatrixXd &e) {
                         whole += w.squaredNorm();
                         rest += e.squaredNorm();
                       });
  return whole > 0 ? std::sqrt(rest / whole) : 0.0;
}

OutputEnergies mlir::compress::decomposition::outputEnergies(
    llvm::ArrayRef<float> weight, int64_t k, int64_t n,
    const LowRankSpectrum::Factors &factors, int64_t rank,
    llvm::ArrayRef<double> gram) {
  Eigen::Map<const RowMajorD> h(gram.data(), k, k);
  // tr(E^T H E) and tr(W^T H W), a block of columns at a time.
  OutputEnergies energies;
  forEachResidualBlock(weight, k, n, factors, rank,
                       [&](const MatrixXd &w, const MatrixXd &e) {
                         energies.whole += w.cwiseProduct(h * w).sum();
                         energies.residual += e.cwiseProduct(h * e).sum();
                       });
  return energies;
}

double mlir::compress::decomposition::OutputEnergies::relative() const {
  if (whole <= 0)
    return 0;
  return std::sqrt(std::max(0.0, residual / whole));
}

double mlir::compress::decomposition::relativeOutputError(
    llvm::ArrayRef<float> weight, int64_t k, int64_t n,
    const LowRankSpectrum::Factors &factors, int64_t rank,
    llvm::ArrayRef<double> gram) {
  return outputEnergies(weight, k, n, factors, rank, gram).relative();
}
