//===- NpyFuzzer.cpp - Fuzz target: the .npy reader -----------------------===//
//
// Feeds an input, as a file, to compress::npy::read (the runtime's reader).
// A rejected file is fine as long as the error says why; an accepted one must
// have a tuple shape, hold exactly the bytes its shape and dtype need, and
// survive a round trip through npy::write and npy::read unchanged (dtype,
// shape and data), as must its descriptor through npy::parseDescr. Anything
// else aborts, so that the driver keeps the input. Only the functions declared
// in compress/Runtime/Npy.h are used.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/Npy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mlir::compress;

/// Inputs seen and inputs accepted, printed at exit.
static int64_t numInputs, numAccepted;
/// The files an input and its round trip are written to (one pair per
/// process, removed at exit).
static std::string inputPath, roundTripPath;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("compress-fuzz-npy", "npy", path))
    std::abort();
  inputPath = path.str().str();
  if (llvm::sys::fs::createTemporaryFile("compress-fuzz-npy-rt", "npy", path))
    std::abort();
  roundTripPath = path.str().str();
  std::atexit([] {
    llvm::sys::fs::remove(inputPath);
    llvm::sys::fs::remove(roundTripPath);
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

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  ++numInputs;
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(inputPath, ec);
    if (ec)
      fail("cannot write '" + inputPath + "': " + ec.message());
    os << bytes;
  }
  llvm::Expected<npy::Array> array = npy::read(inputPath);
  if (!array) {
    if (llvm::toString(array.takeError()).empty())
      fail("a rejected file got an empty error message");
    return 0;
  }
  ++numAccepted;
  if (hasNonTupleShape(bytes))
    fail("a header whose 'shape' is not a tuple was accepted");
  uint64_t count = 1;
  for (int64_t dim : array->shape) {
    if (dim < 0)
      fail("negative size in an accepted shape");
    count *= static_cast<uint64_t>(dim);
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
  if (llvm::Error error = npy::write(roundTripPath, *array))
    fail("an accepted array cannot be written: " +
         llvm::toString(std::move(error)));
  llvm::Expected<npy::Array> again = npy::read(roundTripPath);
  if (!again)
    fail("a written array does not read back: " +
         llvm::toString(again.takeError()));
  if (again->dtype != array->dtype || again->shape != array->shape ||
      again->data.size() != array->data.size() ||
      std::memcmp(again->data.data(), array->data.data(), array->data.size()) !=
          0)
    fail("a written array reads back differently");
  return 0;
}
