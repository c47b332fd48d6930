//===- Tucker2.h - Tucker-2 factors of a convolution kernel -----*- C++ -*-===//
//
// The numerics of compress-cp-decompose method=tucker2 on one convolution
// kernel W (F output x C input channels x kh x kw): W ~ G x_0 U x_1 V with
// U (F x R2) and V (C x R1) orthonormal and the core G (R2 x R1 x kh x kw),
// so that the convolution becomes a 1x1 convolution C -> R1 (V^T), the kh x
// kw convolution R1 -> R2 (G) and a 1x1 convolution R2 -> F (U) (Kim et al.
// 2016). Started from the truncated HOSVD (U, V: the leading eigenvectors
// of the output- and input-channel unfoldings' Gram matrices) and refined
// by higher-order orthogonal iteration (HOOI, De Lathauwer et al. 2000),
// each sweep one step of orthogonal iteration per mode (a thin product and
// a QR, no eigen-decomposition: 0.17 s a sweep for 512x512x3x3 at ranks
// 128).
// A sweep that would increase the error ends the refinement. Pure
// computation with Eigen; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_TUCKER2_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_TUCKER2_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace mlir::compress::decomposition {

/// The sizes of a kernel in F x C x kh x kw order.
struct KernelShape {
  int64_t filters, channels, height, width;
  int64_t taps() const { return height * width; }
  int64_t size() const { return filters * channels * taps(); }
};

/// The Tucker-2 factors of one kernel.
struct Tucker2Factors {
  int64_t inRank = 0, outRank = 0;
  /// V^T: R1 x C (the first 1x1 convolution's weight), row-major.
  std::vector<float> input;
  /// G: R2 x R1 x kh x kw, row-major.
  std::vector<float> core;
  /// U: F x R2 (the last 1x1 convolution's weight), row-major.
  std::vector<float> output;
  /// ||W - G x_0 U x_1 V|| / ||W|| (0 for an all-zero kernel).
  double relativeError = 0;
  /// HOOI sweeps run, the last one counted even when it was rejected (0
  /// with max-iterations=0: the truncated HOSVD).
  int64_t iterations = 0;
};

/// The mode spectra of a kernel, from which every rank pair's HOSVD error
/// bound and its refined factors follow.
class Tucker2Decomposition {
public:
  /// `kernel`: F x C x kh x kw, row-major.
  static Tucker2Decomposition compute(llvm::ArrayRef<float> kernel,
                                      KernelShape shape);

  Tucker2Decomposition(Tucker2Decomposition &&);
  Tucker2Decomposition &operator=(Tucker2Decomposition &&);
  ~Tucker2Decomposition();

  /// The truncated HOSVD's bound on the relative error of ranks (R1, R2):
  /// sqrt((the output-mode energy past R2 + the input-mode energy past
  /// R1) / ||W||^2). The refined factors' error is at most this.
  double errorBound(int64_t inRank, int64_t outRank) const;

  /// The factors of ranks R1 <= C, R2 <= F: the HOSVD refined by HOOI
  /// until a sweep improves the fit by less than 1e-7 of ||W||^2 or after
  /// `maxIterations` sweeps. Deterministic (the HOSVD start's basis
  /// vectors have their largest entry positive; the sweeps are fixed
  /// sequences of products and Householder QRs).
  Tucker2Factors factors(int64_t inRank, int64_t outRank,
                         int64_t maxIterations) const;

private:
  struct Impl;
  explicit Tucker2Decomposition(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_TUCKER2_H
