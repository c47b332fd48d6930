//===- Calibration.cpp - Streaming calibration statistics -----------------===//
//
// Implements the calibration recorder: streaming range statistics with an
// exactly mergeable histogram, Gram matrices, the percentile and entropy (KL
// divergence) range estimators, and the JSON writer.
//
//===----------------------------------------------------------------------===//

#include "Calibration.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

using namespace compress::calibration;

Recorder *compress::calibration::activeRecorder = nullptr;

namespace {
constexpr int64_t kNumBins = Recorder::kNumBins;
/// Bins of the folded |x| histogram used by the entropy estimator.
constexpr int64_t kNumAbsBins = kNumBins / 2;
/// Quantization levels of the non-negative half of a symmetric 8-bit range,
/// and of a one-sided (non-negative) 8-bit range.
constexpr int64_t kSymmetricLevels = 128;
constexpr int64_t kOneSidedLevels = 256;
/// Smoothing mass (in counts) given to empty bins of the quantized
/// distribution, as in the TensorRT/MXNet calibrators.
constexpr double kSmoothingEps = 1e-4;
/// The percentile range keeps all but 1 / kTailDenominator of the values on
/// each side.
constexpr double kTailDenominator = 10000;

/// A [lo, hi] range.
struct Range {
  double lo;
  double hi;
};
} // namespace

/// Per-tensor statistics.
struct Recorder::TensorStats {
  /// Whether any observation (range or Gram) reached this tensor.
  bool observed = false;

  /// Number of finite values, and of the NaNs and infinities left out.
  int64_t count = 0;
  int64_t nans = 0;
  int64_t infs = 0;
  /// Extremes of the finite values; meaningful when count > 0.
  float min = 0;
  float max = 0;
  /// Half-width R of the histogram range [-R, R], a power of two; 0 before
  /// the first finite value.
  double range = 0;
  /// kNumBins counts over [-R, R]; empty before the first finite value.
  std::vector<uint64_t> bins;

  /// Columns of the Gram matrix, -1 before the first Gram observation.
  int64_t gramCols = -1;
  /// Rows accumulated into the Gram matrix.
  int64_t gramRows = 0;
  /// The upper triangle (j >= i) of X^T X in a row-major gramCols x gramCols
  /// array; the lower triangle stays zero.
  std::vector<double> gram;
};

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The smallest power of two >= `value`, or 1 when `value` is 0.
static double powerOfTwoAtLeast(double value) {
  if (value == 0)
    return 1;
  int exponent;
  double fraction = std::frexp(value, &exponent);
  // value = fraction * 2^exponent with fraction in [0.5, 1).
  return fraction == 0.5 ? value : std::ldexp(1.0, exponent);
}

/// The histogram bin of finite `x`: floor((x + R) / (2R) * kNumBins) clamped
/// into range, computed as floor(x * scale) + kNumBins / 2 with scale =
/// kNumBins / (2R) so that the power-of-two scaling is exact.
static int64_t binIndex(float x, double scale) {
  double position = std::floor(static_cast<double>(x) * scale);
  position = std::clamp(position, -static_cast<double>(kNumBins / 2),
                        static_cast<double>(kNumBins / 2 - 1));
  return static_cast<int64_t>(position) + kNumBins / 2;
}

/// Doubles the histogram range: the old range becomes the middle half and
/// each pair of old bins merges into one new bin, so no count is lost.
static void doubleHistogramRange(double &range, std::vector<uint64_t> &bins) {
  std::vector<uint64_t> merged(kNumBins, 0);
  for (int64_t i = 0; i < kNumBins; ++i)
    merged[kNumBins / 4 + i / 2] += bins[i];
  bins = std::move(merged);
  range *= 2;
}

/// The range between the lower edge of the bin where the cumulative count
/// reaches the lower tail and the upper edge of the bin where it reaches all
/// but the upper tail, clamped into [min, max].
static Range percentileRange(llvm::ArrayRef<uint64_t> bins, double range,
                             double min, double max) {
  double total = 0;
  for (uint64_t bin : bins)
    total += static_cast<double>(bin);
  double width = 2 * range / kNumBins;

  // Compare cumulative * kTailDenominator with total * k on integers held in
  // doubles (exact below 2^53) rather than with a rounded fraction of total.
  int64_t loBin = -1, hiBin = kNumBins - 1;
  double cumulative = 0;
  for (int64_t b = 0; b < kNumBins; ++b) {
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

/// TensorRT-style entropy calibration for 8-bit quantization: the clipping
/// threshold on |x| whose `numLevels`-level quantization of the clipped |x|
/// distribution loses the least information (minimal KL divergence).
/// `numLevels` is 128 for signed data (half of a symmetric int8 range) and
/// 256 for non-negative data, which an asymmetric int8 range covers with all
/// its codes. Returns nothing when the histogram has fewer than two non-empty
/// |x| bins.
static std::optional<double> entropyThreshold(llvm::ArrayRef<uint64_t> bins,
                                              double range, int64_t numLevels) {
  // Fold the symmetric histogram into |x| bins over [0, R]: bin
  // kNumAbsBins + j covers [j w, (j + 1) w] and bin kNumAbsBins - 1 - j its
  // mirror image.
  std::vector<double> hist(kNumAbsBins);
  int64_t nonZeroBins = 0;
  for (int64_t j = 0; j < kNumAbsBins; ++j) {
    hist[j] = static_cast<double>(bins[kNumAbsBins + j]) +
              static_cast<double>(bins[kNumAbsBins - 1 - j]);
    if (hist[j] != 0)
      ++nonZeroBins;
  }
  if (nonZeroBins < 2)
    return std::nullopt;

  // suffix[j] = sum of hist[j..].
  std::vector<double> suffix(kNumAbsBins + 1, 0);
  for (int64_t j = kNumAbsBins - 1; j >= 0; --j)
    suffix[j] = suffix[j + 1] + hist[j];

  std::vector<double> p(kNumAbsBins), q(kNumAbsBins);
  double bestDivergence = std::numeric_limits<double>::infinity();
  int64_t bestBins = kNumAbsBins;
  for (int64_t i = numLevels; i <= kNumAbsBins; ++i) {
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
    // kSmoothingEps counts into each empty bin from the non-empty ones. A
    // non-empty bin holds at least 1/8 count, more than the at most
    // 1023 * kSmoothingEps taken from it.
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
  return static_cast<double>(bestBins) * (range / kNumAbsBins);
}

/// Writes an array on a single line even when `j` indents.
static void
writeCompactArray(llvm::json::OStream &j,
                  llvm::function_ref<void(llvm::json::OStream &)> elements) {
  j.rawValue([&](llvm::raw_ostream &os) {
    llvm::json::OStream compact(os);
    compact.array([&] { elements(compact); });
  });
}

static void writeRange(llvm::json::OStream &j, llvm::StringRef name,
                       Range range) {
  j.attributeBegin(name);
  writeCompactArray(j, [&](llvm::json::OStream &array) {
    array.value(range.lo);
    array.value(range.hi);
  });
  j.attributeEnd();
}

//===----------------------------------------------------------------------===//
// Recorder
//===----------------------------------------------------------------------===//

Recorder::Recorder(std::vector<std::string> keys)
    : keys(std::move(keys)), tensors(this->keys.size()) {
  std::set<llvm::StringRef> seen;
  for (const std::string &key : this->keys)
    if (!seen.insert(key).second)
      recordError("duplicate calibration tensor key '" + key + "'");
}

Recorder::~Recorder() = default;

void Recorder::recordError(std::string message) {
  if (firstError.empty())
    firstError = std::move(message);
}

Recorder::TensorStats *Recorder::lookup(int64_t id) {
  if (id < 0 || id >= static_cast<int64_t>(tensors.size())) {
    recordError("observation for unknown tensor id " + std::to_string(id));
    return nullptr;
  }
  return &tensors[id];
}

void Recorder::observeRange(int64_t id, const float *data, int64_t count,
                            int64_t stride) {
  std::lock_guard<std::mutex> lock(mutex);
  TensorStats *stats = lookup(id);
  if (!stats)
    return;
  if (count < 0) {
    recordError("range observation of tensor '" + keys[id] +
                "' has negative size " + std::to_string(count));
    return;
  }
  stats->observed = true;

  // First pass: the non-finite counts and the extremes of the finite values,
  // which decide the histogram range before any value is binned.
  int64_t finite = 0;
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < count; ++i) {
    float x = data[i * stride];
    if (std::isnan(x)) {
      ++stats->nans;
    } else if (std::isinf(x)) {
      ++stats->infs;
    } else {
      ++finite;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  if (finite == 0)
    return;

  if (stats->count == 0) {
    stats->min = lo;
    stats->max = hi;
  } else {
    stats->min = std::min(stats->min, lo);
    stats->max = std::max(stats->max, hi);
  }
  stats->count += finite;

  double absMax = std::max(-static_cast<double>(lo), static_cast<double>(hi));
  if (stats->range == 0) {
    stats->range = powerOfTwoAtLeast(absMax);
    stats->bins.assign(kNumBins, 0);
  }
  while (absMax > stats->range)
    doubleHistogramRange(stats->range, stats->bins);

  // Second pass: bin the finite values.
  double scale = kNumBins / (2 * stats->range);
  for (int64_t i = 0; i < count; ++i) {
    float x = data[i * stride];
    if (std::isfinite(x))
      ++stats->bins[binIndex(x, scale)];
  }
}

void Recorder::observeGram(int64_t id, const float *data, int64_t rows,
                           int64_t cols, int64_t rowStride, int64_t colStride) {
  std::lock_guard<std::mutex> lock(mutex);
  TensorStats *stats = lookup(id);
  if (!stats)
    return;
  const std::string &key = keys[id];
  if (rows < 0 || cols < 0) {
    recordError("Gram observation of tensor '" + key + "' has negative size " +
                std::to_string(rows) + "x" + std::to_string(cols));
    return;
  }
  if (cols > kMaxGramCols) {
    recordError("Gram observation of tensor '" + key + "' has " +
                std::to_string(cols) + " columns, more than the limit of " +
                std::to_string(kMaxGramCols));
    return;
  }
  if (stats->gramCols >= 0 && stats->gramCols != cols) {
    recordError("Gram observation of tensor '" + key + "' has " +
                std::to_string(cols) + " columns, but earlier ones had " +
                std::to_string(stats->gramCols));
    return;
  }
  stats->observed = true;
  if (stats->gramCols < 0) {
    stats->gramCols = cols;
    stats->gram.assign(cols * cols, 0.0);
  }

  // Accumulate the upper triangle row by row from a contiguous copy of the
  // row; zero entries (common after ReLU) are skipped.
  std::vector<double> row(cols);
  for (int64_t r = 0; r < rows; ++r) {
    const float *rowData = data + r * rowStride;
    for (int64_t c = 0; c < cols; ++c) {
      float x = rowData[c * colStride];
      if (!std::isfinite(x)) {
        recordError("Gram observation of tensor '" + key +
                    "' contains a non-finite value");
        return;
      }
      row[c] = x;
    }
    for (int64_t i = 0; i < cols; ++i) {
      double xi = row[i];
      if (xi == 0)
        continue;
      double *gramRow = stats->gram.data() + i * cols;
      for (int64_t j = i; j < cols; ++j)
        gramRow[j] += xi * row[j];
    }
    ++stats->gramRows;
  }
}

void Recorder::addBatch() {
  std::lock_guard<std::mutex> lock(mutex);
  ++batches;
}

const std::string &Recorder::error() const {
  std::lock_guard<std::mutex> lock(mutex);
  return firstError;
}

llvm::Error Recorder::write(llvm::StringRef path) const {
  std::lock_guard<std::mutex> lock(mutex);
  if (!firstError.empty())
    return makeError("calibration file '" + path +
                     "' not written: " + firstError);

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot open calibration file '" + path +
                     "': " + ec.message());

  llvm::json::OStream j(os, /*IndentSize=*/2);
  j.object([&] {
    j.attribute("version", 1);
    j.attribute("batches", batches);
    j.attributeObject("tensors", [&] {
      for (size_t id = 0, e = tensors.size(); id < e; ++id) {
        const TensorStats &stats = tensors[id];
        if (!stats.observed)
          continue;
        j.attributeObject(keys[id], [&] {
          j.attribute("count", stats.count);
          if (stats.count > 0) {
            j.attribute("min", static_cast<double>(stats.min));
            j.attribute("max", static_cast<double>(stats.max));
          }
          j.attribute("nans", stats.nans);
          j.attribute("infs", stats.infs);

          if (stats.count > 0) {
            double min = stats.min, max = stats.max;
            Range minMax{min, max};
            Range entropy = minMax;
            if (std::optional<double> threshold = entropyThreshold(
                    stats.bins, stats.range,
                    min >= 0 ? kOneSidedLevels : kSymmetricLevels))
              entropy = {std::max(min, -*threshold), std::min(max, *threshold)};
            j.attributeObject("ranges", [&] {
              writeRange(j, "minmax", minMax);
              writeRange(j, "percentile",
                         percentileRange(stats.bins, stats.range, min, max));
              writeRange(j, "entropy", entropy);
            });
            j.attributeObject("histogram", [&] {
              j.attribute("range", stats.range);
              j.attributeBegin("bins");
              writeCompactArray(j, [&](llvm::json::OStream &array) {
                for (uint64_t bin : stats.bins)
                  array.value(bin);
              });
              j.attributeEnd();
            });
          }

          if (stats.gramCols >= 0) {
            int64_t cols = stats.gramCols;
            j.attributeObject("gram", [&] {
              j.attribute("size", cols);
              j.attribute("rows", stats.gramRows);
              // Mirror the accumulated upper triangle.
              j.attributeBegin("data");
              writeCompactArray(j, [&](llvm::json::OStream &array) {
                for (int64_t r = 0; r < cols; ++r)
                  for (int64_t c = 0; c < cols; ++c)
                    array.value(r <= c ? stats.gram[r * cols + c]
                                       : stats.gram[c * cols + r]);
              });
              j.attributeEnd();
            });
          }
        });
      }
    });
  });
  os << '\n';

  os.close();
  if (os.has_error()) {
    std::error_code writeError = os.error();
    os.clear_error();
    return makeError("cannot write calibration file '" + path +
                     "': " + writeError.message());
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Runtime entry points
//===----------------------------------------------------------------------===//

extern "C" void _mlir_ciface_compress_observe_range(int64_t id, MemRef1D *x) {
  if (!activeRecorder || !x)
    return;
  activeRecorder->observeRange(id, x->aligned + x->offset, x->sizes[0],
                               x->strides[0]);
}

extern "C" void _mlir_ciface_compress_observe_gram(int64_t id, MemRef2D *x) {
  if (!activeRecorder || !x)
    return;
  activeRecorder->observeGram(id, x->aligned + x->offset, x->sizes[0],
                              x->sizes[1], x->strides[0], x->strides[1]);
}
