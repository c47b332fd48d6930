//===- RegularFile.h - Bounded reads of regular files -----------*- C++ -*-===//
//
// Opens files for reading only when they are regular files, and reads them
// with sizes known before anything is allocated. Devices (/dev/zero), pipes
// and directories are refused, so a reader can never be made to read without
// end.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_REGULARFILE_H
#define COMPRESS_RUNTIME_REGULARFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

#include <cstdint>
#include <string>

namespace mlir::compress {

/// A regular file open for reading. Errors carry the reason only (e.g. "No
/// such file or directory", "not a regular file"); callers name the file.
class RegularFile {
public:
  /// Opens `path`; fails unless it is a regular file.
  static llvm::Expected<RegularFile> open(const llvm::Twine &path);

  RegularFile(RegularFile &&other);
  RegularFile &operator=(RegularFile &&other) = delete;
  RegularFile(const RegularFile &) = delete;
  RegularFile &operator=(const RegularFile &) = delete;
  ~RegularFile();

  /// The size of the file when it was opened.
  uint64_t size() const { return fileSize; }

  /// Reads the next `buffer.size()` bytes; fails if the file ends first.
  llvm::Error readExactly(llvm::MutableArrayRef<char> buffer);

private:
  RegularFile(llvm::sys::fs::file_t handle, uint64_t size)
      : handle(handle), fileSize(size) {}

  llvm::sys::fs::file_t handle;
  uint64_t fileSize;
};

/// Reads all of the regular file `path` if it holds at most `maxBytes` bytes.
llvm::Expected<std::string> readRegularFile(const llvm::Twine &path,
                                            uint64_t maxBytes);

} // namespace mlir::compress

#endif // COMPRESS_RUNTIME_REGULARFILE_H
