//===- RegularFile.cpp - Bounded reads of regular files -------------------===//
//
// Implements RegularFile: the file type and size come from the open handle
// (fstat), so they describe the file that is read.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/RegularFile.h"

#include <optional>

using namespace mlir::compress;
namespace fs = llvm::sys::fs;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The reason a file of type `type` is not read, or nothing for regular files.
static std::optional<llvm::StringRef> refusal(fs::file_type type) {
  if (type == fs::file_type::regular_file)
    return std::nullopt;
  if (type == fs::file_type::directory_file)
    return llvm::StringRef("it is a directory");
  return llvm::StringRef("not a regular file");
}

llvm::Expected<RegularFile> RegularFile::open(const llvm::Twine &path) {
  // Check the path first: opening a FIFO would block until a writer comes.
  fs::file_status status;
  if (std::error_code ec = fs::status(path, status))
    return makeError(ec.message());
  if (std::optional<llvm::StringRef> reason = refusal(status.type()))
    return makeError(*reason);
  llvm::Expected<fs::file_t> handle = fs::openNativeFileForRead(path);
  if (!handle)
    return handle.takeError();
  // The type and size that count are those of the file that was opened.
  if (std::error_code ec = fs::status(*handle, status)) {
    fs::closeFile(*handle);
    return makeError(ec.message());
  }
  if (std::optional<llvm::StringRef> reason = refusal(status.type())) {
    fs::closeFile(*handle);
    return makeError(*reason);
  }
  return RegularFile(*handle, status.getSize());
}

RegularFile::RegularFile(RegularFile &&other)
    : handle(other.handle), fileSize(other.fileSize) {
  other.handle = fs::kInvalidFile;
}

RegularFile::~RegularFile() {
  if (handle != fs::kInvalidFile)
    fs::closeFile(handle);
}

llvm::Error RegularFile::readExactly(llvm::MutableArrayRef<char> buffer) {
  while (!buffer.empty()) {
    llvm::Expected<size_t> count = fs::readNativeFile(handle, buffer);
    if (!count)
      return count.takeError();
    if (*count == 0)
      return makeError("unexpected end of file");
    buffer = buffer.drop_front(*count);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string>
mlir::compress::readRegularFile(const llvm::Twine &path, uint64_t maxBytes) {
  llvm::Expected<RegularFile> file = RegularFile::open(path);
  if (!file)
    return file.takeError();
  if (file->size() > maxBytes)
    return makeError(llvm::Twine(file->size()) +
                     " bytes, more than the limit of " + llvm::Twine(maxBytes));
  std::string text(file->size(), '\0');
  if (llvm::Error error = file->readExactly(text))
    return std::move(error);
  return text;
}
