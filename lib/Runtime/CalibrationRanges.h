//===- CalibrationRanges.h - Range estimators from histograms ---*- C++ -*-===//
//
// The calibration range estimators: percentile clipping and TensorRT-style
// entropy (minimal KL divergence) clipping, both computed from the symmetric
// histogram the recorder keeps. Private to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_RUNTIME_CALIBRATIONRANGES_H
#define COMPRESS_LIB_RUNTIME_CALIBRATIONRANGES_H

#include "compress/Compression/Calibration/CalibrationStore.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace mlir::compress::calibration {

/// The percentile range keeps all but 1 / kTailDenominator of the values on
/// each side.
constexpr double kTailDenominator = 10000;
/// Quantization levels of the non-negative half of a symmetric 8-bit range,
/// and of a one-sided (non-negative) 8-bit range.
constexpr int64_t kSymmetricLevels = 128;
constexpr int64_t kOneSidedLevels = 256;

/// The range between the lower edge of the bin where the cumulative count of
/// `bins` (over [-range, range]) reaches the lower tail and the upper edge of
/// the bin where it reaches all but the upper tail, clamped into [min, max].
Range percentileRange(llvm::ArrayRef<uint64_t> bins, double range, double min,
                      double max);

/// The clipping threshold on |x| whose `numLevels`-level quantization of the
/// clipped |x| distribution loses the least information (minimal KL
/// divergence), for an even number of `bins` over [-range, range]. Nothing
/// when the histogram has fewer than two non-empty |x| bins.
std::optional<double> entropyThreshold(llvm::ArrayRef<uint64_t> bins,
                                       double range, int64_t numLevels);

} // namespace mlir::compress::calibration

#endif // COMPRESS_LIB_RUNTIME_CALIBRATIONRANGES_H
