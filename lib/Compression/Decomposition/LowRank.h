//===- LowRank.h - Truncated SVD of a weight, plain or whitened -*- C++ -*-===//
//
// The numerics of compress-cp-decompose method=svd on one K x N weight W
// (a matmul's: y = x W): the rank-r factors A (K x r) and B (r x N) with
// W ~ A B that minimize
//  - ||W - A B||_F (plain), or
//  - ||X (W - A B)||_F over the calibration inputs X, given H = X^T X
//    (whitened; dampened by lambda = damp x the mean of diag(H)).
// Both are a projection of W's columns onto the r leading eigenvectors
// V_r of an N x N matrix: G = W^T W, or G = W^T H W, so that A B = W V_r
// V_r^T (A = W V_r, B = V_r^T); the eigenvalues of G are the squared
// singular values of W (of C^T W with H = C C^T), whose tails give the
// relative error of every rank without forming it. No inverse of H is
// needed, so a singular H is fine. Pure computation with Eigen; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_LOWRANK_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_LOWRANK_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace mlir::compress::decomposition {

/// The eigen-decomposition of G (the spectrum of W, plain or whitened),
/// from which the factors of any rank follow.
class LowRankSpectrum {
public:
  /// Decomposes the K x N row-major `weight`; with `gram` (K x K,
  /// row-major) the whitened problem, with H dampened by `damp`.
  static LowRankSpectrum compute(llvm::ArrayRef<float> weight, int64_t k,
                                 int64_t n,
                                 std::optional<llvm::ArrayRef<double>> gram,
                                 double damp);

  LowRankSpectrum(LowRankSpectrum &&);
  LowRankSpectrum &operator=(LowRankSpectrum &&);
  ~LowRankSpectrum();

  /// The largest rank: min(K, N).
  int64_t maxRank() const;
  /// The relative error of rank r: sqrt(sum of the energies past r / all
  /// of them): ||W - W_r|| / ||W|| (plain), ||X (W - W_r)|| / ||X W||
  /// (whitened, with the dampened H). 0 for an all-zero weight.
  double relativeError(int64_t rank) const;
  /// The smallest rank whose relativeError is at most `tolerance`.
  int64_t rankFor(double tolerance) const;

  /// The rank-r factors: A (K x r) and B (r x N), row-major f32.
  struct Factors {
    std::vector<float> a, b;
  };
  Factors factors(int64_t rank) const;

private:
  struct Impl;
  explicit LowRankSpectrum(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

/// ||W - A B||_F / ||W||_F for K x N `weight` and the factors of rank r.
double relativeWeightError(llvm::ArrayRef<float> weight, int64_t k, int64_t n,
                           const LowRankSpectrum::Factors &factors,
                           int64_t rank);

/// ||X (W - A B)||_F / ||X W||_F with H = X^T X (K x K `gram`, not
/// dampened); 0 when X W is 0.
double relativeOutputError(llvm::ArrayRef<float> weight, int64_t k, int64_t n,
                           const LowRankSpectrum::Factors &factors,
                           int64_t rank, llvm::ArrayRef<double> gram);

/// ||X (W - A B)||_F^2 and ||X W||_F^2 with H = X^T X.
struct OutputEnergies {
  double residual = 0, whole = 0;
  /// sqrt(residual / whole); 0 when whole is 0.
  double relative() const;
};
OutputEnergies outputEnergies(llvm::ArrayRef<float> weight, int64_t k,
                              int64_t n,
                              const LowRankSpectrum::Factors &factors,
                              int64_t rank, llvm::ArrayRef<double> gram);

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_LOWRANK_H
