//===- Buffer.cpp - Checked, aligned heap buffers -------------------------===//

#include "compress/Runtime/Buffer.h"

#include <cstdlib>
#include <cstring>
#include <limits>

using namespace mlir::compress;

llvm::Expected<Buffer> Buffer::allocate(uint64_t bytes) {
  // Round up to whole blocks (aligned_alloc needs a multiple of the
  // alignment), without overflowing.
  if (bytes > std::numeric_limits<size_t>::max() - kAlignment)
    return llvm::createStringError("cannot allocate " + llvm::Twine(bytes) +
                                   " bytes");
  size_t rounded = std::max<size_t>(kAlignment, (bytes + kAlignment - 1) /
                                                    kAlignment * kAlignment);
  auto *ptr = static_cast<char *>(std::aligned_alloc(kAlignment, rounded));
  if (!ptr)
    return llvm::createStringError("cannot allocate " + llvm::Twine(bytes) +
                                   " bytes");
  std::memset(ptr + bytes, 0, rounded - bytes);
  Buffer buffer;
  buffer.ptr = ptr;
  buffer.bytes = bytes;
  return buffer;
}

Buffer &Buffer::operator=(Buffer &&other) {
  if (this != &other) {
    std::free(ptr);
    ptr = other.ptr;
    bytes = other.bytes;
    other.ptr = nullptr;
    other.bytes = 0;
  }
  return *this;
}

Buffer::~Buffer() { std::free(ptr); }

char *Buffer::release() {
  char *result = ptr;
  ptr = nullptr;
  bytes = 0;
  return result;
}
