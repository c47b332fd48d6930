//===- CalibrationStore.h - The calibration file format ---------*- C++ -*-===//
//
// The one reader and the one writer of calibration files (format version 2):
// per-tensor statistics (counts, extremes, named [lo, hi] ranges, histograms)
// in a JSON file, and each tensor's Gram matrix X^T X as a float64 .npy file
// in a directory beside it, named from the JSON file (calib.json ->
// calib.gram/) and referenced from the JSON by a path relative to the JSON
// file's directory. Gram matrices are written and read as binary streams, in
// memory bounded by the matrix itself. docs/calibration.md describes the
// format.
//
// Depends on LLVM Support only (and the runtime's .npy reader/writer).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_CALIBRATION_CALIBRATIONSTORE_H
#define COMPRESS_COMPRESSION_CALIBRATION_CALIBRATIONSTORE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::compress::calibration {

/// The format version this code reads and writes; files of other versions
/// are refused.
constexpr int64_t kStoreVersion = 2;
/// Largest JSON file read (it holds no Gram values, ~12 KB per tensor).
constexpr uint64_t kMaxJsonBytes = uint64_t(256) << 20;
/// Largest Gram matrix order (columns of the observed matrix).
constexpr int64_t kMaxGramSize = 4096;
/// Largest number of histogram bins read.
constexpr int64_t kMaxHistogramBins = int64_t(1) << 20;

/// A [lo, hi] range with finite lo <= hi.
struct Range {
  double lo = 0;
  double hi = 0;
};

/// Counts of the finite values in equal bins over [-range, range].
struct Histogram {
  double range = 0;
  std::vector<uint64_t> bins;
};

/// Where and what a tensor's Gram matrix is.
struct GramInfo {
  /// Order n of the n x n matrix (columns of the observed matrix).
  int64_t size = 0;
  /// Observed rows accumulated into it.
  int64_t rows = 0;
  /// The .npy file, relative to the JSON file's directory ('/'-separated).
  /// Derived from the key when writing.
  std::string file;
};

/// What the store holds about one tensor, except the Gram values.
struct TensorStats {
  /// Finite values seen, and the NaNs and infinities left out of all other
  /// statistics.
  int64_t count = 0;
  int64_t nans = 0;
  int64_t infs = 0;
  /// Extremes of the finite values (absent when count is 0).
  std::optional<double> min, max;
  /// Named ranges ("minmax", "percentile", "entropy"), in writing order.
  std::vector<std::pair<std::string, Range>> ranges;
  std::optional<Histogram> histogram;
  std::optional<GramInfo> gram;

  /// The range called `method`, or null.
  const Range *findRange(llvm::StringRef method) const;
};

/// A calibration store read from disk. Every member of the JSON file is
/// checked when it is read; Gram matrices are read on request.
class Store {
public:
  /// Reads the JSON file `path`. Errors name the file: "calibration file
  /// 'PATH': REASON".
  static llvm::Expected<Store> read(llvm::StringRef path);

  llvm::StringRef path() const { return jsonPath; }
  int64_t batches() const { return batchCount; }
  /// The tensor keys in sorted order.
  std::vector<llvm::StringRef> keys() const;
  /// The statistics of tensor `key`, or null.
  const TensorStats *lookup(llvm::StringRef key) const;

  /// Reads the Gram matrix of tensor `key`: n x n float64 values in row-major
  /// order. Checks the .npy file against the JSON entry (dtype float64, shape
  /// n x n, exact size, finite values) and fails with a message naming both
  /// files.
  llvm::Expected<std::vector<double>> readGram(llvm::StringRef key) const;

private:
  std::string jsonPath;
  int64_t batchCount = 0;
  llvm::StringMap<TensorStats> tensors;
};

/// A tensor to write.
struct TensorRecord {
  std::string key;
  /// `stats.gram->file` is ignored: the writer derives it from the key.
  TensorStats stats;
};

/// Fills `row` (of n elements) with row `r` of Gram matrix `tensor` (an index
/// into the records given to writeStore).
using GramRowFn = llvm::function_ref<void(size_t tensor, int64_t r,
                                          llvm::MutableArrayRef<double> row)>;

/// Writes the store at `path` and the Gram matrices of the records that have
/// one, row by row from `gramRow`. The JSON file is written to a temporary
/// file and renamed last, so it never refers to Gram files not yet written.
/// Errors: "cannot open calibration file 'PATH': ...", "cannot write ...";
/// a key that is not UTF-8 or a range that is not finite with lo <= hi (what
/// the reader refuses) is refused before anything is written.
llvm::Error writeStore(llvm::StringRef path, int64_t batches,
                       llvm::ArrayRef<TensorRecord> tensors, GramRowFn gramRow);

/// The directory of the Gram files of a store whose JSON file is `jsonPath`,
/// as referenced from the JSON: its file name without a ".json" extension,
/// plus ".gram" ("out/calib.json" -> "calib.gram").
std::string gramDirectoryName(llvm::StringRef jsonPath);

/// The Gram file name of tensor `key`: the key with characters other than
/// letters, digits, '.', '_' and '-' replaced by '_', shortened to 100
/// characters, then '-', 8 hex digits of a hash of the key and ".npy"
/// ("predict/0" -> "predict_0-8f2ec51e.npy").
std::string gramFileName(llvm::StringRef key);

} // namespace mlir::compress::calibration

#endif // COMPRESS_COMPRESSION_CALIBRATION_CALIBRATIONSTORE_H
