//===- MlirFuzzer.cpp - Fuzz target: MLIR text through every pass ---------===//
//
// Parses an input as MLIR, verifies it, then runs each pass of the project
// (every pass of include/compress/{Compression,Codegen,Conversion}/
// Passes.td, compress-quantize with several option sets) on its own copy of
// the module, and on a quarter of the inputs (chosen by a hash of the
// input) one compress-to-llvm pipeline. Inputs that do not parse or verify
// are fine, and so is a pass that fails with an error. Everything else is a
// bug and aborts the process, so that the driver keeps the input:
//
// - a crash, assertion or sanitizer report;
// - a pass of the project that succeeds and leaves IR that does not verify
//   (the pass manager's own verifier is replaced by one that names the
//   pass); after an upstream pass that is an upstream finding, reported
//   through compressFuzzUpstreamInvalidIR;
// - a pass that fails without reporting an error, or that reports an error
//   and succeeds.
//
// mode=static reads a calibration file written for each input with an entry
// per compressible op, whose ranges (normal or degenerate ones) are chosen
// by a hash of the input.
//
// Inputs with a shaped type of more than 2^20 elements are skipped: the
// passes read constant weights into memory (a splat of 2^40 elements is a
// short text), and every input runs 24 pass configurations, each on a copy:
// in the sanitizer build one 4096 x 4096 weight (2^24 elements) takes about
// 90 s, over the driver's per-input time limit. Inputs whose shaped types
// add up to more than 2^22 elements are skipped for the same reason. The
// fuzzer looks for wrong behaviour, which small shapes show as well; the
// compile time of big layers is measured by the benchmarks.
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Compression/Compressible.h"
#include "compress/InitAll.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

using namespace mlir;

/// The largest number of elements of a shaped type in an input that runs,
/// and of all its shaped types together.
static constexpr int64_t kMaxElements = int64_t(1) << 20;
static constexpr int64_t kMaxTotalElements = int64_t(1) << 22;

/// Marks where the calibration file's path goes in a pipeline.
static constexpr llvm::StringLiteral kCalibration = "CALIBRATION";

/// One pass, with options, nested where it runs; every input runs each.
static const char *const kPasses[] = {
    // include/compress/Compression/Passes.td
    "func.func(compress-fold-batchnorm)",
    "compress-instrument",
    "compress-instrument{gram=false}",
    "compress-quantize",
    "compress-quantize{bits=4 granularity=per-group group-size=4}",
    "compress-quantize{bits=4 scheme=log2 granularity=per-tensor}",
    "compress-quantize{symmetric=false granularity=per-tensor}",
    "compress-quantize{mode=dynamic}",
    "compress-quantize{mode=static symmetric=false calibration=CALIBRATION}",
    "compress-quantize{mode=static calibration-method=entropy "
    "calibration=CALIBRATION}",
    "compress-quantize{float-type=bf16}",
    "compress-prune",
    "compress-prune{structure=n:m}",
    "compress-prune{structure=block block=1x4 sparsity=0.75}",
    "compress-prune{structure=channel sparsity=0.5}",
    "compress-prune{method=reconstruct calibration=CALIBRATION}",
    "compress-prune{structure=channel method=reconstruct "
    "calibration=CALIBRATION}",
    "compress-report{report=/dev/null}",
    // include/compress/Codegen/Passes.td
    "compress-align-globals",
    "func.func(compress-channels-last)",
    "func.func(compress-emit-c-interface)",
    "func.func(compress-fuse)",
    "func.func(compress-fuse-dequant)",
    "func.func(compress-parallelize)",
    "func.func(compress-sparsify{min-sparsity=0 min-block-sparsity=0})",
    "compress-set-target-cpu{cpu=znver4}",
    "func.func(compress-tile-and-vectorize{cpu=skylake-avx512})",
    "func.func(compress-tile-and-vectorize{cpu=x86-64-v3})",
    "func.func(compress-tile-and-vectorize{cpu=sapphirerapids "
    "emulate-bf16-dot=true})",
    // include/compress/Conversion/Passes.td
    "convert-compress-to-linalg",
    "convert-compress-to-llvm",
};

/// Whole pipelines; an input runs at most one (see runsPipeline).
static const char *const kPipelines[] = {
    "compress-to-llvm{cpu=skylake-avx512}",
    "compress-quantize,compress-to-llvm{cpu=x86-64-v3}",
    "compress-quantize{mode=dynamic},compress-to-llvm{cpu=sapphirerapids "
    "threads=2}",
    "compress-quantize{bits=4 granularity=per-group group-size=8},"
    "compress-to-llvm{cpu=znver4}",
};

static DialectRegistry *registry;
/// COMPRESS_FUZZ_VERBOSE=1 prints the diagnostics and each pipeline's
/// result.
static bool verbose;
static std::string *calibrationPath;

/// Inputs seen, inputs that parsed and verified, inputs that ran a pipeline,
/// and pass runs that succeeded and changed the IR (a check that the passes
/// do run).
static int64_t numInputs, numValid, numPipelines, numChanged;

/// Reports a bug found in the current input and aborts, so that the driver
/// saves the input. Not inlined and raising before the noreturn abort(), for
/// the reason given at compressFuzzUpstreamInvalidIR: otherwise the return
/// address on the stack could fall in the next function, and a call placed
/// just before that one would be taken for an upstream finding.
[[noreturn]] LLVM_ATTRIBUTE_NOINLINE static void
fail(const llvm::Twine &message) {
  llvm::errs() << "compress-fuzz-mlir: " << message << "\n";
  llvm::errs().flush();
  std::raise(SIGABRT);
  std::abort();
}

/// Reports that an upstream pass (not one of the project's) left IR that
/// does not verify, and aborts. scripts/fuzz.sh names this function with
/// -upstream_frame, so the driver keeps the input as an upstream finding
/// (in a compress-opt run the pass manager's verifier reports it as an
/// error) and goes on. Not static, so that its name is on the stack.
[[noreturn]] LLVM_ATTRIBUTE_NOINLINE void
compressFuzzUpstreamInvalidIR(const llvm::Twine &message) {
  llvm::errs() << "compress-fuzz-mlir: " << message << "\n";
  llvm::errs().flush();
  // raise() returns (to the compiler), so the return address on the stack
  // stays inside this function and the symbolizer names it; after the
  // noreturn abort() it would name the next function.
  std::raise(SIGABRT);
  std::abort();
}

/// True for a pass of the project (its own verifier failures are bugs).
static bool isOwnPass(const Pass *pass) {
  StringRef argument = pass->getArgument();
  return argument.starts_with("compress-") ||
         argument.starts_with("convert-compress-");
}

/// True if a shaped type anywhere in `module` has more than kMaxElements
/// elements, or all of them together more than kMaxTotalElements (dynamic
/// sizes count as 1).
static bool hasHugeShape(ModuleOp module) {
  bool huge = false;
  int64_t total = 0;
  auto check = [&](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasRank())
      return;
    int64_t count = 1;
    for (int64_t size : shaped.getShape()) {
      if (ShapedType::isDynamic(size) || size == 0)
        continue;
      if (size < 0 || count > kMaxElements / size) {
        huge = true;
        return;
      }
      count *= size;
    }
    total += count;
    if (total > kMaxTotalElements)
      huge = true;
  };
  module->walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      type.walk(check);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          argument.getType().walk(check);
    op->getAttrDictionary().walk(check);
  });
  return huge;
}

/// Writes the calibration store for `module`: one entry per compressible
/// op, with a range chosen from `hash` and the key, degenerate ones included
/// (the reader refuses inverted or infinite ones; their errors have tests of
/// their own).
static void writeCalibration(ModuleOp module, uint64_t hash) {
  std::vector<compress::calibration::TensorRecord> records;
  compress::forEachCompressibleOp(module, [&](linalg::LinalgOp, StringRef key) {
    uint64_t pick = (llvm::xxh3_64bits(key) ^ hash) % 12;
    double lo = -1.0 - double(pick % 3), hi = 1.0 + double(pick % 5);
    switch (pick) {
    case 0: // Never observed.
      lo = hi = 0;
      break;
    case 1: // Denormal.
      lo = 0;
      hi = 1e-40;
      break;
    case 2: // Overflowed.
      lo = -std::numeric_limits<float>::max();
      break;
    case 3: // Wider than a float.
      hi = 1e300;
      break;
    case 4: // Missing.
      return;
    case 5: // One value.
      lo = hi = 5;
      break;
    default:
      break;
    }
    compress::calibration::TensorRecord record;
    // A function name is any string; a key must be UTF-8 (the writer says so).
    record.key = llvm::json::fixUTF8(key);
    record.stats.count = 1;
    record.stats.min = lo;
    record.stats.max = hi;
    record.stats.ranges = {{"minmax", {lo, hi}}, {"entropy", {lo, hi}}};
    records.push_back(std::move(record));
  });
  if (llvm::Error error = compress::calibration::writeStore(
          *calibrationPath, /*batches=*/1, records,
          [](size_t, int64_t, MutableArrayRef<double>) {}))
    fail("cannot write the calibration file: " +
         llvm::toString(std::move(error)));
}

namespace {
/// Checks what the pass manager's verifier would, naming the pass, and that
/// a pass fails if and only if it reports an error.
class CheckingInstrumentation : public PassInstrumentation {
public:
  CheckingInstrumentation(const int64_t &errors, StringRef pipeline)
      : errors(errors), pipeline(pipeline) {}

  void runBeforePass(Pass *pass, Operation *op) override {
    errorsBefore.push_back(errors);
  }
  void runAfterPass(Pass *pass, Operation *op) override {
    int64_t before = errorsBefore.pop_back_val();
    if (errors != before)
      fail("pass '" + pass->getArgument() + "' (in '" + pipeline +
           "') reported an error and succeeded");
    if (failed(verify(op))) {
      std::string message = ("pass '" + pass->getArgument() + "' (in '" +
                             pipeline + "') produced IR that does not verify")
                                .str();
      if (!isOwnPass(pass))
        compressFuzzUpstreamInvalidIR(message + " (an upstream pass)");
      fail(message);
    }
  }
  void runAfterPassFailed(Pass *pass, Operation *op) override {
    int64_t before = errorsBefore.pop_back_val();
    if (errors == before)
      fail("pass '" + pass->getArgument() + "' (in '" + pipeline +
           "') failed without reporting an error");
  }

private:
  const int64_t &errors;
  std::string pipeline;
  SmallVector<int64_t> errorsBefore;
};
} // namespace

/// Runs `pipeline` (the passes of a builtin.module pass manager) on a copy of
/// `module`.
static void runPipeline(ModuleOp module, StringRef pipeline,
                        const int64_t &errors) {
  std::string text = pipeline.str();
  size_t marker = text.find(kCalibration.str());
  if (marker != std::string::npos)
    text.replace(marker, kCalibration.size(), *calibrationPath);
  // The text is added to the pass manager's own level: wrapped in
  // `builtin.module(...)` it would become a nested pipeline for modules
  // inside the module, and run on nothing.
  auto pm = PassManager::on<ModuleOp>(module->getContext());
  pm.enableVerifier(false);
  std::string parseErrors;
  llvm::raw_string_ostream errorStream(parseErrors);
  if (failed(parsePassPipeline(text, pm, errorStream)))
    fail("cannot parse the pipeline '" + text + "': " + parseErrors);
  pm.addInstrumentation(
      std::make_unique<CheckingInstrumentation>(errors, pipeline));
  OwningOpRef<ModuleOp> copy = module.clone();
  OperationFingerPrint before(*copy);
  auto start = std::chrono::steady_clock::now();
  LogicalResult result = pm.run(*copy);
  std::chrono::duration<double> seconds =
      std::chrono::steady_clock::now() - start;
  if (succeeded(result) && OperationFingerPrint(*copy) != before)
    ++numChanged;
  if (verbose) {
    llvm::errs() << "compress-fuzz-mlir: ";
    pm.printAsTextualPipeline(llvm::errs());
    llvm::errs() << ": " << (succeeded(result) ? "succeeded" : "failed")
                 << " in " << llvm::format("%.3f", seconds.count()) << " s\n";
  }
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  compress::registerAllPasses();
  verbose = std::getenv("COMPRESS_FUZZ_VERBOSE") != nullptr;
  registry = new DialectRegistry();
  registerAllDialects(*registry);
  registerAllExtensions(*registry);
  compress::registerAllDialects(*registry);
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("compress-fuzz-calibration", "json",
                                         path))
    fail("cannot create a temporary file");
  calibrationPath = new std::string(path.str());
  std::atexit([] {
    llvm::sys::fs::remove(*calibrationPath);
    llvm::errs() << "compress-fuzz-mlir: this runner: " << numInputs
                 << " inputs, " << numValid << " parsed and verified, "
                 << numPipelines << " ran a compress-to-llvm pipeline, "
                 << numChanged << " pass runs changed the IR\n";
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!registry)
    LLVMFuzzerInitialize(nullptr, nullptr);
  StringRef text(reinterpret_cast<const char *>(data), size);
  ++numInputs;
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  int64_t errors = 0;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    if (verbose)
      llvm::errs() << diagnostic.getLocation() << ": " << diagnostic << "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context), "input");
  if (!module || failed(verify(*module)) || hasHugeShape(*module))
    return 0;
  ++numValid;
  uint64_t hash = llvm::xxh3_64bits(text);
  writeCalibration(*module, hash);
  for (const char *pipeline : kPasses)
    runPipeline(*module, pipeline, errors);
  if (hash % 4 == 0) {
    ++numPipelines;
    runPipeline(*module, kPipelines[(hash / 4) % std::size(kPipelines)],
                errors);
  }
  return 0;
}
