//===- Session.h - JIT-compiled modules -------------------------*- C++ -*-===//
//
// A Session owns one module: it parses it (IR at any level: tensors, memrefs
// or the LLVM dialect), keeps the signatures of its functions, lowers it with
// the compress-to-llvm pipeline unless it is in the LLVM dialect already,
// JIT-compiles it with MLIR's ExecutionEngine, and calls its functions on
// arrays: once, timed over repeated calls, or while recording calibration
// statistics.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_SESSION_H
#define COMPRESS_RUNTIME_SESSION_H

#include "compress/Runtime/CallFrame.h"
#include "compress/Runtime/Npy.h"
#include "compress/Runtime/Signature.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class MemoryBuffer;
} // namespace llvm

namespace mlir::compress::calibration {
class Recorder;
} // namespace mlir::compress::calibration

namespace mlir::compress::runtime {

/// Largest number of timed calls.
constexpr uint64_t kMaxRepeat = 1000000;

/// How messages name the caller and its pipeline options.
struct SessionOptions {
  /// "function '@f' is private; <client> calls public functions".
  std::string client = "compress-run";
  /// "invalid <pipelineOptionsName> 'threads=0'".
  std::string pipelineOptionsName = "--compress-to-llvm-options";
};

/// How a module is lowered and compiled.
struct CompileOptions {
  /// Options of the compress-to-llvm pipeline, e.g. "cpu=znver4 threads=2".
  std::string pipelineOptions;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 2;
  /// Libraries loaded into the JIT; empty: MLIR's runner utilities and the
  /// OpenMP runtime (for code compiled with threads > 1).
  std::vector<std::string> sharedLibs;
  /// If set, the module is printed here after lowering.
  llvm::raw_ostream *printLoweredIR = nullptr;
};

/// Median and minimum time of the timed calls.
struct Timing {
  double medianMs = 0;
  double minMs = 0;
  uint64_t runs = 0;
};

class Session;

/// Calls of one function on inputs of fixed dtypes and shapes, prepared
/// once (signature checks, the entry point, the argument descriptors): a
/// run only points the descriptors at new data, calls the function and
/// copies its results where the caller says, without lookups, locks or
/// allocations of its own. For callers that call a model many times, whose
/// caches the model itself empties between calls.
///
/// Thread safety: one run at a time per PreparedCall; several may run
/// concurrently. The session must outlive it.
class PreparedCall {
public:
  ~PreparedCall();
  PreparedCall(const PreparedCall &) = delete;
  PreparedCall &operator=(const PreparedCall &) = delete;

  const Signature &signature() const { return *calledSignature; }

  /// Calls the function on `data` (one pointer per argument to elements of
  /// the prepared dtype and shape, aligned to the element size; null only
  /// for arrays without elements) and copies each result into memory from
  /// `allocate`. With a `recorder`, the function's observations go to it and
  /// the run counts as one calibration batch.
  llvm::Error run(const void *const *data, CallFrame::ResultAllocator allocate,
                  calibration::Recorder *recorder = nullptr);

  /// Milliseconds the compiled function took in the last run (what
  /// Session::time measures per call), 0 before the first.
  double lastRunMs() const { return lastMs; }

private:
  friend class Session;
  PreparedCall(const Signature &signature, void (*function)(void **),
               std::unique_ptr<CallFrame> frame,
               std::vector<std::vector<int64_t>> shapes,
               std::vector<uint64_t> inputBytes);

  const Signature *calledSignature;
  void (*function)(void **);
  std::unique_ptr<CallFrame> frame;
  /// The prepared shapes (the frame's views refer to them).
  std::vector<std::vector<int64_t>> shapes;
  /// Bytes of each argument's data.
  std::vector<uint64_t> inputBytes;
  double lastMs = 0;
};

/// One module and, after compile(), its JIT-compiled code.
///
/// Thread safety: parse and compile a session on one thread. After
/// compile(), lookup(), call() and time() may run concurrently on several
/// threads (each call has its own arguments and results).
class Session {
public:
  /// Parses the module in file `path` ("-" reads standard input). Parser and
  /// later lowering diagnostics are printed to `diagnostics`, which must
  /// outlive the session.
  static llvm::Expected<std::unique_ptr<Session>>
  parseFile(llvm::StringRef path, llvm::raw_ostream &diagnostics,
            const SessionOptions &options = {});

  /// Parses the module `text`, named `name` in messages.
  static llvm::Expected<std::unique_ptr<Session>>
  parseString(llvm::StringRef text, llvm::StringRef name,
              llvm::raw_ostream &diagnostics,
              const SessionOptions &options = {});

  ~Session();

  /// The module's name in messages (the file name as given).
  llvm::StringRef name() const;

  /// The signature of function `function` as written before lowering, or why
  /// it cannot be called.
  llvm::Expected<const Signature &> lookup(llvm::StringRef function) const;

  /// Lowers the module with compress-to-llvm (unless it is in the LLVM
  /// dialect already) and JIT-compiles it. Call once.
  llvm::Error compile(const CompileOptions &options);

  bool isCompiled() const;

  /// Keys of the tensors the module's compress.observe ops report, in id
  /// order (known after compile(); empty without observers).
  llvm::ArrayRef<std::string> observedKeys() const;

  /// Calls `signature`'s function once on `inputs` (checked against the
  /// signature) and returns its results. With a `recorder`, the statistics
  /// the function's observers report go to it and the call counts as one
  /// calibration batch.
  llvm::Expected<std::vector<npy::Array>>
  call(const Signature &signature, llvm::ArrayRef<ArrayView> inputs,
       calibration::Recorder *recorder = nullptr) const;

  /// Prepares calls of `signature`'s function on arrays of the dtypes and
  /// shapes of `inputs` (checked against the signature; the data pointers
  /// are not read).
  llvm::Expected<std::unique_ptr<PreparedCall>>
  prepare(const Signature &signature, llvm::ArrayRef<ArrayView> inputs) const;

  /// Calls the function once untimed, then `repeat` (1 to kMaxRepeat) times
  /// timed: the call alone, each from a fresh copy of the inputs. The results
  /// of the last call go to `lastResults` if given.
  llvm::Expected<Timing>
  time(const Signature &signature, llvm::ArrayRef<ArrayView> inputs,
       uint64_t repeat, std::vector<npy::Array> *lastResults = nullptr) const;

  /// The implementation (Session.cpp).
  struct Impl;

private:
  explicit Session(std::unique_ptr<Impl> impl);
  static llvm::Expected<std::unique_ptr<Session>>
  parse(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name,
        llvm::raw_ostream &diagnostics, const SessionOptions &options);

  std::unique_ptr<Impl> impl;
};

/// Checks the number of `inputs` and each against the arguments of
/// `signature` (messages "argument #i ...").
llvm::Error checkInputs(const Signature &signature,
                        llvm::ArrayRef<ArrayView> inputs);

} // namespace mlir::compress::runtime

#endif // COMPRESS_RUNTIME_SESSION_H
