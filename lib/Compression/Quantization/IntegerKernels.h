//===- IntegerKernels.h - Integer kernels of quantized ops ------*- C++ -*-===//
//
// Private to compress-quantize: the IR of an op whose weight and activation
// are both quantized (mode=static|dynamic), built from the activation codes
// and the weight codes the pass chose.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_QUANTIZATION_INTEGERKERNELS_H
#define COMPRESS_LIB_COMPRESSION_QUANTIZATION_INTEGERKERNELS_H

#include "compress/Compression/Compressible.h"
#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::compress {

/// The quantized activation of an op: its i8 codes, and its scale and zero
/// point, either as 0-d tensors computed at run time (`dynamic`) or as
/// compile-time values.
struct ActivationCodes {
  Value codes;
  bool dynamic = false;
  Value scale, zeroPoint; // tensor<f32>, tensor<i32> (dynamic)
  double staticScale = 1.0;
  int64_t staticZeroPoint = 0;
};

/// The map from an output of rank `outRank` to its channel: the weight's
/// parallel dims (extents from `weightShape`) linearized in row-major order.
AffineMap outputChannelMap(MLIRContext *context, const WeightLayout &layout,
                           ArrayRef<int64_t> weightShape, int64_t outRank);

/// The single reduction loop of `op` (a matmul-like op) if it has exactly
/// one and both the activation (input 0) and the weight (input 1) are
/// indexed by it.
std::optional<unsigned> findSingleReduction(linalg::LinalgOp op);

/// Replaces `op` (a matmul-like op with one reduction loop, see
/// findSingleReduction) by the integer kernel of a per-group weight: the
/// reduction is split into (group, element of the group), the kernel
/// accumulates `f32(x_code * w_code) * w_scale[group, channel]` over both
/// (an integer dot product per group, scaled once per group by kernels
/// that see the structure), and an epilogue computes
/// `init + (sum - zp_x * c[channel]) * s_x` with the compile-time constant
/// c = sum over the reduction of w_scale * w_code. Returns the epilogue's
/// result.
Value buildGroupedIntegerKernel(OpBuilder &b, linalg::LinalgOp op,
                                unsigned reduction, QuantSpecAttr spec,
                                DenseElementsAttr codes,
                                const WeightLayout &layout,
                                const ActivationCodes &activation);

} // namespace mlir::compress

#endif // COMPRESS_LIB_COMPRESSION_QUANTIZATION_INTEGERKERNELS_H
