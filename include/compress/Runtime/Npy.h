//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// A small, strict reader and writer for the NumPy .npy format (versions 1.0,
// 2.0 and 3.0; little-endian, C order). Every malformed file is reported with
// a reason instead of being read partially. Shapes are checked against the
// runtime's array limits before anything is allocated, and files are read
// with their size known up front (regular files only), so no input can make
// a reader allocate or read without bound.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_NPY_H
#define COMPRESS_RUNTIME_NPY_H

#include "compress/Runtime/Buffer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::compress::npy {

/// The element kinds the runtime exchanges with NumPy.
enum class Kind { Float, SignedInt, UnsignedInt, Bool };

/// A NumPy dtype restricted to what .npy files of numeric arrays hold.
struct DType {
  Kind kind = Kind::Float;
  unsigned bytes = 4;

  /// NumPy's little-endian descriptor, e.g. "<f4" or "|i1".
  std::string descr() const;
  /// NumPy's name, e.g. "float32" or "int8".
  std::string name() const;
  bool operator==(const DType &other) const {
    return kind == other.kind && bytes == other.bytes;
  }
  bool operator!=(const DType &other) const { return !(*this == other); }
};

/// Largest rank of an array.
constexpr int64_t kMaxRank = 64;
/// Largest product of the dimensions of an array, each zero dimension counted
/// as 1: an empty array of shape [0, N] still describes N rows that compiled
/// code may loop over or allocate for.
constexpr int64_t kMaxElements = int64_t(1) << 32;

/// Formats a shape as compress-run prints it, e.g. "[2x3]" ("[]" for 0-d).
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// The number of data bytes of a C-ordered array of `shape` with elements of
/// `dtype` if the shape is within the limits above (rank, non-negative
/// dimensions, product), else nothing. Inline: the runtime's prepared calls
/// check their results' shapes with it without leaving their own code.
inline std::optional<uint64_t> checkedByteSize(const DType &dtype,
                                               llvm::ArrayRef<int64_t> shape) {
  if (static_cast<int64_t>(shape.size()) > kMaxRank)
    return std::nullopt;
  // The product of the non-zero dimensions, compared with the limit after
  // every factor so that it cannot overflow.
  uint64_t product = 1;
  bool empty = false;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d == 0) {
      empty = true;
      continue;
    }
    if (static_cast<uint64_t>(d) > static_cast<uint64_t>(kMaxElements) ||
        product * static_cast<uint64_t>(d) >
            static_cast<uint64_t>(kMaxElements))
      return std::nullopt;
    product *= static_cast<uint64_t>(d);
  }
  return empty ? 0 : product * dtype.bytes;
}

/// checkedByteSize, or an error saying which limit `shape` breaks. Nothing
/// can overflow when this succeeds.
llvm::Expected<uint64_t> byteSize(const DType &dtype,
                                  llvm::ArrayRef<int64_t> shape);

/// An array read from or about to be written to a .npy file.
struct Array {
  DType dtype;
  std::vector<int64_t> shape;
  /// Raw little-endian element data in C order (64-byte aligned).
  Buffer data;

  int64_t numElements() const;
};

/// What the header of a .npy file says.
struct Header {
  DType dtype;
  std::vector<int64_t> shape;
  /// Bytes of the data that must follow the header.
  uint64_t dataBytes = 0;
};

/// Parses a descriptor such as "<f4"; fails on unsupported or big-endian
/// types.
llvm::Expected<DType> parseDescr(llvm::StringRef descr);

/// A .npy file open for reading whose header has been read and checked
/// (including that the file size matches the header exactly).
class FileReader {
public:
  /// Opens `path`. Errors read "cannot read 'PATH': REASON" when the file
  /// cannot be opened (or is not a regular file) and "invalid .npy file
  /// 'PATH': REASON" when its contents are wrong.
  static llvm::Expected<FileReader> open(llvm::StringRef path);

  FileReader(FileReader &&);
  ~FileReader();

  const Header &header() const { return fileHeader; }

  /// Reads the data, exactly header().dataBytes bytes, into `out`.
  llvm::Error readData(llvm::MutableArrayRef<char> out);

private:
  struct Impl;
  explicit FileReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
  Header fileHeader;
};

/// Reads and parses the .npy file at `path`.
llvm::Expected<Array> read(llvm::StringRef path);

/// The .npy version 1.0 header of an array (magic, length and the dict,
/// padded to a multiple of 64 bytes as numpy does).
std::string serializeHeader(const DType &dtype, llvm::ArrayRef<int64_t> shape);

/// Writes a .npy file at `path`: the header, then the data that `writeData`
/// streams, which must be exactly byteSize(dtype, shape) bytes.
llvm::Error writeFile(llvm::StringRef path, const DType &dtype,
                      llvm::ArrayRef<int64_t> shape,
                      llvm::function_ref<void(llvm::raw_ostream &)> writeData);

/// Writes `array` to `path`.
llvm::Error write(llvm::StringRef path, const Array &array);

} // namespace mlir::compress::npy

#endif // COMPRESS_RUNTIME_NPY_H
