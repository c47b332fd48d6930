//===- CallFrame.cpp - Arguments and results of one C interface call ------===//
//
// Memref descriptors are {allocated, aligned, offset, sizes[rank],
// strides[rank]} (MLIR's StridedMemRefType); results are read back through
// DynamicMemRefType.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/CallFrame.h"
#include "compress/Runtime/Error.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <cstdlib>
#include <cstring>

using namespace mlir::compress;
using namespace mlir::compress::runtime;

/// Fills the descriptor of a contiguous, C-ordered memref over `data`.
static void fillDescriptor(std::vector<int64_t> &desc, void *data,
                           llvm::ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  desc.assign(3 + 2 * rank, 0);
  desc[0] = reinterpret_cast<int64_t>(data);
  desc[1] = reinterpret_cast<int64_t>(data);
  // Strides cannot overflow: the shape was checked against the array limits.
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    desc[3 + i] = shape[i];
    desc[3 + rank + i] = stride;
    stride *= std::max<int64_t>(shape[i], 1);
  }
}

/// Whether `view` is passed to `slot` as the caller's array: a tensor of a
/// function that never writes into it, aligned to its elements.
static bool canBorrow(const ValueSlot &slot, const ArrayView &view,
                      bool borrowTensorInputs) {
  return borrowTensorInputs && llvm::isa<mlir::RankedTensorType>(slot.type) &&
         reinterpret_cast<uintptr_t>(view.data) % view.dtype.bytes == 0;
}

CallFrame::CallFrame(const Signature &signature, bool borrowTensorInputs)
    : signature(signature), borrowTensorInputs(borrowTensorInputs) {
  size_t bytes = 0;
  for (const ValueSlot &slot : signature.results) {
    size_t align = slot.alignment();
    bytes = (bytes + align - 1) / align * align;
    resultOffsets.push_back(bytes);
    bytes += slot.sizeInBytes();
  }
  resultStorage.assign(bytes / sizeof(int64_t) + 1, 0);
  resultPointer = resultStorage.data();
}

CallFrame::~CallFrame() { freeResults(); }

llvm::Error CallFrame::bind(llvm::ArrayRef<ArrayView> views) {
  size_t numArgs = signature.args.size();
  inputs.assign(views.begin(), views.end());
  // A frame bound again to inputs of the same sizes keeps its buffers: a
  // fresh large buffer would fault its pages in on every call.
  std::vector<Buffer> previous = std::move(buffers);
  buffers.clear();
  descriptors.assign(numArgs, {});
  argPointers.assign(numArgs, nullptr);
  borrowed.assign(numArgs, false);
  scalarArgs.assign(numArgs, {});
  packed.clear();

  // Results are returned through a pointer: one memref result, or several.
  const auto &results = signature.results;
  bool resultByPointer =
      results.size() > 1 || (results.size() == 1 && results[0].isShaped());
  if (resultByPointer)
    packed.push_back(&resultPointer);
  for (auto [i, slot] : llvm::enumerate(signature.args)) {
    const ArrayView &view = inputs[i];
    llvm::Expected<uint64_t> bytes = npy::byteSize(view.dtype, view.shape);
    if (!bytes)
      return makeError(ErrorCode::InvalidArgument,
                       "argument #" + llvm::Twine(i) + ": " +
                           llvm::toString(bytes.takeError()));
    borrowed[i] = slot.isShaped() && canBorrow(slot, view, borrowTensorInputs);
    if (borrowed[i]) {
      fillDescriptor(descriptors[i], const_cast<void *>(view.data), view.shape);
      argPointers[i] = descriptors[i].data();
      packed.push_back(&argPointers[i]);
    } else if (slot.isShaped()) {
      size_t index = buffers.size();
      if (index < previous.size() && previous[index].size() == *bytes) {
        buffers.push_back(std::move(previous[index]));
      } else {
        llvm::Expected<Buffer> buffer = Buffer::allocate(*bytes);
        if (!buffer)
          return makeError(ErrorCode::OutOfMemory,
                           "argument #" + llvm::Twine(i) + ": " +
                               llvm::toString(buffer.takeError()));
        buffers.push_back(std::move(*buffer));
      }
      fillDescriptor(descriptors[i], buffers.back().data(), view.shape);
      argPointers[i] = descriptors[i].data();
      packed.push_back(&argPointers[i]);
    } else {
      const char *data = static_cast<const char *>(view.data);
      scalarArgs[i].assign(data, data + *bytes);
      scalarArgs[i].resize(8, 0);
      packed.push_back(scalarArgs[i].data());
    }
  }
  if (!resultByPointer && results.size() == 1)
    packed.push_back(resultStorage.data());
  return llvm::Error::success();
}

void CallFrame::restoreInputs() {
  size_t buffer = 0;
  for (auto [i, slot] : llvm::enumerate(signature.args)) {
    if (!slot.isShaped() || borrowed[i])
      continue;
    Buffer &target = buffers[buffer++];
    if (target.size() != 0)
      std::memcpy(target.data(), inputs[i].data, target.size());
  }
}

llvm::Error CallFrame::rebind(const void *const *data) {
  for (auto [i, slot] : llvm::enumerate(signature.args)) {
    ArrayView &view = inputs[i];
    view.data = data[i];
    if (!slot.isShaped()) {
      std::memcpy(scalarArgs[i].data(), data[i], view.dtype.bytes);
      continue;
    }
    if (!borrowed[i])
      continue;
    if (reinterpret_cast<uintptr_t>(data[i]) % view.dtype.bytes != 0)
      return makeError(ErrorCode::InvalidArgument,
                       "argument #" + llvm::Twine(i) +
                           " is not aligned to its elements");
    descriptors[i][0] = descriptors[i][1] = reinterpret_cast<int64_t>(data[i]);
  }
  return llvm::Error::success();
}

namespace {
/// A memref result of the last call.
struct ResultMemref {
  DynamicMemRefType<char> memref;
  uint64_t bytes;
};
} // namespace

/// The memref `desc` of result `index` and its size in bytes.
static llvm::Expected<ResultMemref> describeMemref(const ValueSlot &slot,
                                                   void *desc, size_t index) {
  if (slot.rank > kMaxResultRank)
    return makeError(ErrorCode::CallFailed, "result #" + llvm::Twine(index) +
                                                " has rank above " +
                                                llvm::Twine(kMaxResultRank));
  UnrankedMemRefType<char> unranked{slot.rank, desc};
  DynamicMemRefType<char> memref(unranked);
  llvm::ArrayRef<int64_t> sizes(memref.sizes, slot.rank);
  if (std::optional<uint64_t> bytes = npy::checkedByteSize(slot.dtype, sizes))
    return ResultMemref{memref, *bytes};
  llvm::Expected<uint64_t> bytes = npy::byteSize(
      slot.dtype, llvm::ArrayRef<int64_t>(memref.sizes, slot.rank));
  if (!bytes)
    return makeError(ErrorCode::CallFailed,
                     "result #" + llvm::Twine(index) + ": " +
                         llvm::toString(bytes.takeError()));
  return ResultMemref{memref, *bytes};
}

/// Copies `result` (of `slot`) into `target` in C order: one copy when its
/// strides are those of a C-ordered array, else element by element
/// honouring the returned strides.
static void copyMemref(const ValueSlot &slot, const ResultMemref &result,
                       char *target) {
  const DynamicMemRefType<char> &memref = result.memref;
  if (result.bytes == 0)
    return;
  size_t elementBytes = slot.dtype.bytes;
  int64_t count = static_cast<int64_t>(result.bytes / elementBytes);
  bool contiguous = true;
  int64_t stride = 1;
  for (int64_t d = slot.rank - 1; d >= 0; --d) {
    contiguous &= memref.sizes[d] == 1 || memref.strides[d] == stride;
    stride *= memref.sizes[d];
  }
  const char *base = memref.data;
  if (contiguous) {
    std::memcpy(target, base + memref.offset * elementBytes, result.bytes);
    return;
  }
  llvm::SmallVector<int64_t, kMaxResultRank> position(slot.rank, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t linear = memref.offset;
    for (int64_t d = 0; d < slot.rank; ++d)
      linear += position[d] * memref.strides[d];
    std::memcpy(target + n * elementBytes, base + linear * elementBytes,
                elementBytes);
    for (int64_t d = slot.rank - 1; d >= 0; --d) {
      if (++position[d] < memref.sizes[d])
        break;
      position[d] = 0;
    }
  }
}

/// Copies the memref `desc` of `slot` into a C-ordered array.
static llvm::Expected<npy::Array> readMemref(const ValueSlot &slot, void *desc,
                                             size_t index) {
  llvm::Expected<ResultMemref> result = describeMemref(slot, desc, index);
  if (!result)
    return result.takeError();
  npy::Array array;
  array.dtype = slot.dtype;
  array.shape.assign(result->memref.sizes, result->memref.sizes + slot.rank);
  llvm::Expected<Buffer> buffer = Buffer::allocate(result->bytes);
  if (!buffer)
    return makeError(ErrorCode::OutOfMemory,
                     "result #" + llvm::Twine(index) + ": " +
                         llvm::toString(buffer.takeError()));
  array.data = std::move(*buffer);
  copyMemref(slot, *result, array.data.data());
  return array;
}

llvm::Expected<std::vector<npy::Array>> CallFrame::readResults() const {
  std::vector<npy::Array> arrays;
  const char *storage = reinterpret_cast<const char *>(resultStorage.data());
  for (auto [i, slot] : llvm::enumerate(signature.results)) {
    const char *base = storage + resultOffsets[i];
    if (slot.isShaped()) {
      llvm::Expected<npy::Array> array =
          readMemref(slot, const_cast<char *>(base), i);
      if (!array)
        return array.takeError();
      arrays.push_back(std::move(*array));
      continue;
    }
    npy::Array array;
    array.dtype = slot.dtype;
    llvm::Expected<Buffer> buffer = Buffer::allocate(slot.dtype.bytes);
    if (!buffer)
      return makeError(ErrorCode::OutOfMemory,
                       "result #" + llvm::Twine(i) + ": " +
                           llvm::toString(buffer.takeError()));
    array.data = std::move(*buffer);
    std::memcpy(array.data.data(), base, slot.dtype.bytes);
    arrays.push_back(std::move(array));
  }
  return arrays;
}

llvm::Error CallFrame::copyResults(ResultAllocator allocate) const {
  const char *storage = reinterpret_cast<const char *>(resultStorage.data());
  for (auto [i, slot] : llvm::enumerate(signature.results)) {
    const char *base = storage + resultOffsets[i];
    auto outOfMemory = [&, i = i] {
      return makeError(ErrorCode::OutOfMemory,
                       "no memory for result #" + llvm::Twine(i));
    };
    if (!slot.isShaped()) {
      void *target = allocate(i, slot.dtype, {});
      if (!target)
        return outOfMemory();
      std::memcpy(target, base, slot.dtype.bytes);
      continue;
    }
    llvm::Expected<ResultMemref> result =
        describeMemref(slot, const_cast<char *>(base), i);
    if (!result)
      return result.takeError();
    void *target =
        allocate(i, slot.dtype,
                 llvm::ArrayRef<int64_t>(result->memref.sizes, slot.rank));
    if (!target && result->bytes != 0)
      return outOfMemory();
    copyMemref(slot, *result, static_cast<char *>(target));
  }
  return llvm::Error::success();
}

void CallFrame::freeResults() {
  llvm::SmallVector<void *> freed = {reinterpret_cast<void *>(0xdeadbeef),
                                     nullptr};
  // A result may be an argument itself: never free the callers' arrays.
  for (Buffer &buffer : buffers)
    freed.push_back(buffer.data());
  for (auto [i, slot] : llvm::enumerate(signature.args))
    if (slot.isShaped() && i < inputs.size())
      freed.push_back(const_cast<void *>(inputs[i].data));
  char *storage = reinterpret_cast<char *>(resultStorage.data());
  for (auto [i, slot] : llvm::enumerate(signature.results)) {
    if (!slot.isShaped())
      continue;
    void *allocated;
    std::memcpy(&allocated, storage + resultOffsets[i], sizeof(void *));
    if (!llvm::is_contained(freed, allocated)) {
      std::free(allocated);
      freed.push_back(allocated);
    }
    std::memset(storage + resultOffsets[i], 0, slot.sizeInBytes());
  }
}
