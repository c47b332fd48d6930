//===- CP.cpp - CP factors of a convolution kernel ------------------------===//
//
// The kernel is held as its output-mode unfolding X0 (F x C kh kw, the
// row-major order). One sweep:
//  - A = X0 (B (.) H (.) W) V_A^-1, with (.) the Khatri-Rao product and
//    V_A the Hadamard product of B^T B, H^T H and W^T W (one matrix
//    product);
//  - Y = A^T X0 (R x C kh kw, one matrix product), from which the MTTKRP
//    of the other three modes are sums over Y's entries;
//  - B, H and then W solved the same way; A, B and H are normalized, W
//    carries the component weights.
// The error of a sweep, ||X||^2 - 2 <X, X_hat> + ||X_hat||^2, comes from
// the last MTTKRP and the Gram matrices; the final error is measured on
// the rebuilt kernel.
//
//===----------------------------------------------------------------------===//

#include "CP.h"
#include "SymmetricEigen.h"

#include <algorithm>
#include <cmath>

using namespace mlir::compress::decomposition;
using Eigen::MatrixXd;

namespace {
/// Shapes and the unfolding of the kernel.
struct Problem {
  KernelShape shape;
  int64_t rank;
  /// X0: F x (C kh kw).
  MatrixXd unfolded;
  double norm2 = 0;

  int64_t taps() const { return shape.taps(); }
  /// The column of X0 of (c, i, j).
  int64_t column(int64_t c, int64_t i, int64_t j) const {
    return (c * shape.height + i) * shape.width + j;
  }
};
} // namespace

/// The starting factor of a mode from its Gram matrix: the leading
/// eigenvectors, then, past the mode's size, the fixed pattern sin(1 + i +
/// 0.7 r) (normalized).
static MatrixXd startFactor(const MatrixXd &gram, int64_t rank) {
  int64_t size = gram.rows();
  SortedEigen eigen = sortedEigen(gram);
  MatrixXd factor(size, rank);
  for (int64_t r = 0; r < rank; ++r) {
    if (r < size) {
      factor.col(r) = eigen.basis.col(r);
      continue;
    }
    for (int64_t i = 0; i < size; ++i)
      factor(i, r) = std::sin(1.0 + static_cast<double>(i) + 0.7 * r);
    factor.col(r).normalize();
  }
  return factor;
}

/// Solves factor = mttkrp V^-1 for the symmetric positive semi-definite V
/// (with a ridge of 1e-12 of its largest diagonal entry).
static MatrixXd solve(const MatrixXd &mttkrp, MatrixXd v) {
  double ridge = 1e-12 * std::max(v.diagonal().maxCoeff(), 1e-300);
  v.diagonal().array() += ridge;
  return v.ldlt().solve(mttkrp.transpose()).transpose();
}

/// Normalizes the columns of `factor` (a zero column stays).
static void normalizeColumns(MatrixXd &factor) {
  for (int64_t r = 0; r < factor.cols(); ++r) {
    double norm = factor.col(r).norm();
    if (norm > 0)
      factor.col(r) /= norm;
  }
}

CPFactors
mlir::compress::decomposition::decomposeCP(llvm::ArrayRef<float> kernel,
                                           KernelShape shape, int64_t rank,
                                           int64_t maxIterations) {
  Problem p{shape, rank,
            MatrixXd(shape.filters, shape.channels * shape.taps())};
  int64_t f = shape.filters, c = shape.channels, kh = shape.height,
          kw = shape.width, taps = shape.taps();
  for (int64_t row = 0; row < f; ++row)
    for (int64_t col = 0; col < c * taps; ++col)
      p.unfolded(row, col) = kernel[row * c * taps + col];
  p.norm2 = p.unfolded.squaredNorm();
  const MatrixXd &x0 = p.unfolded;

  // The HOSVD start of B, H and W (A is solved first, from them): the Gram
  // matrices of their unfoldings.
  // The input-channel unfolding (C x F kh kw) for its Gram matrix; the
  // spatial modes are small enough for plain sums.
  MatrixXd x1(c, f * taps);
  for (int64_t i = 0; i < f; ++i)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t s = 0; s < taps; ++s)
        x1(ci, i * taps + s) = x0(i, ci * taps + s);
  MatrixXd gramC = x1 * x1.transpose();
  x1.resize(0, 0);
  MatrixXd gramH = MatrixXd::Zero(kh, kh), gramW = MatrixXd::Zero(kw, kw);
  for (int64_t i = 0; i < f; ++i)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          double value = x0(i, p.column(ci, y, x));
          for (int64_t y2 = 0; y2 < kh; ++y2)
            gramH(y, y2) += value * x0(i, p.column(ci, y2, x));
          for (int64_t x2 = 0; x2 < kw; ++x2)
            gramW(x, x2) += value * x0(i, p.column(ci, y, x2));
        }
  MatrixXd a(f, rank), b = startFactor(gramC, rank),
                       h = startFactor(gramH, rank),
                       w = startFactor(gramW, rank);

  CPFactors result;
  result.rank = rank;
  double error = 1;
  MatrixXd khatriRao(c * taps, rank), y(rank, c * taps);
  MatrixXd mttkrp;
  for (int64_t sweep = 0; sweep < maxIterations; ++sweep) {
    // A from X0 (B (.) H (.) W).
    for (int64_t r = 0; r < rank; ++r)
      for (int64_t ci = 0; ci < c; ++ci)
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j)
            khatriRao(p.column(ci, i, j), r) = b(ci, r) * h(i, r) * w(j, r);
    MatrixXd gramB = b.transpose() * b, gramHh = h.transpose() * h,
             gramWw = w.transpose() * w;
    a = solve(x0 * khatriRao, gramB.cwiseProduct(gramHh).cwiseProduct(gramWw));
    normalizeColumns(a);
    y.noalias() = a.transpose() * x0;
    MatrixXd gramA = a.transpose() * a;
    // B, H, W from Y: each MTTKRP sums Y over the other two of (c, i, j)
    // times their factors.
    auto mttkrpOf = [&](int mode) {
      MatrixXd m = MatrixXd::Zero(mode == 0 ? c : mode == 1 ? kh : kw, rank);
      for (int64_t r = 0; r < rank; ++r)
        for (int64_t ci = 0; ci < c; ++ci)
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              double value = y(r, p.column(ci, i, j));
              if (mode == 0)
                m(ci, r) += value * h(i, r) * w(j, r);
              else if (mode == 1)
                m(i, r) += value * b(ci, r) * w(j, r);
              else
                m(j, r) += value * b(ci, r) * h(i, r);
            }
      return m;
    };
    b = solve(mttkrpOf(0), gramA.cwiseProduct(gramHh).cwiseProduct(gramWw));
    normalizeColumns(b);
    gramB = b.transpose() * b;
    h = solve(mttkrpOf(1), gramA.cwiseProduct(gramB).cwiseProduct(gramWw));
    normalizeColumns(h);
    gramHh = h.transpose() * h;
    mttkrp = mttkrpOf(2);
    w = solve(mttkrp, gramA.cwiseProduct(gramB).cwiseProduct(gramHh));
    gramWw = w.transpose() * w;
    result.iterations = sweep + 1;
    if (p.norm2 <= 0)
      break;
    double inner = mttkrp.cwiseProduct(w).sum();
    double model = gramA.cwiseProduct(gramB)
                       .cwiseProduct(gramHh)
                       .cwiseProduct(gramWw)
                       .sum();
    double next =
        std::sqrt(std::max(0.0, p.norm2 - 2 * inner + model) / p.norm2);
    bool converged = std::abs(error - next) < 1e-7;
    error = next;
    if (converged)
      break;
  }

  // W's column norms (the component weights) move to the last factor.
  Eigen::VectorXd weights(rank);
  for (int64_t r = 0; r < rank; ++r) {
    weights(r) = w.col(r).norm();
    if (weights(r) > 0)
      w.col(r) /= weights(r);
  }
  MatrixXd out = a * weights.asDiagonal();
  for (int64_t r = 0; r < rank; ++r)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          khatriRao(p.column(ci, i, j), r) = b(ci, r) * h(i, r) * w(j, r);
  double residual = (x0 - out * khatriRao.transpose()).squaredNorm();
  result.relativeError = p.norm2 > 0 ? std::sqrt(residual / p.norm2) : 0.0;

  auto store = [](const MatrixXd &m, bool transposed) {
    std::vector<float> values;
    int64_t rows = transposed ? m.cols() : m.rows();
    int64_t cols = transposed ? m.rows() : m.cols();
    values.reserve(rows * cols);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        values.push_back(static_cast<float>(transposed ? m(j, i) : m(i, j)));
    return values;
  };
  result.input = store(b, /*transposed=*/true);
  result.vertical = store(h, /*transposed=*/true);
  result.horizontal = store(w, /*transposed=*/true);
  result.output = store(out, /*transposed=*/false);
  return result;
}
