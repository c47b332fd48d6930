//===- CalibrationRecorder.cpp - Streaming calibration statistics ---------===//
//
// Implements the calibration recorder: streaming range statistics with an
// exactly mergeable histogram, Gram matrices, and the runtime entry points
// that compiled models call. Files are written by the calibration store.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/CalibrationRecorder.h"
#include "CalibrationRanges.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace mlir::compress::calibration;

namespace {
constexpr int64_t kNumBins = Recorder::kNumBins;

/// The recorder of the calling thread's innermost RecordingScope.
thread_local Recorder *threadRecorder = nullptr;
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

std::string Recorder::error() const {
  std::lock_guard<std::mutex> lock(mutex);
  return firstError;
}

TensorRecord Recorder::summarize(size_t id) const {
  const TensorStats &stats = tensors[id];
  TensorRecord record;
  record.key = keys[id];
  calibration::TensorStats &out = record.stats;
  out.count = stats.count;
  out.nans = stats.nans;
  out.infs = stats.infs;
  if (stats.count > 0) {
    double min = stats.min, max = stats.max;
    out.min = min;
    out.max = max;
    Range minMax{min, max};
    Range entropy = minMax;
    if (std::optional<double> threshold =
            entropyThreshold(stats.bins, stats.range,
                             min >= 0 ? kOneSidedLevels : kSymmetricLevels))
      entropy = {std::max(min, -*threshold), std::min(max, *threshold)};
    out.ranges = {
        {"minmax", minMax},
        {"percentile", percentileRange(stats.bins, stats.range, min, max)},
        {"entropy", entropy}};
    out.histogram = Histogram{stats.range, stats.bins};
  }
  if (stats.gramCols >= 0)
    out.gram = GramInfo{stats.gramCols, stats.gramRows, ""};
  return record;
}

llvm::Error Recorder::write(llvm::StringRef path) const {
  std::lock_guard<std::mutex> lock(mutex);
  if (!firstError.empty())
    return makeError("calibration file '" + path +
                     "' not written: " + firstError);
  std::vector<TensorRecord> records;
  std::vector<size_t> ids;
  for (size_t id = 0, e = tensors.size(); id < e; ++id) {
    if (!tensors[id].observed)
      continue;
    records.push_back(summarize(id));
    ids.push_back(id);
  }
  // Rows of the full matrix, mirrored from the accumulated upper triangle.
  auto gramRow = [&](size_t record, int64_t r,
                     llvm::MutableArrayRef<double> row) {
    const TensorStats &stats = tensors[ids[record]];
    int64_t n = stats.gramCols;
    for (int64_t c = 0; c < n; ++c)
      row[c] = r <= c ? stats.gram[r * n + c] : stats.gram[c * n + r];
  };
  return writeStore(path, batches, records, gramRow);
}

RecordingScope::RecordingScope(Recorder *recorder) : previous(threadRecorder) {
  threadRecorder = recorder;
}

RecordingScope::~RecordingScope() { threadRecorder = previous; }

//===----------------------------------------------------------------------===//
// Runtime entry points
//===----------------------------------------------------------------------===//

extern "C" void
_mlir_ciface_compress_observe_range(int64_t id,
                                    StridedMemRefType<float, 1> *x) {
  if (!threadRecorder || !x)
    return;
  threadRecorder->observeRange(id, x->data + x->offset, x->sizes[0],
                               x->strides[0]);
}

extern "C" void
_mlir_ciface_compress_observe_gram(int64_t id, StridedMemRefType<float, 2> *x) {
  if (!threadRecorder || !x)
    return;
  threadRecorder->observeGram(id, x->data + x->offset, x->sizes[0], x->sizes[1],
                              x->strides[0], x->strides[1]);
}
