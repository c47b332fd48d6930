//===- compress-calib.cpp - Inspect and check calibration files -----------===//
//
// compress-calib FILE.json [--gram] [--key KEY ...]
// compress-calib --benchmark-gram N DIR
//
// Reads a calibration store (JSON + Gram .npy files) with the store's reader
// and prints what it holds; with --gram every Gram matrix is read and checked
// as well. --benchmark-gram measures writing and reading an N x N Gram matrix
// through the calibration recorder and the store.
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Runtime/CalibrationRecorder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <random>
#include <string>
#include <vector>

using namespace mlir::compress;
namespace cl = llvm::cl;

static cl::OptionCategory category("compress-calib options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<calibration.json | dir>"),
                                          cl::Required, cl::cat(category));
static cl::list<std::string>
    keys("key", cl::desc("Print only these tensors (each must exist)"),
         cl::value_desc("key"), cl::cat(category));
static cl::opt<bool> readGrams("gram",
                               cl::desc("Read and check every Gram matrix"),
                               cl::init(false), cl::cat(category));
static cl::opt<unsigned> benchmarkGram(
    "benchmark-gram",
    cl::desc("Record, write and read back an N x N Gram matrix in the "
             "directory given as the positional argument, and print the "
             "times and the file size"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "compress-calib: error: " << message << "\n";
  return 1;
}

/// Prints one tensor's statistics (and checks its Gram matrix with --gram).
static int printTensor(const calibration::Store &store, llvm::StringRef key) {
  const calibration::TensorStats *stats = store.lookup(key);
  if (!stats)
    return fail("calibration file '" + store.path() + "' has no entry for '" +
                key + "'");
  llvm::outs() << key << ": count " << stats->count << ", nans " << stats->nans
               << ", infs " << stats->infs;
  if (stats->min && stats->max)
    llvm::outs() << llvm::format(", min %g, max %g", *stats->min, *stats->max);
  llvm::outs() << "\n";
  for (const auto &[name, range] : stats->ranges)
    llvm::outs() << "  range " << name
                 << llvm::format(": [%g, %g]\n", range.lo, range.hi);
  if (stats->histogram) {
    uint64_t total = 0;
    for (uint64_t bin : stats->histogram->bins)
      total += bin;
    double r = stats->histogram->range;
    llvm::outs() << "  histogram: " << stats->histogram->bins.size()
                 << llvm::format(" bins over [%g, %g], ", -r, r) << total
                 << " values\n";
  }
  if (!stats->gram)
    return 0;
  const calibration::GramInfo &gram = *stats->gram;
  llvm::outs() << "  gram: " << gram.size << " x " << gram.size << ", "
               << gram.rows << " rows, " << gram.file << "\n";
  if (!readGrams)
    return 0;
  llvm::Expected<std::vector<double>> values = store.readGram(key);
  if (!values)
    return fail(llvm::toString(values.takeError()));
  double trace = 0;
  bool symmetric = true;
  for (int64_t i = 0; i < gram.size; ++i) {
    trace += (*values)[i * gram.size + i];
    for (int64_t j = 0; j < i; ++j)
      symmetric &= (*values)[i * gram.size + j] == (*values)[j * gram.size + i];
  }
  llvm::outs() << llvm::format("  gram values: trace %g, ", trace)
               << (symmetric ? "symmetric" : "not symmetric") << "\n";
  return 0;
}

static int inspect() {
  llvm::Expected<calibration::Store> store =
      calibration::Store::read(inputFilename);
  if (!store)
    return fail(llvm::toString(store.takeError()));
  std::vector<llvm::StringRef> selected(keys.begin(), keys.end());
  if (selected.empty())
    selected = store->keys();
  llvm::outs() << "version " << calibration::kStoreVersion << ", batches "
               << store->batches() << ", " << store->keys().size()
               << " tensor(s)\n";
  for (llvm::StringRef key : selected)
    if (int status = printTensor(*store, key))
      return status;
  return 0;
}

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Records a Gram matrix of `n` columns from a few random rows, writes the
/// store, reads the JSON and the Gram matrix back and compares.
static int benchmark(unsigned n) {
  if (n == 0 || n > calibration::kMaxGramSize)
    return fail("--benchmark-gram must be 1 to " +
                llvm::Twine(calibration::kMaxGramSize));
  if (std::error_code ec = llvm::sys::fs::create_directories(inputFilename))
    return fail("cannot create '" + inputFilename + "': " + ec.message());
  llvm::SmallString<256> path(inputFilename);
  llvm::sys::path::append(path, "benchmark.json");

  const int64_t rows = 8;
  std::vector<float> data(rows * n);
  std::mt19937 random(42);
  std::uniform_real_distribution<float> uniform(-1, 1);
  for (float &x : data)
    x = uniform(random);
  calibration::Recorder recorder({"benchmark/0"});
  auto start = std::chrono::steady_clock::now();
  recorder.observeGram(0, data.data(), rows, n, n, 1);
  recorder.addBatch();
  double accumulate = secondsSince(start);

  start = std::chrono::steady_clock::now();
  if (llvm::Error error = recorder.write(path))
    return fail(llvm::toString(std::move(error)));
  double write = secondsSince(start);

  start = std::chrono::steady_clock::now();
  llvm::Expected<calibration::Store> store = calibration::Store::read(path);
  if (!store)
    return fail(llvm::toString(store.takeError()));
  llvm::Expected<std::vector<double>> gram = store->readGram("benchmark/0");
  if (!gram)
    return fail(llvm::toString(gram.takeError()));
  double read = secondsSince(start);

  // Spot-check entries against X^T X computed here.
  for (int64_t i : {int64_t(0), int64_t(n / 2), int64_t(n - 1)})
    for (int64_t j : {int64_t(0), int64_t(n - 1)}) {
      double expected = 0;
      for (int64_t r = 0; r < rows; ++r)
        expected += double(data[r * n + i]) * double(data[r * n + j]);
      if ((*gram)[i * n + j] != expected)
        return fail("Gram entry (" + llvm::Twine(i) + ", " + llvm::Twine(j) +
                    ") read back wrong");
    }
  llvm::SmallString<256> gramPath(inputFilename);
  llvm::sys::path::append(gramPath, store->lookup("benchmark/0")->gram->file);
  uint64_t bytes = 0;
  llvm::sys::fs::file_size(gramPath, bytes);
  llvm::outs() << llvm::format(
      "gram %u x %u: accumulate %.3f s (%d rows), write %.3f s, read %.3f s, "
      "file %llu bytes (%.4f x n*n*8)\n",
      n, n, accumulate, static_cast<int>(rows), write, read,
      static_cast<unsigned long long>(bytes),
      double(bytes) / (double(n) * n * 8));
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv, "compress-calib: inspect and check calibration files\n");
  return benchmarkGram ? benchmark(benchmarkGram) : inspect();
}
