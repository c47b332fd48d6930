//===- Tucker2.cpp - Tucker-2 factors of a convolution kernel -------------===//
//
// The kernel is held as kh x kw slices W_s (F x C), so that every product
// below is a sum of kh x kw matrix products:
//  - the output-mode Gram matrix sum_s W_s W_s^T (F x F), the input-mode
//    one sum_s W_s^T W_s (C x C);
//  - with V fixed, U moves toward the leading eigenvectors of sum_s (W_s
//    V)(W_s V)^T, and with U fixed, V toward those of sum_s (U^T W_s)^T
//    (U^T W_s) (a step of orthogonal iteration each);
//  - the core G_s = U^T W_s V, and ||W - W_hat||^2 = ||W||^2 - ||G||^2
//    (orthonormal U and V).
//
//===----------------------------------------------------------------------===//

#include "Tucker2.h"
#include "SymmetricEigen.h"

#include <algorithm>
#include <cmath>

using namespace mlir::compress::decomposition;
using Eigen::MatrixXd;

struct Tucker2Decomposition::Impl {
  KernelShape shape;
  /// W_s for each tap s (F x C).
  std::vector<MatrixXd> slices;
  SortedEigen outputMode, inputMode;
  /// The modes' energies past each rank.
  std::vector<double> outputTails, inputTails;
  double total = 0;
};

Tucker2Decomposition::Tucker2Decomposition(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
Tucker2Decomposition::Tucker2Decomposition(Tucker2Decomposition &&) = default;
Tucker2Decomposition &
Tucker2Decomposition::operator=(Tucker2Decomposition &&) = default;
Tucker2Decomposition::~Tucker2Decomposition() = default;

/// The energies of `spectrum` past each rank: tails[r] = sum_{i >= r}.
static std::vector<double> tails(const SortedEigen &spectrum) {
  std::vector<double> result(spectrum.energies.size() + 1, 0.0);
  for (size_t i = spectrum.energies.size(); i-- > 0;)
    result[i] = result[i + 1] + spectrum.energies[i];
  return result;
}

Tucker2Decomposition Tucker2Decomposition::compute(llvm::ArrayRef<float> kernel,
                                                   KernelShape shape) {
  auto impl = std::make_unique<Impl>();
  impl->shape = shape;
  int64_t taps = shape.taps();
  impl->slices.assign(taps, MatrixXd(shape.filters, shape.channels));
  for (int64_t f = 0; f < shape.filters; ++f)
    for (int64_t c = 0; c < shape.channels; ++c)
      for (int64_t s = 0; s < taps; ++s)
        impl->slices[s](f, c) = kernel[(f * shape.channels + c) * taps + s];
  MatrixXd outputGram = MatrixXd::Zero(shape.filters, shape.filters);
  MatrixXd inputGram = MatrixXd::Zero(shape.channels, shape.channels);
  for (const MatrixXd &slice : impl->slices) {
    outputGram.noalias() += slice * slice.transpose();
    inputGram.noalias() += slice.transpose() * slice;
  }
  impl->total = outputGram.trace();
  impl->outputMode = sortedEigen(std::move(outputGram));
  impl->inputMode = sortedEigen(std::move(inputGram));
  impl->outputTails = tails(impl->outputMode);
  impl->inputTails = tails(impl->inputMode);
  return Tucker2Decomposition(std::move(impl));
}

double Tucker2Decomposition::errorBound(int64_t inRank, int64_t outRank) const {
  if (impl->total <= 0)
    return 0;
  auto at = [](const std::vector<double> &tail, int64_t rank) {
    return tail[std::clamp<int64_t>(rank, 0, tail.size() - 1)];
  };
  double rest = at(impl->outputTails, outRank) + at(impl->inputTails, inRank);
  return std::sqrt(std::clamp(rest / impl->total, 0.0, 1.0));
}

/// An orthonormal basis of the columns of `m` (thin Householder QR).
template <typename Matrix> static Matrix orthonormalized(const Matrix &m) {
  Eigen::HouseholderQR<Matrix> qr(m);
  return qr.householderQ() * Matrix::Identity(m.rows(), m.cols());
}

Tucker2Factors Tucker2Decomposition::factors(int64_t inRank, int64_t outRank,
                                             int64_t maxIterations) const {
  const KernelShape &shape = impl->shape;
  const std::vector<MatrixXd> &slices = impl->slices;
  MatrixXd u = impl->outputMode.basis.leftCols(outRank);
  MatrixXd v = impl->inputMode.basis.leftCols(inRank);
  double fit = 0;
  for (const MatrixXd &slice : slices)
    fit += (u.transpose() * slice * v).squaredNorm();
  Tucker2Factors result;
  for (int64_t sweep = 0; sweep < maxIterations; ++sweep) {
    // One step of orthogonal iteration on each mode's Gram matrix with the
    // other mode projected out, sum_s (W_s V)(W_s V)^T U and then sum_s
    // (U^T W_s)^T (U^T W_s) V, without forming either.
    MatrixXd nextU = MatrixXd::Zero(shape.filters, outRank);
    for (const MatrixXd &slice : slices) {
      MatrixXd projected = slice * v;
      nextU.noalias() += projected * (projected.transpose() * u);
    }
    nextU = orthonormalized(nextU);
    MatrixXd nextV = MatrixXd::Zero(shape.channels, inRank);
    std::vector<MatrixXd> reduced; // U^T W_s, R2 x C
    reduced.reserve(slices.size());
    for (const MatrixXd &slice : slices) {
      reduced.push_back(nextU.transpose() * slice);
      nextV.noalias() += reduced.back().transpose() * (reduced.back() * v);
    }
    nextV = orthonormalized(nextV);
    double nextFit = 0;
    for (const MatrixXd &slice : reduced)
      nextFit += (slice * nextV).squaredNorm();
    result.iterations = sweep + 1;
    // A sweep that loses fit (rounding) keeps the earlier bases.
    if (nextFit < fit)
      break;
    std::swap(u, nextU);
    std::swap(v, nextV);
    bool converged = nextFit - fit <= 1e-7 * impl->total;
    fit = nextFit;
    if (converged)
      break;
  }

  const MatrixXd &uFinal = u, &vFinal = v;
  result.inRank = inRank;
  result.outRank = outRank;
  int64_t taps = shape.taps();
  result.input.resize(inRank * shape.channels);
  for (int64_t r = 0; r < inRank; ++r)
    for (int64_t c = 0; c < shape.channels; ++c)
      result.input[r * shape.channels + c] = static_cast<float>(vFinal(c, r));
  result.output.resize(shape.filters * outRank);
  for (int64_t f = 0; f < shape.filters; ++f)
    for (int64_t r = 0; r < outRank; ++r)
      result.output[f * outRank + r] = static_cast<float>(uFinal(f, r));
  result.core.resize(outRank * inRank * taps);
  double residual = 0;
  for (int64_t s = 0; s < taps; ++s) {
    const MatrixXd &slice = impl->slices[s];
    MatrixXd core = uFinal.transpose() * slice * vFinal;
    for (int64_t o = 0; o < outRank; ++o)
      for (int64_t i = 0; i < inRank; ++i)
        result.core[(o * inRank + i) * taps + s] =
            static_cast<float>(core(o, i));
    residual += (slice - uFinal * core * vFinal.transpose()).squaredNorm();
  }
  result.relativeError =
      impl->total > 0 ? std::sqrt(residual / impl->total) : 0.0;
  return result;
}
