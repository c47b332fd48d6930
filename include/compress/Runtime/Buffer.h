//===- Buffer.h - Checked, aligned heap buffers -----------------*- C++ -*-===//
//
// The heap memory of the runtime's arrays: 64-byte aligned (for vector loads
// of compiled kernels), from std::aligned_alloc, with allocation failures
// reported as errors instead of aborting.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_BUFFER_H
#define COMPRESS_RUNTIME_BUFFER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace mlir::compress {

/// An owned, 64-byte aligned block of `size()` bytes, freed with std::free.
class Buffer {
public:
  static constexpr uint64_t kAlignment = 64;

  Buffer() = default;
  /// Allocates `bytes` bytes (at least one aligned block, the bytes past
  /// `bytes` in the last block zeroed). Fails with "cannot allocate N bytes".
  static llvm::Expected<Buffer> allocate(uint64_t bytes);

  Buffer(Buffer &&other) : ptr(other.ptr), bytes(other.bytes) {
    other.ptr = nullptr;
    other.bytes = 0;
  }
  Buffer &operator=(Buffer &&other);
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  ~Buffer();

  char *data() { return ptr; }
  const char *data() const { return ptr; }
  uint64_t size() const { return bytes; }
  llvm::MutableArrayRef<char> ref() {
    return {ptr, static_cast<size_t>(bytes)};
  }
  llvm::ArrayRef<char> ref() const { return {ptr, static_cast<size_t>(bytes)}; }

  /// Gives up ownership: the caller frees the memory with std::free.
  char *release();

private:
  char *ptr = nullptr;
  uint64_t bytes = 0;
};

} // namespace mlir::compress

#endif // COMPRESS_RUNTIME_BUFFER_H
