//===- NpyFuzzer.cpp - Fuzz target: the .npy reader -----------------------===//
//
// Feeds an input to compress::npy::parse. A rejected file is fine as long as
// the error says why; an accepted one must have a tuple shape, hold exactly
// the bytes its shape and dtype need, and survive a round trip through
// npy::serialize and npy::parse unchanged (dtype, shape and data), as must its
// descriptor through npy::parseDescr. Anything else aborts, so that the driver
// keeps the input. Only the functions declared in Npy.h are used.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

using namespace mlir::compress;

/// Inputs seen and inputs accepted, printed at exit.
static int64_t numInputs, numAccepted;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  std::atexit([] {
    llvm::errs() << "compress-fuzz-npy: this runner: " << numInputs
                 << " inputs, " << numAccepted << " accepted\n";
  });
  return 0;
}

[[noreturn]] static void fail(const llvm::Twine &message) {
  llvm::errs() << "compress-fuzz-npy: " << message << "\n";
  llvm::errs().flush();
  std::abort();
}

/// True if the input has a `'shape'` whose value is not a tuple.
static bool hasNonTupleShape(llvm::StringRef bytes) {
  size_t pos = bytes.find("'shape'");
  if (pos == llvm::StringRef::npos)
    return false;
  llvm::StringRef rest = bytes.drop_front(pos + 7).ltrim();
  return rest.consume_front(":") && !rest.ltrim().starts_with("(");
}

/// Known bugs of the reader, skipped so that the fuzzer finds others
/// (COMPRESS_FUZZ_KNOWN_BUGS=1 runs them; test/Fuzz/npy-known-bugs.mlir
/// expects them to fail and passes once they are fixed):
/// - a `'shape'` that is not a tuple is read as a 0-d array (`'shape': 7,`),
///   and an empty one (`'shape': ,`) fails an assertion of
///   StringRef::drop_front in builds with assertions.
static bool hitsKnownBug(llvm::StringRef bytes) {
  static const bool runKnownBugs = std::getenv("COMPRESS_FUZZ_KNOWN_BUGS");
  return !runKnownBugs && hasNonTupleShape(bytes);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  ++numInputs;
  if (hitsKnownBug(bytes))
    return 0;
  llvm::Expected<npy::Array> array = npy::parse(bytes);
  if (!array) {
    if (llvm::toString(array.takeError()).empty())
      fail("a rejected file got an empty error message");
    return 0;
  }
  ++numAccepted;
  if (hasNonTupleShape(bytes))
    fail("a header whose 'shape' is not a tuple was accepted");
  uint64_t count = 1;
  for (int64_t size : array->shape) {
    if (size < 0)
      fail("negative size in an accepted shape");
    count *= static_cast<uint64_t>(size);
  }
  if (array->data.size() != count * array->dtype.bytes)
    fail("the data does not match the shape and dtype");
  if (static_cast<uint64_t>(array->numElements()) != count)
    fail("numElements() does not match the shape");

  llvm::Expected<npy::DType> descr = npy::parseDescr(array->dtype.descr());
  if (!descr)
    fail("the descriptor '" + array->dtype.descr() +
         "' of an accepted file does not parse: " +
         llvm::toString(descr.takeError()));
  if (*descr != array->dtype)
    fail("the descriptor '" + array->dtype.descr() + "' parses differently");
  if (array->dtype.name().empty())
    fail("an accepted dtype has no name");

  std::string serialized = npy::serialize(*array);
  llvm::Expected<npy::Array> again = npy::parse(serialized);
  if (!again)
    fail("a serialized array does not parse: " +
         llvm::toString(again.takeError()));
  if (again->dtype != array->dtype || again->shape != array->shape ||
      again->data != array->data)
    fail("a serialized array parses differently");
  return 0;
}
