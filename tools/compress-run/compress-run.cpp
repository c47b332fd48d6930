//===- compress-run.cpp - JIT-execute a function of an MLIR module --------===//
//
// compress-run FILE.mlir -e FUNC [--input a.npy ...] [--output out.npy ...]
//                                [--repeat N] [--calibration-out calib.json]
//
// Parses a module at any level (tensor, memref or LLVM dialect), lowers it
// with compress-to-llvm when needed, JIT-compiles it and calls FUNC through its
// C interface with arguments read from .npy files. Results are printed or
// written to .npy files; with --repeat the call is timed. With
// --calibration-out, the function (instrumented by compress-instrument) is
// called once per group of inputs and the recorded statistics are written.
//
//===----------------------------------------------------------------------===//

#include "Calibration.h"
#include "Npy.h"

#include "compress/Conversion/CompressToLinalg/CompressToLinalg.h"
#include "compress/InitAll.h"
#include "compress/Pipelines/Pipelines.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace mlir;
namespace npy = mlir::compress::npy;

namespace {
namespace cl = llvm::cl;

cl::OptionCategory category("compress-run options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<input.mlir>"),
                                   cl::init("-"), cl::cat(category));
cl::opt<std::string> entryPoint("e", cl::desc("Function to call"),
                                cl::value_desc("name"), cl::Required,
                                cl::cat(category));
cl::alias entryPointLong("entry-point", cl::desc("Alias for -e"),
                         cl::aliasopt(entryPoint));
cl::list<std::string> inputFiles("input",
                                 cl::desc("A .npy file per function argument, "
                                          "in order"),
                                 cl::value_desc("file.npy"), cl::cat(category));
cl::list<std::string> outputFiles(
    "output",
    cl::desc("Write the results to .npy files instead of printing them (one "
             "per result, in order)"),
    cl::value_desc("file.npy"), cl::cat(category));
cl::opt<unsigned> repeat("repeat",
                         cl::desc("Call the function N times and report the "
                                  "median and minimum time of one call"),
                         cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::opt<std::string> pipelineOptions(
    "compress-to-llvm-options",
    cl::desc("Options for the compress-to-llvm pipeline, e.g. 'cpu=znver4'"),
    cl::init(""), cl::cat(category));
cl::list<std::string>
    sharedLibs("shared-libs",
               cl::desc("Libraries to load into the JIT (default: MLIR's "
                        "runner utilities and the OpenMP runtime)"),
               cl::CommaSeparated, cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::init(2), cl::Prefix, cl::cat(category));
cl::opt<std::string> calibrationOut(
    "calibration-out",
    cl::desc("Calibrate: call the function once per group of --input files "
             "(one file per argument, groups in order) and write the "
             "statistics recorded by its compress.observe ops to this JSON "
             "file"),
    cl::value_desc("file.json"), cl::init(""), cl::cat(category));
cl::opt<bool> printIR("print-lowered-ir",
                      cl::desc("Print the module after compress-to-llvm"),
                      cl::init(false), cl::cat(category));

/// Prints "compress-run: error: MESSAGE" and returns the exit code 1.
int fail(const llvm::Twine &message) {
  llvm::errs() << "compress-run: error: " << message << "\n";
  return 1;
}

//===----------------------------------------------------------------------===//
// Types and memref descriptors
//===----------------------------------------------------------------------===//

/// The .npy dtype that corresponds to an MLIR element type, if any.
std::optional<npy::DType> dtypeFor(Type type) {
  npy::DType dtype;
  if (type.isF32() || type.isF16() || type.isF64()) {
    dtype.kind = npy::Kind::Float;
    dtype.bytes = type.getIntOrFloatBitWidth() / 8;
    return dtype;
  }
  if (type.isIndex()) {
    dtype.kind = npy::Kind::SignedInt;
    dtype.bytes = 8;
    return dtype;
  }
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  unsigned width = intType.getWidth();
  if (width == 1) {
    dtype.kind = npy::Kind::Bool;
    dtype.bytes = 1;
    return dtype;
  }
  if (width != 8 && width != 16 && width != 32 && width != 64)
    return std::nullopt;
  dtype.kind =
      intType.isUnsigned() ? npy::Kind::UnsignedInt : npy::Kind::SignedInt;
  dtype.bytes = width / 8;
  return dtype;
}

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// An argument or result of the called function as the C interface sees it:
/// either a ranked memref (passed as a pointer to a descriptor) or a scalar.
struct Slot {
  Type type;         // tensor/memref or scalar type before lowering
  Type elementType;  // element type (the scalar type for scalars)
  int64_t rank = -1; // -1 for scalars
  npy::DType dtype;  // matching .npy dtype
  bool isShaped() const { return rank >= 0; }
  /// Bytes of the LLVM struct holding this slot (descriptor or scalar).
  size_t sizeInBytes() const {
    if (isShaped())
      return sizeof(int64_t) * (3 + 2 * rank);
    return elementType.isInteger(1) ? 1 : dtype.bytes;
  }
  size_t alignment() const {
    return isShaped() ? alignof(int64_t) : std::max<size_t>(1, sizeInBytes());
  }
};

/// Classifies one function argument or result type.
llvm::Expected<Slot> classify(Type type, StringRef what) {
  Slot slot;
  slot.type = type;
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!isa<RankedTensorType, MemRefType>(type) || !shaped.hasRank())
      return llvm::createStringError(
          what + " has unsupported type " + typeString(type) +
          " (only ranked tensors, memrefs and scalars)");
    if (auto memref = dyn_cast<MemRefType>(type);
        memref && !memref.getLayout().isIdentity())
      return llvm::createStringError(
          what + " has a non-identity layout: " + typeString(type));
    slot.elementType = shaped.getElementType();
    slot.rank = shaped.getRank();
  } else if (type.isIntOrIndexOrFloat()) {
    slot.elementType = type;
  } else {
    return llvm::createStringError(what + " has unsupported type " +
                                   typeString(type));
  }
  auto dtype = dtypeFor(slot.elementType);
  if (!dtype)
    return llvm::createStringError(what + " has element type " +
                                   typeString(slot.elementType) +
                                   ", which has no .npy equivalent");
  slot.dtype = *dtype;
  return slot;
}

/// Memory aligned for vector loads, freed with std::free.
struct AlignedBuffer {
  void *ptr = nullptr;
  explicit AlignedBuffer(size_t bytes) {
    size_t rounded = std::max<size_t>(64, (bytes + 63) / 64 * 64);
    ptr = std::aligned_alloc(64, rounded);
    std::memset(ptr, 0, rounded);
  }
  ~AlignedBuffer() { std::free(ptr); }
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
};

/// Fills a ranked memref descriptor {allocated, aligned, offset, sizes,
/// strides} for contiguous data.
void fillDescriptor(int64_t *desc, void *data, ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  desc[0] = reinterpret_cast<int64_t>(data);
  desc[1] = reinterpret_cast<int64_t>(data);
  desc[2] = 0;
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    desc[3 + i] = shape[i];
    desc[3 + rank + i] = stride;
    stride *= shape[i];
  }
}

//===----------------------------------------------------------------------===//
// Printing results
//===----------------------------------------------------------------------===//

/// Formats element `index` of `data` (of element type `type`) as text.
std::string formatElement(const char *data, int64_t index, Type type,
                          const npy::DType &dtype) {
  const char *p = data + index * dtype.bytes;
  std::string s;
  llvm::raw_string_ostream os(s);
  if (type.isF32()) {
    float v;
    std::memcpy(&v, p, 4);
    os << llvm::format("%g", v);
  } else if (type.isF64()) {
    double v;
    std::memcpy(&v, p, 8);
    os << llvm::format("%g", v);
  } else if (type.isF16()) {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    llvm::APFloat v(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
    os << llvm::format("%g", v.convertToFloat());
  } else if (dtype.kind == npy::Kind::Bool) {
    os << (*p ? "true" : "false");
  } else {
    int64_t v = 0;
    uint64_t u = 0;
    switch (dtype.bytes) {
    case 1:
      v = *reinterpret_cast<const int8_t *>(p);
      u = *reinterpret_cast<const uint8_t *>(p);
      break;
    case 2:
      v = *reinterpret_cast<const int16_t *>(p);
      u = *reinterpret_cast<const uint16_t *>(p);
      break;
    case 4:
      v = *reinterpret_cast<const int32_t *>(p);
      u = *reinterpret_cast<const uint32_t *>(p);
      break;
    default:
      std::memcpy(&v, p, 8);
      std::memcpy(&u, p, 8);
      break;
    }
    if (dtype.kind == npy::Kind::UnsignedInt)
      os << u;
    else
      os << v;
  }
  return s;
}

/// Prints a C-ordered array with NumPy-like nesting.
void printArray(llvm::raw_ostream &os, const char *data,
                ArrayRef<int64_t> shape, Type elementType,
                const npy::DType &dtype, int64_t &index, unsigned depth) {
  if (depth == shape.size()) {
    os << formatElement(data, index++, elementType, dtype);
    return;
  }
  os << "[";
  for (int64_t i = 0; i < shape[depth]; ++i) {
    if (i > 0) {
      os << ",";
      if (depth + 1 == shape.size())
        os << " ";
      else
        os << "\n" << std::string(depth + 1, ' ');
    }
    printArray(os, data, shape, elementType, dtype, index, depth + 1);
  }
  os << "]";
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

/// True when every op of the module already is in the LLVM dialect.
bool isLLVMDialectOnly(ModuleOp module) {
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

int run() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  mlir::compress::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  llvm::SourceMgr sourceMgr;
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file)
    return fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFilename + "'");

  // Find the entry function and its signature before lowering.
  SmallVector<Slot> args, results;
  bool llvmEntry = false;
  if (auto func = module->lookupSymbol<func::FuncOp>(entryPoint)) {
    if (func.isExternal())
      return fail("function '@" + entryPoint + "' has no body");
    if (!func.isPublic())
      return fail("function '@" + entryPoint +
                  "' is private; compress-run calls public functions");
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      auto slot = classify(type, "argument #" + std::to_string(i));
      if (!slot)
        return fail(llvm::toString(slot.takeError()));
      args.push_back(*slot);
    }
    for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
      auto slot = classify(type, "result #" + std::to_string(i));
      if (!slot)
        return fail(llvm::toString(slot.takeError()));
      results.push_back(*slot);
    }
  } else if (auto llvmFunc =
                 module->lookupSymbol<LLVM::LLVMFuncOp>(entryPoint)) {
    if (llvmFunc.isExternal())
      return fail("function '@" + entryPoint + "' has no body");
    if (llvmFunc.getNumArguments() != 0 ||
        !isa<LLVM::LLVMVoidType>(llvmFunc.getFunctionType().getReturnType()))
      return fail("LLVM-dialect function '@" + entryPoint +
                  "' takes arguments or returns values; compress-run calls "
                  "such functions only from IR above the LLVM dialect");
    llvmEntry = true;
  } else {
    return fail("function '@" + entryPoint + "' not found in '" +
                inputFilename + "'");
  }

  if (optLevel > 3)
    return fail("-O must be 0, 1, 2 or 3");
  bool calibrating = !calibrationOut.empty();
  size_t groups = 1;
  if (calibrating) {
    if (repeat > 0)
      return fail("--repeat cannot be combined with --calibration-out");
    if (args.empty() || inputFiles.empty() ||
        inputFiles.size() % args.size() != 0)
      return fail("--calibration-out needs one or more groups of " +
                  llvm::Twine(args.size()) +
                  " --input file(s) (one per "
                  "argument of '@" +
                  entryPoint + "'), got " + llvm::Twine(inputFiles.size()));
    groups = inputFiles.size() / args.size();
  } else if (inputFiles.size() != args.size()) {
    return fail("'@" + entryPoint + "' takes " + llvm::Twine(args.size()) +
                " argument(s) but " + llvm::Twine(inputFiles.size()) +
                " --input file(s) were given");
  }
  if (!outputFiles.empty() && outputFiles.size() != results.size())
    return fail("'@" + entryPoint + "' returns " + llvm::Twine(results.size()) +
                " result(s) but " + llvm::Twine(outputFiles.size()) +
                " --output file(s) were given");

  // Reads and checks input group `group` (one .npy file per argument).
  auto readGroup =
      [&](size_t group) -> llvm::Expected<std::vector<npy::Array>> {
    std::vector<npy::Array> arrays;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string &path = inputFiles[group * args.size() + i];
      auto array = npy::read(path);
      if (!array)
        return array.takeError();
      const Slot &slot = args[i];
      std::string where = "input #" + std::to_string(group * args.size() + i) +
                          " ('" + path + "')";
      auto error = [](const std::string &message) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
      };
      if (array->dtype != slot.dtype)
        return error(where + " has dtype " + array->dtype.name() + " but '@" +
                     entryPoint + "' expects " + slot.dtype.name() + " for " +
                     typeString(slot.type));
      if (!slot.isShaped()) {
        if (array->numElements() != 1 || array->shape.size() > 1)
          return error(where + " must hold a single value for scalar type " +
                       typeString(slot.type));
      } else {
        auto shaped = cast<ShapedType>(slot.type);
        bool matches = static_cast<int64_t>(array->shape.size()) == slot.rank;
        for (int64_t d = 0; matches && d < slot.rank; ++d)
          matches =
              shaped.isDynamicDim(d) || shaped.getDimSize(d) == array->shape[d];
        if (!matches) {
          std::string shape;
          for (int64_t d : array->shape)
            shape += (shape.empty() ? "" : "x") + std::to_string(d);
          return error(where + " has shape [" + shape + "] but '@" +
                       entryPoint + "' expects " + typeString(slot.type));
        }
      }
      arrays.push_back(std::move(*array));
    }
    return arrays;
  };

  // Read and check the first inputs before the (slow) compilation; later
  // calibration groups are read one at a time, so memory stays bounded.
  auto firstGroup = readGroup(0);
  if (!firstGroup)
    return fail(llvm::toString(firstGroup.takeError()));
  std::vector<npy::Array> inputs = std::move(*firstGroup);

  // Lower to the LLVM dialect unless the module already is there.
  if (!isLLVMDialectOnly(*module)) {
    PassManager pm(&context);
    std::string pipeline = "compress-to-llvm";
    if (!pipelineOptions.empty())
      pipeline += "{" + pipelineOptions + "}";
    if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
      return fail("invalid --compress-to-llvm-options '" + pipelineOptions +
                  "'");
    if (failed(pm.run(*module)))
      return fail("lowering '" + inputFilename + "' to LLVM failed");
  } else if (!llvmEntry) {
    return fail("internal: LLVM-only module with a func entry");
  }
  if (printIR)
    module->print(llvm::outs());

  // JIT-compile.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  SmallVector<std::string> libs(sharedLibs.begin(), sharedLibs.end());
  if (libs.empty()) {
    libs.push_back(COMPRESS_MLIR_RUNNER_UTILS);
    libs.push_back(COMPRESS_MLIR_C_RUNNER_UTILS);
    libs.push_back(COMPRESS_OMP_LIBRARY);
  }
  SmallVector<StringRef> libRefs(libs.begin(), libs.end());
  auto transformer = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(optLevel.getValue());
  engineOptions.sharedLibPaths = libRefs;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return fail("JIT compilation failed: " +
                llvm::toString(engine.takeError()));

  // The calibration runtime: observers call back into this process.
  std::unique_ptr<::compress::calibration::Recorder> recorder;
  if (calibrating) {
    auto keys =
        (*module)->getAttrOfType<ArrayAttr>(mlir::compress::kObserveKeysAttr);
    if (!keys)
      return fail("--calibration-out: '" + inputFilename +
                  "' records nothing (no compress.observe ops; run "
                  "compress-opt --compress-instrument first)");
    std::vector<std::string> names;
    for (Attribute key : keys)
      names.push_back(cast<StringAttr>(key).getValue().str());
    recorder =
        std::make_unique<::compress::calibration::Recorder>(std::move(names));
  }
  ::compress::calibration::activeRecorder = recorder.get();
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
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

  // Build the packed argument list of the C interface wrapper.
  std::vector<std::unique_ptr<AlignedBuffer>> dataBuffers;
  std::vector<std::vector<int64_t>> descriptors(args.size());
  std::vector<void *> argPointers(args.size());
  std::vector<std::vector<char>> scalarArgs(args.size());
  SmallVector<void *> packed;

  // Results returned through a pointer: one memref result, or several.
  bool resultByPointer =
      results.size() > 1 || (results.size() == 1 && results[0].isShaped());
  std::vector<size_t> resultOffsets;
  size_t resultBytes = 0;
  for (const Slot &slot : results) {
    size_t align = slot.alignment();
    resultBytes = (resultBytes + align - 1) / align * align;
    resultOffsets.push_back(resultBytes);
    resultBytes += slot.sizeInBytes();
  }
  std::vector<int64_t> resultStorage((resultBytes + 7) / 8 + 1, 0);
  char *resultBase = reinterpret_cast<char *>(resultStorage.data());
  void *resultPointer = resultBase;

  // (Re)binds the arguments to `inputs`: buffers, descriptors, packed list.
  auto bindInputs = [&]() {
    dataBuffers.clear();
    packed.clear();
    if (resultByPointer)
      packed.push_back(&resultPointer);
    for (auto [i, slot] : llvm::enumerate(args)) {
      const npy::Array &array = inputs[i];
      if (slot.isShaped()) {
        dataBuffers.push_back(
            std::make_unique<AlignedBuffer>(array.data.size()));
        void *data = dataBuffers.back()->ptr;
        descriptors[i].assign(3 + 2 * slot.rank, 0);
        fillDescriptor(descriptors[i].data(), data, array.shape);
        argPointers[i] = descriptors[i].data();
        packed.push_back(&argPointers[i]);
      } else {
        scalarArgs[i].assign(array.data.begin(), array.data.end());
        scalarArgs[i].resize(8, 0);
        packed.push_back(scalarArgs[i].data());
      }
    }
    if (!resultByPointer && results.size() == 1)
      packed.push_back(resultBase);
  };
  bindInputs();

  // The callee may write into its arguments: every call starts from a fresh
  // copy of the inputs, made outside the timed region.
  auto copyInputs = [&]() {
    for (auto [i, slot] : llvm::enumerate(args))
      if (slot.isShaped() && !inputs[i].data.empty())
        std::memcpy(reinterpret_cast<void *>(descriptors[i][1]),
                    inputs[i].data.data(), inputs[i].data.size());
  };

  std::string callee =
      llvmEntry ? entryPoint.getValue() : "_mlir_ciface_" + entryPoint;
  // Results are owned by the caller: results of tensor functions are fresh
  // allocations (ownership-based deallocation clones anything else).
  // Memref-level functions may also return a global, whose descriptor has
  // the poison allocated pointer 0xdeadbeef, or one of their arguments; those
  // are not freed. Several results may share one allocation (`return %r,
  // %r`): each buffer is freed once.
  auto freeResults = [&]() {
    SmallVector<void *> freed = {reinterpret_cast<void *>(0xdeadbeef), nullptr};
    for (const auto &buffer : dataBuffers)
      freed.push_back(buffer->ptr);
    for (auto [i, slot] : llvm::enumerate(results)) {
      if (!slot.isShaped())
        continue;
      void *allocated;
      std::memcpy(&allocated, resultBase + resultOffsets[i], sizeof(void *));
      if (!llvm::is_contained(freed, allocated)) {
        std::free(allocated);
        freed.push_back(allocated);
      }
      std::memset(resultBase + resultOffsets[i], 0, slot.sizeInBytes());
    }
  };

  unsigned calls = calibrating ? static_cast<unsigned>(groups)
                               : std::max(1u, repeat.getValue());
  std::vector<double> times;
  for (unsigned call = 0; call < calls + (repeat > 0 ? 1 : 0); ++call) {
    if (call > 0)
      freeResults();
    if (calibrating && call > 0) {
      auto group = readGroup(call);
      if (!group)
        return fail(llvm::toString(group.takeError()));
      inputs = std::move(*group);
      bindInputs();
    }
    copyInputs();
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error error = (*engine)->invokePacked(callee, packed))
      return fail("calling '@" + entryPoint +
                  "' failed: " + llvm::toString(std::move(error)));
    auto stop = std::chrono::steady_clock::now();
    if (recorder)
      recorder->addBatch();
    // With --repeat, the first call warms caches and is not timed.
    if (repeat > 0 && call > 0)
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }

  // Print or write the results of the last call.
  int status = 0;
  for (auto [i, slot] : llvm::enumerate(results)) {
    npy::Array array;
    array.dtype = slot.dtype;
    const char *base = resultBase + resultOffsets[i];
    if (slot.isShaped()) {
      int64_t desc[3 + 2 * 8];
      if (slot.rank > 8) {
        status = fail("result #" + llvm::Twine(i) + " has rank above 8");
        continue;
      }
      std::memcpy(desc, base, slot.sizeInBytes());
      const char *aligned = reinterpret_cast<const char *>(desc[1]);
      int64_t offset = desc[2];
      array.shape.assign(desc + 3, desc + 3 + slot.rank);
      // Gather in C order honouring the returned strides.
      int64_t count = array.numElements();
      array.data.resize(count * slot.dtype.bytes);
      std::vector<int64_t> index(slot.rank, 0);
      for (int64_t n = 0; n < count; ++n) {
        int64_t linear = offset;
        for (int64_t d = 0; d < slot.rank; ++d)
          linear += index[d] * desc[3 + slot.rank + d];
        std::memcpy(array.data.data() + n * slot.dtype.bytes,
                    aligned + linear * slot.dtype.bytes, slot.dtype.bytes);
        for (int64_t d = slot.rank - 1; d >= 0; --d) {
          if (++index[d] < array.shape[d])
            break;
          index[d] = 0;
        }
      }
    } else {
      array.data.assign(base, base + slot.dtype.bytes);
    }
    if (!outputFiles.empty()) {
      if (llvm::Error error = npy::write(outputFiles[i], array))
        status = fail(llvm::toString(std::move(error)));
      continue;
    }
    llvm::outs() << "result #" << i << ": " << typeString(slot.type);
    if (slot.isShaped() && !cast<ShapedType>(slot.type).hasStaticShape()) {
      llvm::outs() << " (shape [";
      llvm::interleaveComma(array.shape, llvm::outs());
      llvm::outs() << "])";
    }
    llvm::outs() << "\n";
    int64_t index = 0;
    printArray(llvm::outs(), array.data.data(), array.shape, slot.elementType,
               slot.dtype, index, 0);
    llvm::outs() << "\n";
  }
  freeResults();

  if (recorder) {
    ::compress::calibration::activeRecorder = nullptr;
    if (llvm::Error error = recorder->write(calibrationOut))
      return fail(llvm::toString(std::move(error)));
  }

  if (repeat > 0) {
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    size_t n = sorted.size();
    double median =
        n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    llvm::outs() << llvm::format("@%s: median %.4f ms, min %.4f ms over %u "
                                 "runs\n",
                                 entryPoint.c_str(), median, sorted.front(),
                                 static_cast<unsigned>(n));
  }
  llvm::outs().flush();
  return status;
}

} // namespace

/// Compiled models malloc and free their intermediate tensors on every
/// call. glibc serves blocks of 128 KiB and more with fresh mmaps and gives
/// trimmed heap back to the kernel, so each call would page-fault (and
/// zero) every intermediate again: 25% of a 2 ms convolution. Like the
/// arenas of ONNX Runtime and PyTorch, keep freed memory in the process.
static void keepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's maximum
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  keepFreedMemory();
  registerAllPasses();
  mlir::compress::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "compress-run: JIT-compile an MLIR module and call one function\n");
  return run();
}
