//===- Session.cpp - JIT-compiled modules ---------------------------------===//
//
// Implements Session: parsing, lowering with compress-to-llvm, JIT
// compilation with the calibration entry points registered, and calls.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/Session.h"
#include "compress/Conversion/CompressToLinalg/CompressToLinalg.h"
#include "compress/InitAll.h"
#include "compress/Runtime/CalibrationRecorder.h"
#include "compress/Runtime/CallFrame.h"
#include "compress/Runtime/Error.h"
#include "compress/Runtime/RegularFile.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <chrono>
#include <mutex>

using namespace mlir;
using namespace mlir::compress::runtime;
namespace calibration = mlir::compress::calibration;
namespace npy = mlir::compress::npy;

/// The packed wrapper of an entry point: all arguments and the result
/// pointer in one array.
using PackedFunction = void (*)(void **);

struct Session::Impl {
  SessionOptions options;
  std::string name;
  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> diagnosticHandler;
  llvm::raw_ostream &diagnostics;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<SignatureTable> signatures;
  std::vector<std::string> observedKeys;
  std::unique_ptr<ExecutionEngine> engine;
  /// The module was lowered here by compress-to-llvm: its entry points never
  /// write into tensor arguments, which are passed without a copy.
  bool borrowTensorInputs = false;
  /// Guards entryPoints and idleFrames.
  std::mutex callMutex;
  /// The packed entry points looked up so far (one JIT symbol lookup per
  /// function, not per call).
  llvm::DenseMap<const Signature *, PackedFunction> entryPoints;

  /// The packed wrapper of `signature`'s function.
  llvm::Expected<PackedFunction> entryPoint(const Signature &signature) {
    std::lock_guard<std::mutex> lock(callMutex);
    auto it = entryPoints.find(&signature);
    if (it != entryPoints.end())
      return it->second;
    auto function = engine->lookupPacked(signature.symbol());
    if (!function)
      return function.takeError();
    entryPoints[&signature] = *function;
    return *function;
  }

  /// One idle call frame per function, reused by call(): its argument
  /// buffers stay allocated between calls.
  llvm::DenseMap<const Signature *, std::unique_ptr<CallFrame>> idleFrames;

  /// An idle frame of `signature`, or a new one.
  std::unique_ptr<CallFrame> takeFrame(const Signature &signature) {
    {
      std::lock_guard<std::mutex> lock(callMutex);
      auto it = idleFrames.find(&signature);
      if (it != idleFrames.end() && it->second)
        return std::move(it->second);
    }
    return std::make_unique<CallFrame>(signature, borrowTensorInputs);
  }

  /// Keeps `frame` for the next call (one per function; concurrent callers
  /// beyond the first use their own).
  void returnFrame(const Signature &signature,
                   std::unique_ptr<CallFrame> frame) {
    frame->freeResults();
    std::lock_guard<std::mutex> lock(callMutex);
    std::unique_ptr<CallFrame> &slot = idleFrames[&signature];
    if (!slot)
      slot = std::move(frame);
  }

  Impl(const DialectRegistry &registry, llvm::raw_ostream &diagnostics)
      : context(registry), diagnostics(diagnostics) {}
};

/// Registers the compress pipelines (for parsing "compress-to-llvm{...}")
/// and the native target once per process.
static void initializeProcess() {
  static std::once_flag once;
  std::call_once(once, [] {
    mlir::compress::registerAllPasses();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// Every dialect, extension and LLVM translation the runtime may meet.
static DialectRegistry makeRegistry() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  mlir::compress::registerAllDialects(registry);
  return registry;
}

Session::Session(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Session::~Session() = default;

llvm::Expected<std::unique_ptr<Session>>
Session::parse(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name,
               llvm::raw_ostream &diagnostics, const SessionOptions &options) {
  initializeProcess();
  auto impl = std::make_unique<Impl>(makeRegistry(), diagnostics);
  impl->options = options;
  impl->name = name.str();
  impl->context.loadAllAvailableDialects();
  impl->sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  impl->diagnosticHandler = std::make_unique<SourceMgrDiagnosticHandler>(
      impl->sourceMgr, &impl->context, diagnostics);
  impl->module = parseSourceFile<ModuleOp>(impl->sourceMgr, &impl->context);
  if (!impl->module)
    return makeError(ErrorCode::CompileFailed, "cannot parse '" + name + "'");
  impl->signatures =
      std::make_unique<SignatureTable>(*impl->module, name, options.client);
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

/// Reads the module file `path`: standard input for "-", else a regular
/// file (a device or FIFO would be read without end).
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readModuleFile(llvm::StringRef path) {
  if (path == "-") {
    std::string errorMessage;
    std::unique_ptr<llvm::MemoryBuffer> buffer =
        openInputFile(path, &errorMessage);
    if (!buffer)
      return makeError(ErrorCode::IOError, errorMessage);
    return buffer;
  }
  auto cannotOpen = [&](const llvm::Twine &reason) {
    return makeError(ErrorCode::IOError,
                     "cannot open input file '" + path + "': " + reason);
  };
  llvm::Expected<mlir::compress::RegularFile> file =
      mlir::compress::RegularFile::open(path);
  if (!file)
    return cannotOpen(llvm::toString(file.takeError()));
  std::unique_ptr<llvm::WritableMemoryBuffer> buffer =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(file->size(), path);
  if (!buffer)
    return makeError(ErrorCode::OutOfMemory, "cannot allocate " +
                                                 llvm::Twine(file->size()) +
                                                 " bytes for '" + path + "'");
  if (llvm::Error error = file->readExactly(buffer->getBuffer()))
    return cannotOpen(llvm::toString(std::move(error)));
  return std::move(buffer);
}

llvm::Expected<std::unique_ptr<Session>>
Session::parseFile(llvm::StringRef path, llvm::raw_ostream &diagnostics,
                   const SessionOptions &options) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readModuleFile(path);
  if (!buffer)
    return buffer.takeError();
  return parse(std::move(*buffer), path, diagnostics, options);
}

llvm::Expected<std::unique_ptr<Session>>
Session::parseString(llvm::StringRef text, llvm::StringRef name,
                     llvm::raw_ostream &diagnostics,
                     const SessionOptions &options) {
  return parse(llvm::MemoryBuffer::getMemBufferCopy(text, name), name,
               diagnostics, options);
}

llvm::StringRef Session::name() const { return impl->name; }

llvm::Expected<const Signature &>
Session::lookup(llvm::StringRef function) const {
  return impl->signatures->lookup(function);
}

bool Session::isCompiled() const { return impl->engine != nullptr; }

llvm::ArrayRef<std::string> Session::observedKeys() const {
  return impl->observedKeys;
}

/// True when every op of the module already is in the LLVM dialect.
static bool isLLVMDialectOnly(ModuleOp module) {
  bool onlyLLVM = true;
  module.walk([&](Operation *op) {
    if (op == module.getOperation())
      return WalkResult::advance();
    if (!isa<LLVM::LLVMDialect>(op->getDialect())) {
      onlyLLVM = false;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return onlyLLVM;
}

/// Lowers `module` with compress-to-llvm{`pipelineOptions`}.
static llvm::Error lower(Session::Impl &impl, llvm::StringRef pipelineOptions) {
  PassManager pm(&impl.context);
  std::string pipeline = "compress-to-llvm";
  if (!pipelineOptions.empty())
    pipeline += "{" + pipelineOptions.str() + "}";
  if (failed(parsePassPipeline(pipeline, pm, impl.diagnostics)))
    return makeError(ErrorCode::InvalidArgument,
                     "invalid " + impl.options.pipelineOptionsName + " '" +
                         pipelineOptions + "'");
  if (failed(pm.run(*impl.module)))
    return makeError(ErrorCode::CompileFailed,
                     "lowering '" + impl.name + "' to LLVM failed");
  return llvm::Error::success();
}

/// Makes the calibration entry points visible to the JIT-compiled code.
static void registerRuntimeSymbols(ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("_mlir_ciface_compress_observe_range",
        reinterpret_cast<void *>(&_mlir_ciface_compress_observe_range));
    add("_mlir_ciface_compress_observe_gram",
        reinterpret_cast<void *>(&_mlir_ciface_compress_observe_gram));
    return symbols;
  });
}

llvm::Error Session::compile(const CompileOptions &options) {
  if (impl->engine || !impl->module)
    return makeError(ErrorCode::InvalidArgument,
                     "'" + impl->name + "' is compiled already");
  if (options.optLevel > 3)
    return makeError(ErrorCode::InvalidArgument,
                     "the optimization level must be 0, 1, 2 or 3, not " +
                         llvm::Twine(options.optLevel));
  if (!isLLVMDialectOnly(*impl->module)) {
    if (llvm::Error error = lower(*impl, options.pipelineOptions))
      return error;
    impl->borrowTensorInputs = true;
  }
  if (options.printLoweredIR)
    impl->module->print(*options.printLoweredIR);
  if (auto keys =
          (*impl->module)
              ->getAttrOfType<ArrayAttr>(mlir::compress::kObserveKeysAttr))
    for (Attribute key : keys)
      if (auto string = dyn_cast<StringAttr>(key))
        impl->observedKeys.push_back(string.getValue().str());

  llvm::SmallVector<std::string> libs(options.sharedLibs.begin(),
                                      options.sharedLibs.end());
  if (libs.empty()) {
    libs.push_back(COMPRESS_MLIR_RUNNER_UTILS);
    libs.push_back(COMPRESS_MLIR_C_RUNNER_UTILS);
    libs.push_back(COMPRESS_OMP_LIBRARY);
  }
  llvm::SmallVector<llvm::StringRef> libRefs(libs.begin(), libs.end());
  // The IR passes see the host's target machine (its cost model: loop
  // strength reduction, unrolling and instruction selection hints follow
  // each function's target-cpu); without one they tune for a generic
  // target, which made the sparse kernels 12% slower.
  auto hostBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostBuilder)
    return makeError(ErrorCode::CompileFailed,
                     "cannot describe the host for the JIT: " +
                         llvm::toString(hostBuilder.takeError()));
  hostBuilder->setCodeGenOptLevel(
      static_cast<llvm::CodeGenOptLevel>(options.optLevel));
  auto hostMachine = hostBuilder->createTargetMachine();
  if (!hostMachine)
    return makeError(ErrorCode::CompileFailed,
                     "cannot create the host's target machine: " +
                         llvm::toString(hostMachine.takeError()));
  auto transformer = makeOptimizingTransformer(
      options.optLevel, /*sizeLevel=*/0, hostMachine->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(options.optLevel);
  engineOptions.sharedLibPaths = libRefs;
  auto engine = ExecutionEngine::create(*impl->module, engineOptions);
  if (!engine)
    return makeError(ErrorCode::CompileFailed,
                     "JIT compilation failed: " +
                         llvm::toString(engine.takeError()));
  registerRuntimeSymbols(**engine);
  // Run global constructors now, not racing in the first calls.
  (*engine)->initialize();
  impl->engine = std::move(*engine);
  // The JIT holds its own copy of the code: the module (with its weights)
  // is not needed any more. Types in signatures live in the context.
  impl->module = nullptr;
  return llvm::Error::success();
}

llvm::Error
mlir::compress::runtime::checkInputs(const Signature &signature,
                                     llvm::ArrayRef<ArrayView> inputs) {
  if (inputs.size() != signature.args.size())
    return makeError(ErrorCode::InvalidArgument,
                     "'@" + signature.name + "' takes " +
                         llvm::Twine(signature.args.size()) +
                         " argument(s) but " + llvm::Twine(inputs.size()) +
                         " were given");
  for (auto [i, slot] : llvm::enumerate(signature.args))
    if (llvm::Error error =
            checkArgument(slot, inputs[i].dtype, inputs[i].shape,
                          "argument #" + llvm::Twine(i), signature.name))
      return error;
  return llvm::Error::success();
}

/// Checks that the session is compiled and `inputs` fit `signature`.
static llvm::Error checkCall(const Session::Impl &impl,
                             const Signature &signature,
                             llvm::ArrayRef<ArrayView> inputs) {
  if (!impl.engine)
    return makeError(ErrorCode::InvalidArgument,
                     "'" + impl.name + "' is not compiled");
  return checkInputs(signature, inputs);
}

/// Invokes the function of `frame` once.
static llvm::Error invoke(Session::Impl &impl, const Signature &signature,
                          CallFrame &frame) {
  llvm::Expected<PackedFunction> function = impl.entryPoint(signature);
  if (!function)
    return makeError(ErrorCode::CallFailed,
                     "calling '@" + signature.name +
                         "' failed: " + llvm::toString(function.takeError()));
  (*function)(frame.packedArgs().data());
  return llvm::Error::success();
}

llvm::Expected<std::vector<npy::Array>>
Session::call(const Signature &signature, llvm::ArrayRef<ArrayView> inputs,
              calibration::Recorder *recorder) const {
  if (llvm::Error error = checkCall(*impl, signature, inputs))
    return std::move(error);
  std::unique_ptr<CallFrame> frame = impl->takeFrame(signature);
  if (llvm::Error error = frame->bind(inputs))
    return std::move(error);
  frame->restoreInputs();
  {
    calibration::RecordingScope scope(recorder);
    if (llvm::Error error = invoke(*impl, signature, *frame))
      return std::move(error);
  }
  if (recorder)
    recorder->addBatch();
  llvm::Expected<std::vector<npy::Array>> results = frame->readResults();
  impl->returnFrame(signature, std::move(frame));
  return results;
}

PreparedCall::PreparedCall(const Signature &signature,
                           void (*function)(void **),
                           std::unique_ptr<CallFrame> frame,
                           std::vector<std::vector<int64_t>> shapes,
                           std::vector<uint64_t> inputBytes)
    : calledSignature(&signature), function(function), frame(std::move(frame)),
      shapes(std::move(shapes)), inputBytes(std::move(inputBytes)) {}

PreparedCall::~PreparedCall() = default;

llvm::Expected<std::unique_ptr<PreparedCall>>
Session::prepare(const Signature &signature,
                 llvm::ArrayRef<ArrayView> inputs) const {
  if (llvm::Error error = checkCall(*impl, signature, inputs))
    return std::move(error);
  llvm::Expected<PackedFunction> function = impl->entryPoint(signature);
  if (!function)
    return makeError(ErrorCode::CallFailed,
                     "calling '@" + signature.name +
                         "' failed: " + llvm::toString(function.takeError()));
  // Bind to placeholder data: arrays are borrowed when their slots allow it
  // (run() checks each pointer's alignment) and scalars read from zeros.
  // The frame keeps the views: their shapes are the prepared call's own.
  static const int64_t zero = 0;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<ArrayView> placeholders(inputs.begin(), inputs.end());
  std::vector<uint64_t> inputBytes;
  for (auto [view, slot] : llvm::zip_equal(placeholders, signature.args)) {
    shapes.emplace_back(view.shape.begin(), view.shape.end());
    view.shape = shapes.back();
    view.data = slot.isShaped() ? nullptr : &zero;
    llvm::Expected<uint64_t> bytes = npy::byteSize(view.dtype, view.shape);
    if (!bytes)
      return bytes.takeError();
    inputBytes.push_back(*bytes);
  }
  auto frame = std::make_unique<CallFrame>(signature, impl->borrowTensorInputs);
  if (llvm::Error error = frame->bind(placeholders))
    return std::move(error);
  return std::unique_ptr<PreparedCall>(
      new PreparedCall(signature, *function, std::move(frame),
                       std::move(shapes), std::move(inputBytes)));
}

llvm::Error PreparedCall::run(const void *const *data,
                              CallFrame::ResultAllocator allocate,
                              calibration::Recorder *recorder) {
  for (auto [i, bytes] : llvm::enumerate(inputBytes))
    if (!data[i] && bytes != 0)
      return makeError(ErrorCode::InvalidArgument,
                       "argument #" + llvm::Twine(i) + " has " +
                           llvm::Twine(bytes) +
                           " bytes of data but its data pointer is NULL");
  if (llvm::Error error = frame->rebind(data))
    return error;
  frame->restoreInputs();
  // Without a recorder there is no scope to open: observations are dropped
  // outside scopes anyway, and the scope's thread-local state is one more
  // cold page per call.
  auto start = std::chrono::steady_clock::now();
  if (recorder) {
    calibration::RecordingScope scope(recorder);
    function(frame->packedArgs().data());
  } else {
    function(frame->packedArgs().data());
  }
  auto stop = std::chrono::steady_clock::now();
  lastMs = std::chrono::duration<double, std::milli>(stop - start).count();
  if (recorder)
    recorder->addBatch();
  llvm::Error error = frame->copyResults(allocate);
  frame->freeResults();
  return error;
}

llvm::Expected<Timing>
Session::time(const Signature &signature, llvm::ArrayRef<ArrayView> inputs,
              uint64_t repeat, std::vector<npy::Array> *lastResults) const {
  if (repeat < 1 || repeat > kMaxRepeat)
    return makeError(ErrorCode::InvalidArgument,
                     "the repeat count must be between 1 and " +
                         llvm::Twine(kMaxRepeat) + ", not " +
                         llvm::Twine(repeat));
  if (llvm::Error error = checkCall(*impl, signature, inputs))
    return std::move(error);
  CallFrame frame(signature, impl->borrowTensorInputs);
  if (llvm::Error error = frame.bind(inputs))
    return std::move(error);

  // The first call warms caches and is not timed.
  std::vector<double> times;
  times.reserve(repeat);
  for (uint64_t call = 0; call <= repeat; ++call) {
    frame.freeResults();
    frame.restoreInputs();
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error error = invoke(*impl, signature, frame))
      return std::move(error);
    auto stop = std::chrono::steady_clock::now();
    if (call > 0)
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  if (lastResults) {
    llvm::Expected<std::vector<npy::Array>> results = frame.readResults();
    if (!results)
      return results.takeError();
    *lastResults = std::move(*results);
  }

  std::sort(times.begin(), times.end());
  size_t n = times.size();
  Timing timing;
  timing.medianMs =
      n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2.0;
  timing.minMs = times.front();
  timing.runs = n;
  return timing;
}
