//===- compress-run.cpp - JIT-execute a function of an MLIR module --------===//
//
// compress-run FILE.mlir -e FUNC [--input a.npy ...] [--output out.npy ...]
//                                [--repeat N] [--calibration-out calib.json]
//
// A command-line front end of the runtime library (compress/Runtime): parses
// a module at any level, lowers it with compress-to-llvm when needed,
// JIT-compiles it and calls FUNC with arguments read from .npy files.
// Results are printed or written to .npy files; with --repeat the call is
// timed. With --calibration-out, the function (instrumented by
// compress-instrument) is called once per group of inputs and the recorded
// statistics are written.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/ArrayPrinter.h"
#include "compress/Runtime/CalibrationRecorder.h"
#include "compress/Runtime/Npy.h"
#include "compress/Runtime/Session.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace mlir::compress;
using runtime::Session;
using runtime::Signature;

namespace cl = llvm::cl;

static cl::OptionCategory category("compress-run options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input.mlir>"),
                                          cl::init("-"), cl::cat(category));
static cl::opt<std::string> entryPoint("e", cl::desc("Function to call"),
                                       cl::value_desc("name"), cl::Required,
                                       cl::cat(category));
static cl::alias entryPointLong("entry-point", cl::desc("Alias for -e"),
                                cl::aliasopt(entryPoint));
static cl::list<std::string>
    inputFiles("input", cl::desc("A .npy file per function argument, in order"),
               cl::value_desc("file.npy"), cl::cat(category));
static cl::list<std::string> outputFiles(
    "output",
    cl::desc("Write the results to .npy files instead of printing them (one "
             "per result, in order)"),
    cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<unsigned>
    repeat("repeat",
           cl::desc("Call the function N times (at most 1000000) and report "
                    "the median and minimum time of one call"),
           cl::value_desc("N"), cl::init(0), cl::cat(category));
static cl::opt<std::string> pipelineOptions(
    "compress-to-llvm-options",
    cl::desc("Options for the compress-to-llvm pipeline, e.g. 'cpu=znver4'"),
    cl::init(""), cl::cat(category));
static cl::list<std::string>
    sharedLibs("shared-libs",
               cl::desc("Libraries to load into the JIT (default: MLIR's "
                        "runner utilities and the OpenMP runtime)"),
               cl::CommaSeparated, cl::cat(category));
static cl::opt<unsigned> optLevel("O",
                                  cl::desc("LLVM optimization level (0-3)"),
                                  cl::init(2), cl::Prefix, cl::cat(category));
static cl::opt<std::string> calibrationOut(
    "calibration-out",
    cl::desc("Calibrate: call the function once per group of --input files "
             "(one file per argument, groups in order) and write the "
             "statistics recorded by its compress.observe ops to this JSON "
             "file (Gram matrices go to a .gram directory beside it)"),
    cl::value_desc("file.json"), cl::init(""), cl::cat(category));
static cl::opt<bool>
    printIR("print-lowered-ir",
            cl::desc("Print the module after compress-to-llvm"),
            cl::init(false), cl::cat(category));

/// Prints "compress-run: error: MESSAGE" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "compress-run: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// Checks the options against the signature of the entry function and
/// returns the number of input groups (calls).
static llvm::Expected<size_t> checkOptions(const Signature &signature) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(message);
  };
  size_t numArgs = signature.args.size();
  if (optLevel > 3)
    return error("-O must be 0, 1, 2 or 3");
  if (repeat > runtime::kMaxRepeat)
    return error("--repeat must be at most " +
                 llvm::Twine(runtime::kMaxRepeat) + ", got " +
                 llvm::Twine(repeat));
  size_t groups = 1;
  if (!calibrationOut.empty()) {
    if (repeat > 0)
      return error("--repeat cannot be combined with --calibration-out");
    if (numArgs == 0 || inputFiles.empty() || inputFiles.size() % numArgs != 0)
      return error("--calibration-out needs one or more groups of " +
                   llvm::Twine(numArgs) +
                   " --input file(s) (one per argument of '@" + entryPoint +
                   "'), got " + llvm::Twine(inputFiles.size()));
    groups = inputFiles.size() / numArgs;
  } else if (inputFiles.size() != numArgs) {
    return error("'@" + entryPoint + "' takes " + llvm::Twine(numArgs) +
                 " argument(s) but " + llvm::Twine(inputFiles.size()) +
                 " --input file(s) were given");
  }
  size_t numResults = signature.results.size();
  if (!outputFiles.empty() && outputFiles.size() != numResults)
    return error("'@" + entryPoint + "' returns " + llvm::Twine(numResults) +
                 " result(s) but " + llvm::Twine(outputFiles.size()) +
                 " --output file(s) were given");
  return groups;
}

/// Reads and checks input group `group` (one .npy file per argument).
static llvm::Expected<std::vector<npy::Array>>
readGroup(const Signature &signature, size_t group) {
  std::vector<npy::Array> arrays;
  size_t numArgs = signature.args.size();
  for (size_t i = 0; i < numArgs; ++i) {
    size_t index = group * numArgs + i;
    const std::string &path = inputFiles[index];
    llvm::Expected<npy::Array> array = npy::read(path);
    if (!array)
      return array.takeError();
    if (llvm::Error error = runtime::checkArgument(
            signature.args[i], array->dtype, array->shape,
            "input #" + llvm::Twine(index) + " ('" + path + "')",
            signature.name))
      return std::move(error);
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

static std::vector<runtime::ArrayView>
viewsOf(const std::vector<npy::Array> &arrays) {
  std::vector<runtime::ArrayView> views;
  for (const npy::Array &array : arrays)
    views.push_back({array.dtype, array.shape, array.data.data()});
  return views;
}

/// Calls the entry once per input group, recording calibration statistics
/// into `recorder`; `inputs` holds the first group. The results of the last
/// call go to `results`.
static int calibrate(const Session &session, const Signature &signature,
                     std::vector<npy::Array> inputs, size_t groups,
                     calibration::Recorder &recorder,
                     std::vector<npy::Array> &results) {
  for (size_t group = 0; group < groups; ++group) {
    if (group > 0) {
      // Later groups are read one at a time, so memory stays bounded.
      llvm::Expected<std::vector<npy::Array>> next =
          readGroup(signature, group);
      if (!next)
        return fail(next.takeError());
      inputs = std::move(*next);
    }
    auto callResults = session.call(signature, viewsOf(inputs), &recorder);
    if (!callResults)
      return fail(callResults.takeError());
    results = std::move(*callResults);
  }
  return 0;
}

/// Prints the results or writes them to the --output files.
static int emitResults(const Signature &signature,
                       const std::vector<npy::Array> &results) {
  int status = 0;
  for (auto [i, array] : llvm::enumerate(results)) {
    if (!outputFiles.empty()) {
      if (llvm::Error error = npy::write(outputFiles[i], array))
        status = fail(std::move(error));
      continue;
    }
    const runtime::ValueSlot &slot = signature.results[i];
    llvm::outs() << "result #" << i << ": " << slot.typeString();
    if (slot.isShaped() && !slot.hasStaticShape()) {
      llvm::outs() << " (shape [";
      llvm::interleaveComma(array.shape, llvm::outs());
      llvm::outs() << "])";
    }
    llvm::outs() << "\n";
    runtime::printArray(llvm::outs(), array);
    llvm::outs() << "\n";
  }
  return status;
}

static int run() {
  auto session = Session::parseFile(inputFilename, llvm::errs());
  if (!session)
    return fail(session.takeError());
  auto signature = (*session)->lookup(entryPoint);
  if (!signature)
    return fail(signature.takeError());
  llvm::Expected<size_t> groups = checkOptions(*signature);
  if (!groups)
    return fail(groups.takeError());

  // Read and check the first inputs before the (slow) compilation.
  auto inputs = readGroup(*signature, 0);
  if (!inputs)
    return fail(inputs.takeError());

  runtime::CompileOptions options;
  options.pipelineOptions = pipelineOptions;
  options.optLevel = optLevel;
  options.sharedLibs.assign(sharedLibs.begin(), sharedLibs.end());
  options.printLoweredIR = printIR ? &llvm::outs() : nullptr;
  if (llvm::Error error = (*session)->compile(options))
    return fail(std::move(error));

  std::vector<npy::Array> results;
  std::optional<runtime::Timing> timing;
  std::unique_ptr<calibration::Recorder> recorder;
  if (!calibrationOut.empty()) {
    if ((*session)->observedKeys().empty())
      return fail("--calibration-out: '" + inputFilename +
                  "' records nothing (no compress.observe ops; run "
                  "compress-opt --compress-instrument first)");
    llvm::ArrayRef<std::string> keys = (*session)->observedKeys();
    recorder = std::make_unique<calibration::Recorder>(
        std::vector<std::string>(keys.begin(), keys.end()));
    if (int status = calibrate(**session, *signature, std::move(*inputs),
                               *groups, *recorder, results))
      return status;
  } else if (repeat > 0) {
    auto timed =
        (*session)->time(*signature, viewsOf(*inputs), repeat, &results);
    if (!timed)
      return fail(timed.takeError());
    timing = *timed;
  } else {
    auto called = (*session)->call(*signature, viewsOf(*inputs));
    if (!called)
      return fail(called.takeError());
    results = std::move(*called);
  }

  int status = emitResults(*signature, results);
  if (recorder)
    if (llvm::Error error = recorder->write(calibrationOut))
      return fail(std::move(error));
  if (timing)
    llvm::outs() << llvm::format("@%s: median %.4f ms, min %.4f ms over %u "
                                 "runs\n",
                                 entryPoint.c_str(), timing->medianMs,
                                 timing->minMs,
                                 static_cast<unsigned>(timing->runs));
  llvm::outs().flush();
  return status;
}

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
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "compress-run: JIT-compile an MLIR module and call one function\n");
  return run();
}
