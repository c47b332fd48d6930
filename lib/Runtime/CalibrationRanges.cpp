//===- CalibrationRanges.cpp - Range estimators from histograms -----------===//
//
// Implements the percentile and entropy (KL divergence) range estimators of
// calibration.
//
//===----------------------------------------------------------------------===//

#include "CalibrationRanges.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace mlir::compress::calibration;

/// Smoothing mass (in counts) given to empty bins of the quantized
/// distribution, as in the TensorRT/MXNet calibrators.
static constexpr double kSmoothingEps = 1e-4;

Range mlir::compress::calibration::percentileRange(
    llvm::ArrayRef<uint64_t> bins, double range, double min, double max) {
  int64_t numBins = bins.size();
  double total = 0;
  for (uint64_t bin : bins)
    total += static_cast<double>(bin);
  double width = 2 * range / static_cast<double>(numBins);

  // Compare cumulative * kTailDenominator with total * k on integers held in
  // doubles (exact below 2^53) rather than with a rounded fraction of total.
  int64_t loBin = -1, hiBin = numBins - 1;
  double cumulative = 0;
  for (int64_t b = 0; b < numBins; ++b) {
    cumulative += static_cast<double>(bins[b]);
    if (loBin < 0 && cumulative * kTailDenominator >= total)
      loBin = b;
    if (cumulative * kTailDenominator >= total * (kTailDenominator - 1)) {
      hiBin = b;
      break;
    }
  }
  if (loBin < 0)
    loBin = 0;

  double lo = -range + static_cast<double>(loBin) * width;
  double hi = -range + static_cast<double>(hiBin + 1) * width;
  return {std::clamp(lo, min, max), std::clamp(hi, min, max)};
}

std::optional<double>
mlir::compress::calibration::entropyThreshold(llvm::ArrayRef<uint64_t> bins,
                                              double range, int64_t numLevels) {
  // Fold the symmetric histogram into |x| bins over [0, R]: bin
  // numAbsBins + j covers [j w, (j + 1) w] and bin numAbsBins - 1 - j its
  // mirror image.
  int64_t numAbsBins = bins.size() / 2;
  std::vector<double> hist(numAbsBins);
  int64_t nonZeroBins = 0;
  for (int64_t j = 0; j < numAbsBins; ++j) {
    hist[j] = static_cast<double>(bins[numAbsBins + j]) +
              static_cast<double>(bins[numAbsBins - 1 - j]);
    if (hist[j] != 0)
      ++nonZeroBins;
  }
  if (nonZeroBins < 2)
    return std::nullopt;

  // suffix[j] = sum of hist[j..].
  std::vector<double> suffix(numAbsBins + 1, 0);
  for (int64_t j = numAbsBins - 1; j >= 0; --j)
    suffix[j] = suffix[j + 1] + hist[j];

  std::vector<double> p(numAbsBins), q(numAbsBins);
  double bestDivergence = std::numeric_limits<double>::infinity();
  int64_t bestBins = numAbsBins;
  for (int64_t i = numLevels; i <= numAbsBins; ++i) {
    // P: the first i bins, with the clipped outliers added to the last one.
    std::copy(hist.begin(), hist.begin() + i, p.begin());
    p[i - 1] += suffix[i];

    // Q: the first i bins (without outliers) merged into numLevels nearly
    // equal chunks, each chunk's count spread uniformly over the bins where
    // P is non-zero.
    for (int64_t level = 0; level < numLevels; ++level) {
      int64_t begin = level * i / numLevels;
      int64_t end = (level + 1) * i / numLevels;
      double sum = 0;
      int64_t nonZero = 0;
      for (int64_t j = begin; j < end; ++j) {
        sum += hist[j];
        if (p[j] != 0)
          ++nonZero;
      }
      for (int64_t j = begin; j < end; ++j)
        q[j] = p[j] != 0 ? sum / static_cast<double>(nonZero) : 0;
    }

    // Smooth Q so that bins where P > 0 but Q = 0 (possible only in the last
    // bin, which holds the outliers) have a finite divergence: move
    // kSmoothingEps counts into each empty bin from the non-empty ones. With
    // the recorder's 1024 |x| bins, a non-empty bin holds at least 1/8
    // count, more than the at most 1023 * kSmoothingEps taken from it.
    int64_t zeroBins = 0;
    double qSum = 0, pSum = 0;
    for (int64_t j = 0; j < i; ++j) {
      if (q[j] == 0)
        ++zeroBins;
      qSum += q[j];
      pSum += p[j];
    }
    if (zeroBins == i)
      continue; // All counts are outliers.
    double taken = kSmoothingEps * static_cast<double>(zeroBins) /
                   static_cast<double>(i - zeroBins);
    for (int64_t j = 0; j < i; ++j)
      q[j] += q[j] == 0 ? kSmoothingEps : -taken;

    // KL(P || Q) of the normalized distributions over the bins where P > 0.
    double divergence = 0;
    for (int64_t j = 0; j < i; ++j) {
      if (p[j] == 0)
        continue;
      double pj = p[j] / pSum;
      double qj = q[j] / qSum;
      divergence += pj * std::log(pj / qj);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      bestBins = i;
    }
  }
  return static_cast<double>(bestBins) *
         (range / static_cast<double>(numAbsBins));
}
