//===- CP.h - CP factors of a convolution kernel ----------------*- C++ -*-===//
//
// The numerics of compress-cp-decompose method=cp on one convolution
// kernel W (F x C x kh x kw): W ~ sum_r a_r o b_r o h_r o w_r, so that the
// convolution becomes a 1x1 convolution C -> R (b), a depthwise kh x 1
// convolution (h), a depthwise 1 x kw convolution (w) and a 1x1
// convolution R -> F (a) (Lebedev et al. 2015). Computed by alternating
// least squares (CP-ALS, Kolda and Bader 2009) from an HOSVD start: the
// first columns of b, h and w are the leading left singular vectors of
// their unfoldings (a is solved first); columns beyond a mode's size start
// from a fixed, seed-free pattern, so the result is deterministic. Each sweep
// solves every factor in turn from the MTTKRP (two matrix products per sweep
// through Eigen) and the Hadamard product of the others' Gram matrices. Pure
// computation; no IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CP_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CP_H

#include "Tucker2.h"

#include <cstdint>
#include <vector>

namespace mlir::compress::decomposition {

/// The CP factors of one kernel, each row-major with the rank last but
/// `output`: the weights as the factor convolutions take them.
struct CPFactors {
  int64_t rank = 0;
  /// R x C: the first 1x1 convolution.
  std::vector<float> input;
  /// R x kh: the vertical depthwise kernel.
  std::vector<float> vertical;
  /// R x kw: the horizontal depthwise kernel.
  std::vector<float> horizontal;
  /// F x R: the last 1x1 convolution (the component weights folded in).
  std::vector<float> output;
  /// ||W - W_hat|| / ||W|| (0 for an all-zero kernel).
  double relativeError = 0;
  /// ALS sweeps run.
  int64_t iterations = 0;
};

/// CP-ALS of `kernel` (F x C x kh x kw, row-major) at `rank`: sweeps until
/// the relative error changes by less than 1e-7 or after `maxIterations`.
CPFactors decomposeCP(llvm::ArrayRef<float> kernel, KernelShape shape,
                      int64_t rank, int64_t maxIterations);

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CP_H
