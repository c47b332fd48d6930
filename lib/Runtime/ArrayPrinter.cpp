//===- ArrayPrinter.cpp - Printing arrays as text -------------------------===//

#include "compress/Runtime/ArrayPrinter.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Format.h"

#include <cstring>

using namespace mlir::compress;
using namespace mlir::compress::runtime;

/// Reads a little-endian integer of `bytes` bytes at `p`, sign-extended or
/// zero-extended.
static void readInteger(const char *p, unsigned bytes, int64_t &value,
                        uint64_t &unsignedValue) {
  switch (bytes) {
  case 1:
    value = *reinterpret_cast<const int8_t *>(p);
    unsignedValue = *reinterpret_cast<const uint8_t *>(p);
    return;
  case 2:
    value = *reinterpret_cast<const int16_t *>(p);
    unsignedValue = *reinterpret_cast<const uint16_t *>(p);
    return;
  case 4:
    value = *reinterpret_cast<const int32_t *>(p);
    unsignedValue = *reinterpret_cast<const uint32_t *>(p);
    return;
  default:
    std::memcpy(&value, p, 8);
    std::memcpy(&unsignedValue, p, 8);
  }
}

/// Prints the element at `p`.
static void printElement(llvm::raw_ostream &os, const char *p,
                         const npy::DType &dtype) {
  if (dtype.kind == npy::Kind::Float) {
    double v;
    if (dtype.bytes == 4) {
      float f;
      std::memcpy(&f, p, 4);
      v = f;
    } else if (dtype.bytes == 8) {
      std::memcpy(&v, p, 8);
    } else {
      uint16_t bits;
      std::memcpy(&bits, p, 2);
      v = llvm::APFloat(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits))
              .convertToFloat();
    }
    os << llvm::format("%g", v);
    return;
  }
  if (dtype.kind == npy::Kind::Bool) {
    os << (*p ? "true" : "false");
    return;
  }
  int64_t value;
  uint64_t unsignedValue;
  readInteger(p, dtype.bytes, value, unsignedValue);
  if (dtype.kind == npy::Kind::UnsignedInt)
    os << unsignedValue;
  else
    os << value;
}

/// Prints dimensions `depth` and inward, starting at element `index`.
static void printNested(llvm::raw_ostream &os, const npy::Array &array,
                        int64_t &index, size_t depth) {
  if (depth == array.shape.size()) {
    printElement(os, array.data.data() + index++ * array.dtype.bytes,
                 array.dtype);
    return;
  }
  os << "[";
  for (int64_t i = 0; i < array.shape[depth]; ++i) {
    if (i > 0) {
      os << ",";
      if (depth + 1 == array.shape.size())
        os << " ";
      else
        os << "\n" << std::string(depth + 1, ' ');
    }
    printNested(os, array, index, depth + 1);
  }
  os << "]";
}

void mlir::compress::runtime::printArray(llvm::raw_ostream &os,
                                         const npy::Array &array) {
  int64_t index = 0;
  printNested(os, array, index, 0);
}
