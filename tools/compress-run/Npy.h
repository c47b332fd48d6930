//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// A small, strict reader and writer for the NumPy .npy format (versions 1.0,
// 2.0 and 3.0; little-endian, C order). Every malformed file is reported with
// a reason instead of being read partially.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_TOOLS_COMPRESS_RUN_NPY_H
#define COMPRESS_TOOLS_COMPRESS_RUN_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::compress::npy {

/// The element kinds compress-run exchanges with NumPy.
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

/// An array read from or about to be written to a .npy file.
struct Array {
  DType dtype;
  std::vector<int64_t> shape;
  /// Raw little-endian element data in C order.
  std::vector<char> data;

  int64_t numElements() const;
};

/// Parses a descriptor such as "<f4"; fails on unsupported or big-endian
/// types.
llvm::Expected<DType> parseDescr(llvm::StringRef descr);

/// Parses the bytes of a .npy file.
llvm::Expected<Array> parse(llvm::StringRef bytes);

/// Reads and parses the .npy file at `path`.
llvm::Expected<Array> read(llvm::StringRef path);

/// Serializes `array` in .npy version 1.0 format.
std::string serialize(const Array &array);

/// Writes `array` to `path`.
llvm::Error write(llvm::StringRef path, const Array &array);

} // namespace mlir::compress::npy

#endif // COMPRESS_TOOLS_COMPRESS_RUN_NPY_H
