//===- ConvFactors.h - Convolutions rebuilt from kernel factors -*- C++ -*-===//
//
// The IR side of decomposing a convolution: which convolutions qualify,
// their kernel in F x C x kh x kw order, the FLOPs of the dense layer and
// of its factors, and the rewrite into the sequence of factor
// convolutions (the numerics are in Tucker2.h and CP.h).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVFACTORS_H
#define COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVFACTORS_H

#include "CP.h"
#include "Tucker2.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <vector>

namespace mlir::compress::decomposition {

/// A linalg.conv_2d_nchw_fchw or conv_2d_nhwc_hwcf on f32 tensors with a
/// static kernel and static spatial sizes.
struct ConvLayer {
  linalg::LinalgOp op;
  bool channelsLast = false;
  KernelShape kernel;
  int64_t strides[2], dilations[2];
  /// The spatial sizes of the input (as the convolution reads it) and of
  /// the output.
  int64_t inHeight, inWidth, outHeight, outWidth;
  /// A tensor.pad of zeros around the spatial dimensions only that makes
  /// the input: the first 1x1 factor runs on its source, and the smaller
  /// result is padded (1x1 convolutions of zeros are zeros).
  std::optional<tensor::PadOp> pad;
  /// The spatial sizes where the first 1x1 factor runs.
  int64_t firstHeight, firstWidth;

  /// Multiply-adds per image of the dense convolution.
  int64_t denseFlops() const;
  /// Multiply-adds per image of the Tucker-2 factors of ranks (R1, R2).
  int64_t tucker2Flops(int64_t inRank, int64_t outRank) const;
  /// Multiply-adds per image of the CP factors of rank R.
  int64_t cpFlops(int64_t rank) const;
};

/// `op` as a ConvLayer, or nothing when it is not one.
std::optional<ConvLayer> matchConv(linalg::LinalgOp op);

/// The kernel `weight` of `layer` (in the op's layout) in F x C x kh x kw
/// order.
std::vector<float> kernelFCHW(const ConvLayer &layer,
                              llvm::ArrayRef<float> weight);

/// The three factor convolutions of a Tucker-2 decomposition in place of
/// `layer.op` (1x1 C -> R1, the kernel R1 -> R2 with the op's strides and
/// dilations, 1x1 R2 -> F into the op's init, so a bias it carries stays),
/// in the op's layout. Returns them in order; the op is erased.
SmallVector<linalg::LinalgOp, 3> rewriteTucker2(ConvLayer layer,
                                                const Tucker2Factors &factors);

/// The four factor convolutions of a CP decomposition in place of
/// `layer.op`: 1x1 C -> R, depthwise kh x 1 (the op's vertical stride and
/// dilation), depthwise 1 x kw (the horizontal ones), 1x1 R -> F into the
/// op's init, in the op's layout. Returns them in order; the op is erased.
SmallVector<linalg::LinalgOp, 4> rewriteCP(ConvLayer layer,
                                           const CPFactors &factors);

} // namespace mlir::compress::decomposition

#endif // COMPRESS_LIB_COMPRESSION_DECOMPOSITION_CONVFACTORS_H
