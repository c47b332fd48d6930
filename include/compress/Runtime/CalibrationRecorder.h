//===- CalibrationRecorder.h - Streaming calibration statistics -*- C++ -*-===//
//
// Collects calibration statistics of the activation tensors a JIT-compiled
// model reports through the compress_observe_* runtime entry points, and
// writes them with the calibration store (CalibrationStore.h). Memory is
// bounded by the statistics (a fixed-size histogram per tensor, a Gram matrix
// per tensor), not by the number of observed samples.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_CALIBRATIONRECORDER_H
#define COMPRESS_RUNTIME_CALIBRATIONRECORDER_H

#include "compress/Compression/Calibration/CalibrationStore.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mlir::compress::calibration {

/// Accumulates per-tensor statistics over calibration batches.
///
/// Range statistics cover the finite values only: NaNs and infinities are
/// counted separately ("nans", "infs") and excluded from the count, min, max
/// and histogram. The histogram has a fixed number of bins over a symmetric
/// power-of-two range that doubles (merging bins exactly) when larger values
/// arrive. Gram matrices are accumulated in double precision.
///
/// Observation never fails: the first problem (unknown id, inconsistent or
/// oversized Gram observations) is recorded, later observations continue, and
/// write() refuses to produce a file. Observations and write() are serialized
/// by a mutex, so a model may report from several threads.
class Recorder {
public:
  /// `keys[id]` names observed tensor `id` (e.g. "predict/0"). Keys must be
  /// unique; a duplicate is recorded as an error.
  explicit Recorder(std::vector<std::string> keys);
  ~Recorder();

  /// Adds `count` values (element i at data[i * stride]) of tensor `id` to its
  /// range statistics: min, max, count, and a histogram.
  void observeRange(int64_t id, const float *data, int64_t count,
                    int64_t stride);

  /// Adds the rows of a rows x cols matrix (element (r, c) at
  /// data[r * rowStride + c * colStride]) to tensor `id`'s Gram matrix X^T X
  /// (accumulated in double).
  void observeGram(int64_t id, const float *data, int64_t rows, int64_t cols,
                   int64_t rowStride, int64_t colStride);

  /// Counts one call of the model (one calibration batch).
  void addBatch();

  /// Writes the calibration store at `path`; fails with a clear message
  /// (path + reason) when it cannot be written or when an error was recorded
  /// during observation.
  llvm::Error write(llvm::StringRef path) const;

  /// First error seen while observing (unknown id, Gram column count changing
  /// between calls, Gram larger than the limit, non-finite Gram input) or a
  /// duplicate key given to the constructor; empty when there was none.
  std::string error() const;

  /// Number of histogram bins over [-R, R].
  static constexpr int64_t kNumBins = 2048;
  /// Largest number of Gram matrix columns.
  static constexpr int64_t kMaxGramCols = kMaxGramSize;

private:
  struct TensorStats;

  /// Records `message` unless an error was recorded before.
  void recordError(std::string message);
  /// Returns the statistics of `id`, or records an error and returns null.
  TensorStats *lookup(int64_t id);
  /// The statistics of tensor `id` as the store writes them.
  TensorRecord summarize(size_t id) const;

  std::vector<std::string> keys;
  std::vector<TensorStats> tensors;
  int64_t batches = 0;
  std::string firstError;
  mutable std::mutex mutex;
};

/// While a RecordingScope lives, the observations compiled code reports on
/// the thread that created it go to its recorder (compress.observe calls run
/// at the top level of the observed function, on the calling thread).
/// Scopes nest; without one, observations are dropped.
class RecordingScope {
public:
  explicit RecordingScope(Recorder *recorder);
  ~RecordingScope();
  RecordingScope(const RecordingScope &) = delete;
  RecordingScope &operator=(const RecordingScope &) = delete;

private:
  Recorder *previous;
};

} // namespace mlir::compress::calibration

/// Runtime entry points called by the compiled model through the C interface
/// of its memref<?xf32> and memref<?x?xf32> arguments. Elements are read at
/// data + offset + index * stride. They feed the recorder of the calling
/// thread's RecordingScope and do nothing without one.
extern "C" void
_mlir_ciface_compress_observe_range(int64_t id, StridedMemRefType<float, 1> *x);
extern "C" void
_mlir_ciface_compress_observe_gram(int64_t id, StridedMemRefType<float, 2> *x);

#endif // COMPRESS_RUNTIME_CALIBRATIONRECORDER_H
