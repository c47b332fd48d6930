//===- Runtime.cpp - C API of the compress runtime ------------------------===//
//
// Wraps runtime::Session behind the C functions of compress-c/Runtime.h.
// Every argument is checked before it is used (NULL pointers, dtype enums,
// ranks, sizes) and every failure becomes a status and a message.
//
//===----------------------------------------------------------------------===//

#include "compress-c/Runtime.h"
#include "compress/Runtime/CalibrationRecorder.h"
#include "compress/Runtime/Error.h"
#include "compress/Runtime/Session.h"

#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

using namespace mlir::compress;
using runtime::ErrorCode;
namespace npy = mlir::compress::npy;

struct CompressRuntimeImpl {
  /// MLIR diagnostics of parsing and lowering (declared before the session,
  /// which writes to it until it is destroyed).
  std::string diagnosticsText;
  llvm::raw_string_ostream diagnostics{diagnosticsText};
  std::unique_ptr<runtime::Session> session;

  /// The recorder between Begin and Write/End calibration.
  std::mutex recorderMutex;
  std::shared_ptr<calibration::Recorder> recorder;
  /// Whether `recorder` is set: prepared calls read this flag alone, and
  /// take the mutex only while recording.
  std::atomic<bool> recording{false};

  /// The recorder while recording, else null (without taking the lock).
  std::shared_ptr<calibration::Recorder> currentRecorder() {
    if (!recording.load(std::memory_order_acquire))
      return nullptr;
    std::lock_guard<std::mutex> lock(recorderMutex);
    return recorder;
  }

  /// Sets or resets the recorder (with recorderMutex held).
  void setRecorder(std::shared_ptr<calibration::Recorder> next) {
    recorder = std::move(next);
    recording.store(recorder != nullptr, std::memory_order_release);
  }
};

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

static CompressStatus statusOf(ErrorCode code) {
  switch (code) {
  case ErrorCode::InvalidArgument:
    return COMPRESS_ERROR_INVALID_ARGUMENT;
  case ErrorCode::NotFound:
    return COMPRESS_ERROR_NOT_FOUND;
  case ErrorCode::CompileFailed:
    return COMPRESS_ERROR_COMPILE;
  case ErrorCode::CallFailed:
    return COMPRESS_ERROR_CALL;
  case ErrorCode::IOError:
    return COMPRESS_ERROR_IO;
  case ErrorCode::OutOfMemory:
    return COMPRESS_ERROR_OUT_OF_MEMORY;
  }
  return COMPRESS_ERROR_INVALID_ARGUMENT;
}

/// Stores a malloc'ed copy of `message` in `*error` (if `error` is not
/// NULL).
static void setError(char **error, const std::string &message) {
  if (!error)
    return;
  *error = static_cast<char *>(std::malloc(message.size() + 1));
  if (*error)
    std::memcpy(*error, message.c_str(), message.size() + 1);
}

/// Reports `error` (a failure); errors without a category count as
/// `fallback`.
static CompressStatus fail(char **error, llvm::Error err,
                           ErrorCode fallback = ErrorCode::InvalidArgument) {
  ErrorCode code;
  std::string message = runtime::takeMessage(std::move(err), fallback, code);
  setError(error, message);
  return statusOf(code);
}

static CompressStatus fail(char **error, ErrorCode code,
                           const llvm::Twine &message) {
  setError(error, message.str());
  return statusOf(code);
}

static void clearError(char **error) {
  if (error)
    *error = nullptr;
}

void compressRuntimeFreeError(char *error) { std::free(error); }

//===----------------------------------------------------------------------===//
// Dtypes
//===----------------------------------------------------------------------===//

/// The integer a CompressDType holds. A C caller may store any int in it;
/// reading it as the C++ enum type would be undefined for values outside the
/// enumerators, so read its bytes.
static std::underlying_type_t<CompressDType>
rawValue(const CompressDType &dtype) {
  std::underlying_type_t<CompressDType> raw;
  static_assert(sizeof(raw) == sizeof(dtype));
  std::memcpy(&raw, &dtype, sizeof(raw));
  return raw;
}

/// The NumPy dtype of dtype value `raw`, if it is one.
static std::optional<npy::DType> toNpy(int64_t raw) {
  using npy::Kind;
  static const npy::DType dtypes[] = {
      {Kind::Bool, 1},        {Kind::SignedInt, 1},   {Kind::SignedInt, 2},
      {Kind::SignedInt, 4},   {Kind::SignedInt, 8},   {Kind::UnsignedInt, 1},
      {Kind::UnsignedInt, 2}, {Kind::UnsignedInt, 4}, {Kind::UnsignedInt, 8},
      {Kind::Float, 2},       {Kind::Float, 4},       {Kind::Float, 8}};
  static_assert(std::size(dtypes) == COMPRESS_DTYPE_F64 + 1);
  if (raw < 0 || raw > COMPRESS_DTYPE_F64)
    return std::nullopt;
  return dtypes[raw];
}

static CompressDType fromNpy(const npy::DType &dtype) {
  for (int raw = 0; raw <= COMPRESS_DTYPE_F64; ++raw)
    if (toNpy(raw) == dtype)
      return static_cast<CompressDType>(raw);
  return COMPRESS_DTYPE_F32; // Not reached: signatures only hold these.
}

const char *compressDTypeName(CompressDType dtype) {
  static const char *names[] = {"bool",   "int8",    "int16",   "int32",
                                "int64",  "uint8",   "uint16",  "uint32",
                                "uint64", "float16", "float32", "float64"};
  auto raw = rawValue(dtype);
  return toNpy(raw) ? names[raw] : "unknown";
}

size_t compressDTypeSize(CompressDType dtype) {
  std::optional<npy::DType> npyType = toNpy(rawValue(dtype));
  return npyType ? npyType->bytes : 0;
}

//===----------------------------------------------------------------------===//
// Compiling
//===----------------------------------------------------------------------===//

/// The message of `err` followed by the MLIR diagnostics collected so far.
static CompressStatus failWithDiagnostics(char **error, llvm::Error err,
                                          CompressRuntimeImpl &impl) {
  ErrorCode code;
  std::string message =
      runtime::takeMessage(std::move(err), ErrorCode::CompileFailed, code);
  llvm::StringRef diagnostics = llvm::StringRef(impl.diagnosticsText).rtrim();
  if (!diagnostics.empty())
    message += ":\n" + diagnostics.str();
  setError(error, message);
  return statusOf(code);
}

/// Parses (text or file) and compiles a module; null after reporting an
/// error.
static CompressRuntime compile(const char *source, bool isFile,
                               const char *pipelineOptions, int optLevel,
                               char **error) {
  clearError(error);
  if (!source) {
    fail(error, ErrorCode::InvalidArgument,
         isFile ? "the module path is NULL" : "the module text is NULL");
    return nullptr;
  }
  if (optLevel < 0 || optLevel > 3) {
    fail(error, ErrorCode::InvalidArgument,
         "the optimization level must be 0, 1, 2 or 3, not " +
             llvm::Twine(optLevel));
    return nullptr;
  }
  auto impl = std::make_unique<CompressRuntimeImpl>();
  runtime::SessionOptions options;
  options.client = "the runtime";
  options.pipelineOptionsName = "compress-to-llvm options";
  auto session =
      isFile ? runtime::Session::parseFile(source, impl->diagnostics, options)
             : runtime::Session::parseString(source, "<string>",
                                             impl->diagnostics, options);
  if (!session) {
    failWithDiagnostics(error, session.takeError(), *impl);
    return nullptr;
  }
  impl->session = std::move(*session);
  runtime::CompileOptions compileOptions;
  compileOptions.pipelineOptions = pipelineOptions ? pipelineOptions : "";
  compileOptions.optLevel = optLevel;
  if (llvm::Error err = impl->session->compile(compileOptions)) {
    failWithDiagnostics(error, std::move(err), *impl);
    return nullptr;
  }
  return impl.release();
}

CompressRuntime compressRuntimeCompile(const char *mlirText,
                                       const char *pipelineOptions,
                                       int optLevel, char **error) {
  return compile(mlirText, /*isFile=*/false, pipelineOptions, optLevel, error);
}

CompressRuntime compressRuntimeCompileFile(const char *path,
                                           const char *pipelineOptions,
                                           int optLevel, char **error) {
  return compile(path, /*isFile=*/true, pipelineOptions, optLevel, error);
}

void compressRuntimeDestroy(CompressRuntime runtime) { delete runtime; }

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

/// The signature of `function`, or a failure status.
static CompressStatus lookup(CompressRuntime runtime, const char *function,
                             const runtime::Signature *&signature,
                             char **error) {
  if (!runtime)
    return fail(error, ErrorCode::InvalidArgument,
                "the runtime handle is NULL");
  if (!function)
    return fail(error, ErrorCode::InvalidArgument, "the function name is NULL");
  auto found = runtime->session->lookup(function);
  if (!found)
    return fail(error, found.takeError());
  signature = &*found;
  return COMPRESS_OK;
}

CompressStatus compressRuntimeGetSignature(CompressRuntime runtime,
                                           const char *function,
                                           size_t *numArguments,
                                           size_t *numResults, char **error) {
  clearError(error);
  const runtime::Signature *signature = nullptr;
  if (CompressStatus status = lookup(runtime, function, signature, error))
    return status;
  if (numArguments)
    *numArguments = signature->args.size();
  if (numResults)
    *numResults = signature->results.size();
  return COMPRESS_OK;
}

/// Describes slot `index` of `slots` ("argument" or "result" in messages).
static CompressStatus describe(const std::vector<runtime::ValueSlot> &slots,
                               size_t index, const char *what,
                               const std::string &function,
                               CompressValueInfo *info, char **error) {
  if (!info)
    return fail(error, ErrorCode::InvalidArgument, "the info pointer is NULL");
  if (index >= slots.size())
    return fail(error, ErrorCode::InvalidArgument,
                "'@" + function + "' has no " + what + " #" +
                    llvm::Twine(index) + " (it has " +
                    llvm::Twine(slots.size()) + ")");
  const runtime::ValueSlot &slot = slots[index];
  info->dtype = fromNpy(slot.dtype);
  info->isScalar = !slot.isShaped();
  info->rank = slot.isShaped() ? slot.rank : 0;
  info->shape = slot.shape.empty() ? nullptr : slot.shape.data();
  return COMPRESS_OK;
}

CompressStatus compressRuntimeGetArgument(CompressRuntime runtime,
                                          const char *function, size_t index,
                                          CompressValueInfo *info,
                                          char **error) {
  clearError(error);
  const runtime::Signature *signature = nullptr;
  if (CompressStatus status = lookup(runtime, function, signature, error))
    return status;
  return describe(signature->args, index, "argument", signature->name, info,
                  error);
}

CompressStatus compressRuntimeGetResult(CompressRuntime runtime,
                                        const char *function, size_t index,
                                        CompressValueInfo *info, char **error) {
  clearError(error);
  const runtime::Signature *signature = nullptr;
  if (CompressStatus status = lookup(runtime, function, signature, error))
    return status;
  return describe(signature->results, index, "result", signature->name, info,
                  error);
}

//===----------------------------------------------------------------------===//
// Calling
//===----------------------------------------------------------------------===//

/// Checks the C arrays (pointers, dtype, rank, sizes) and makes views of
/// them; the signature checks come later, in the session.
static CompressStatus makeViews(const CompressArray *inputs, size_t numInputs,
                                std::vector<runtime::ArrayView> &views,
                                char **error) {
  if (numInputs > 0 && !inputs)
    return fail(error, ErrorCode::InvalidArgument,
                "the inputs pointer is NULL but " + llvm::Twine(numInputs) +
                    " input(s) were given");
  for (size_t i = 0; i < numInputs; ++i) {
    const CompressArray &input = inputs[i];
    std::string where = "argument #" + std::to_string(i);
    std::optional<npy::DType> dtype = toNpy(rawValue(input.dtype));
    if (!dtype)
      return fail(error, ErrorCode::InvalidArgument,
                  where + " has an unknown dtype " +
                      llvm::Twine(static_cast<int64_t>(rawValue(input.dtype))));
    if (input.rank < 0 || input.rank > npy::kMaxRank)
      return fail(error, ErrorCode::InvalidArgument,
                  where + " has rank " + llvm::Twine(input.rank) +
                      " (expected 0 to " + llvm::Twine(npy::kMaxRank) + ")");
    if (input.rank > 0 && !input.shape)
      return fail(error, ErrorCode::InvalidArgument,
                  where + " has rank " + llvm::Twine(input.rank) +
                      " but its shape pointer is NULL");
    llvm::ArrayRef<int64_t> shape(input.shape, input.rank);
    llvm::Expected<uint64_t> bytes = npy::byteSize(*dtype, shape);
    if (!bytes)
      return fail(error, ErrorCode::InvalidArgument,
                  where + ": " + llvm::toString(bytes.takeError()));
    if (*bytes > 0 && !input.data)
      return fail(error, ErrorCode::InvalidArgument,
                  where + " has " + llvm::Twine(*bytes) +
                      " bytes of data but its data pointer is NULL");
    views.push_back({*dtype, shape, input.data});
  }
  return COMPRESS_OK;
}

/// Moves `arrays` into a malloc'ed array of CompressArray.
static CompressStatus exportResults(std::vector<npy::Array> &arrays,
                                    CompressArray **results, size_t *numResults,
                                    char **error) {
  *results = nullptr;
  *numResults = 0;
  if (arrays.empty())
    return COMPRESS_OK;
  auto *out = static_cast<CompressArray *>(
      std::calloc(arrays.size(), sizeof(CompressArray)));
  if (!out)
    return fail(error, ErrorCode::OutOfMemory,
                "cannot allocate the result list");
  for (auto [i, array] : llvm::enumerate(arrays)) {
    int64_t *shape = nullptr;
    if (!array.shape.empty()) {
      shape = static_cast<int64_t *>(
          std::malloc(array.shape.size() * sizeof(int64_t)));
      if (!shape) {
        compressRuntimeFreeResults(out, i);
        return fail(error, ErrorCode::OutOfMemory,
                    "cannot allocate the shape of result #" + llvm::Twine(i));
      }
      std::copy(array.shape.begin(), array.shape.end(), shape);
    }
    out[i].dtype = fromNpy(array.dtype);
    out[i].rank = array.shape.size();
    out[i].shape = shape;
    out[i].data = array.data.release();
  }
  *results = out;
  *numResults = arrays.size();
  return COMPRESS_OK;
}

CompressStatus compressRuntimeCall(CompressRuntime runtime,
                                   const char *function,
                                   const CompressArray *inputs,
                                   size_t numInputs, CompressArray **results,
                                   size_t *numResults, char **error) {
  clearError(error);
  if (!results || !numResults)
    return fail(error, ErrorCode::InvalidArgument,
                "the results or numResults pointer is NULL");
  *results = nullptr;
  *numResults = 0;
  const runtime::Signature *signature = nullptr;
  if (CompressStatus status = lookup(runtime, function, signature, error))
    return status;
  std::vector<runtime::ArrayView> views;
  if (CompressStatus status = makeViews(inputs, numInputs, views, error))
    return status;
  std::shared_ptr<calibration::Recorder> recorder = runtime->currentRecorder();
  auto arrays = runtime->session->call(*signature, views, recorder.get());
  if (!arrays)
    return fail(error, arrays.takeError());
  return exportResults(*arrays, results, numResults, error);
}

void compressRuntimeFreeResults(CompressArray *results, size_t numResults) {
  if (!results)
    return;
  for (size_t i = 0; i < numResults; ++i) {
    std::free(results[i].data);
    std::free(const_cast<int64_t *>(results[i].shape));
  }
  std::free(results);
}

struct CompressPreparedCallImpl {
  CompressRuntime runtime;
  std::unique_ptr<runtime::PreparedCall> call;
};

CompressPreparedCall compressRuntimePrepareCall(CompressRuntime runtime,
                                                const char *function,
                                                const CompressArray *inputs,
                                                size_t numInputs,
                                                char **error) {
  clearError(error);
  const runtime::Signature *signature = nullptr;
  if (lookup(runtime, function, signature, error))
    return nullptr;
  // The data pointers are not read: views over placeholders pass the
  // checks of arrays with elements.
  std::vector<CompressArray> described(inputs,
                                       inputs + (inputs ? numInputs : 0));
  static char placeholder;
  for (CompressArray &input : described)
    input.data = &placeholder;
  std::vector<runtime::ArrayView> views;
  if (makeViews(inputs ? described.data() : nullptr, numInputs, views, error))
    return nullptr;
  auto call = runtime->session->prepare(*signature, views);
  if (!call) {
    fail(error, call.takeError());
    return nullptr;
  }
  return new CompressPreparedCallImpl{runtime, std::move(*call)};
}

CompressStatus compressPreparedCallRun(CompressPreparedCall call,
                                       const void *const *inputData,
                                       CompressResultAllocator allocate,
                                       void *context, char **error) {
  clearError(error);
  if (!call)
    return fail(error, ErrorCode::InvalidArgument,
                "the prepared call handle is NULL");
  if (!allocate)
    return fail(error, ErrorCode::InvalidArgument,
                "the result allocator is NULL");
  if (!inputData && !call->call->signature().args.empty())
    return fail(error, ErrorCode::InvalidArgument,
                "the input data pointer is NULL");
  std::shared_ptr<calibration::Recorder> recorder =
      call->runtime->currentRecorder();
  auto toC = [&](size_t index, const npy::DType &dtype,
                 llvm::ArrayRef<int64_t> shape) {
    CompressArray result{nullptr, static_cast<int64_t>(shape.size()),
                         shape.empty() ? nullptr : shape.data(),
                         fromNpy(dtype)};
    return allocate(context, index, &result);
  };
  if (llvm::Error err = call->call->run(inputData, toC, recorder.get()))
    return fail(error, std::move(err));
  return COMPRESS_OK;
}

double compressPreparedCallLastRunMs(CompressPreparedCall call) {
  return call ? call->call->lastRunMs() : 0;
}

void compressPreparedCallDestroy(CompressPreparedCall call) { delete call; }

CompressStatus compressRuntimeTime(CompressRuntime runtime,
                                   const char *function,
                                   const CompressArray *inputs,
                                   size_t numInputs, uint64_t repeat,
                                   double *medianMs, double *minMs,
                                   char **error) {
  clearError(error);
  const runtime::Signature *signature = nullptr;
  if (CompressStatus status = lookup(runtime, function, signature, error))
    return status;
  std::vector<runtime::ArrayView> views;
  if (CompressStatus status = makeViews(inputs, numInputs, views, error))
    return status;
  auto timing = runtime->session->time(*signature, views, repeat);
  if (!timing)
    return fail(error, timing.takeError());
  if (medianMs)
    *medianMs = timing->medianMs;
  if (minMs)
    *minMs = timing->minMs;
  return COMPRESS_OK;
}

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

CompressStatus compressRuntimeBeginCalibration(CompressRuntime runtime,
                                               char **error) {
  clearError(error);
  if (!runtime)
    return fail(error, ErrorCode::InvalidArgument,
                "the runtime handle is NULL");
  llvm::ArrayRef<std::string> keys = runtime->session->observedKeys();
  if (keys.empty())
    return fail(error, ErrorCode::InvalidArgument,
                "'" + runtime->session->name() +
                    "' records nothing (no compress.observe ops; instrument "
                    "it with compress-opt --compress-instrument)");
  std::lock_guard<std::mutex> lock(runtime->recorderMutex);
  if (runtime->recorder)
    return fail(error, ErrorCode::InvalidArgument,
                "calibration is being recorded already");
  runtime->setRecorder(std::make_shared<calibration::Recorder>(
      std::vector<std::string>(keys.begin(), keys.end())));
  return COMPRESS_OK;
}

CompressStatus compressRuntimeWriteCalibration(CompressRuntime runtime,
                                               const char *path, char **error) {
  clearError(error);
  if (!runtime)
    return fail(error, ErrorCode::InvalidArgument,
                "the runtime handle is NULL");
  if (!path)
    return fail(error, ErrorCode::InvalidArgument,
                "the calibration file path is NULL");
  std::shared_ptr<calibration::Recorder> recorder = runtime->currentRecorder();
  if (!recorder)
    return fail(error, ErrorCode::InvalidArgument,
                "calibration is not being recorded (call "
                "compressRuntimeBeginCalibration first)");
  if (llvm::Error err = recorder->write(path))
    return fail(error, std::move(err), ErrorCode::IOError);
  std::lock_guard<std::mutex> lock(runtime->recorderMutex);
  if (runtime->recorder == recorder)
    runtime->setRecorder(nullptr);
  return COMPRESS_OK;
}

void compressRuntimeEndCalibration(CompressRuntime runtime) {
  if (!runtime)
    return;
  std::lock_guard<std::mutex> lock(runtime->recorderMutex);
  runtime->setRecorder(nullptr);
}
