//===- ConvWhitening.h - Data-aware refits of convolution factors -*- C++ -*-=//
//
// With the calibration Gram matrix H = X^T X of a convolution's im2col
// patches (C kh kw square, in (c, kh, kw) order), the output error of an
// approximate kernel W_hat is ||X (W - W_hat)^T|| over the patches X: the
// H-weighted norm of W - W_hat unfolded as F x (C kh kw). Given the
// input-side factors of a CP or Tucker-2 decomposition, the output-side
// factor that minimizes that error has a closed form (with H dampened by
// damp x the mean of its diagonal):
//  - CP: the last factor A = W H K (K^T H K)^-1 for the Khatri-Rao
//    product K of the other three;
//  - Tucker-2: with P = V (x) I (the first 1x1 factor extended over the
//    taps), M = W H P (P^T H P)^-1, then the core and the last factor as
//    the best rank-R2 approximation of M in the P^T H P norm (U: the
//    leading eigenvectors of M P^T H P M^T, core U^T M).
// The weight error grows, the output error falls.
//
// The input side is chosen with the data too: the channel Gram matrix H_c
// (the sum of H's blocks over the taps, shrunk toward the identity) = L L^T
// whitens the
// kernel along its input channels, W'[f, :, s] = W[f, :, s] L, so that the
// weight error of W' is the output error when every tap's channels have
// covariance H_c. The factorization of W' gives an input-side factor V'
// (R x C) of the whitened channels, V = V' L^-1 of the real ones (the SVD
// of W C mapped back by C^-1, per mode). Pure computation with Eigen; no
// IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVWHITENING_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVWHITENING_H

#include "CP.h"
#include "Tucker2.h"

namespace mlir::compress::decomposition {

/// The whitening of a convolution's input channels for its im2col Gram
/// matrix.
class ChannelWhitening {
public:
  /// H_c = the sum over the taps s of H[(c, s), (c', s)], scaled to a
  /// mean diagonal of 1, plus the identity (a whitening halfway to none,
  /// ConvWhitening.cpp), = L L^T; L = I when H_c is zero.
  static ChannelWhitening compute(llvm::ArrayRef<double> gram,
                                  KernelShape shape);

  /// W' (F x C x kh x kw): every W[f, :, s] times L.
  std::vector<float> whiten(llvm::ArrayRef<float> kernel) const;

  /// V' L^-1 for an input-side factor V' (R x C, row-major) of W'.
  void unwhitenInput(std::vector<float> &input) const;

private:
  ChannelWhitening(KernelShape shape, std::vector<double> lower)
      : shape(shape), lower(std::move(lower)) {}
  KernelShape shape;
  /// L, C x C row-major, lower triangular.
  std::vector<double> lower;
};

/// Refits `factors.output` for the im2col Gram matrix `gram`; updates the
/// relative weight error.
void refitCP(CPFactors &factors, llvm::ArrayRef<float> kernel,
             KernelShape shape, llvm::ArrayRef<double> gram, double damp);

/// Refits `factors.core` and `factors.output`; updates the relative weight
/// error.
void refitTucker2(Tucker2Factors &factors, llvm::ArrayRef<float> kernel,
                  KernelShape shape, llvm::ArrayRef<double> gram, double damp);

/// ||X (W - W_hat)^T|| / ||X W^T|| with H = X^T X (`gram`, not dampened);
/// `approximation` is W_hat in the kernel's F x C x kh x kw order. 0 when
/// X W^T is 0.
double relativeOutputError(llvm::ArrayRef<float> kernel,
                           llvm::ArrayRef<float> approximation,
                           KernelShape shape, llvm::ArrayRef<double> gram);

/// The kernels (F x C x kh x kw) the factors compute.
std::vector<float> rebuildKernel(const CPFactors &factors, KernelShape shape);
std::vector<float> rebuildKernel(const Tucker2Factors &factors,
                                 KernelShape shape);

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVWHITENING_H
