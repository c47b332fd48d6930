//===- CallFrame.h - Arguments and results of one C interface call -*- C++ -*-//
//
// Packs arrays into the arguments of a `_mlir_ciface_<name>` wrapper for
// ExecutionEngine::invokePacked (memref descriptors over 64-byte aligned
// copies, scalars by value; results through a pointer to a struct of
// descriptors and scalars, or a single scalar returned directly), and reads
// the results back into arrays.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_CALLFRAME_H
#define COMPRESS_RUNTIME_CALLFRAME_H

#include "compress/Runtime/Buffer.h"
#include "compress/Runtime/Npy.h"
#include "compress/Runtime/Signature.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::compress::runtime {

/// Caller-owned array data: `shape` and `data` must stay valid while they
/// are used. The data is C-ordered and little-endian.
struct ArrayView {
  npy::DType dtype;
  llvm::ArrayRef<int64_t> shape;
  const void *data = nullptr;
};

/// The arguments and results of calls of one function.
///
/// Results are owned by the caller of the compiled function: results of
/// tensor functions are fresh allocations (ownership-based deallocation
/// clones anything else). Memref-level functions may also return a global,
/// whose descriptor has the poison allocated pointer 0xdeadbeef, or one of
/// their arguments; those are not freed. Several results may share one
/// allocation (`return %r, %r`): each buffer is freed once.
class CallFrame {
public:
  /// With `borrowTensorInputs`, tensor arguments are passed as the callers'
  /// arrays (when aligned to their elements), without a copy: only for
  /// functions that never write into them (compress-emit-c-interface marks
  /// their arguments read-only).
  CallFrame(const Signature &signature, bool borrowTensorInputs);
  ~CallFrame();
  CallFrame(const CallFrame &) = delete;
  CallFrame &operator=(const CallFrame &) = delete;

  /// Takes `inputs` (checked against the signature before) and builds the
  /// packed argument list: borrowed arrays as they are, the others in
  /// aligned buffers that restoreInputs() fills (binding again reuses the
  /// buffers whose sizes match). The views must stay valid while the frame
  /// is called or restoreInputs() may be.
  llvm::Error bind(llvm::ArrayRef<ArrayView> inputs);

  /// Copies the inputs into the argument buffers again: the callee may write
  /// into arguments it does not borrow, and every call starts from the same
  /// values.
  void restoreInputs();

  /// Points the bound inputs at new data of the same dtypes and shapes
  /// (`data[i]` for argument i): borrowed arrays go into their descriptors
  /// as they are, scalars are copied, and restoreInputs() copies the rest.
  /// Fails if a borrowed array is not aligned to its elements.
  llvm::Error rebind(const void *const *data);

  /// The packed argument list of the wrapper.
  llvm::MutableArrayRef<void *> packedArgs() { return packed; }

  /// Copies the results of the last call into arrays in C order. Fails for
  /// results of rank above kMaxResultRank or of sizes beyond the array
  /// limits.
  llvm::Expected<std::vector<npy::Array>> readResults() const;

  /// Where result `index` of `shape` goes: memory for its bytes in C order,
  /// or null to fail.
  using ResultAllocator = llvm::function_ref<void *(
      size_t index, const npy::DType &dtype, llvm::ArrayRef<int64_t> shape)>;

  /// Copies the results of the last call into memory from `allocate`, one
  /// result after the other, without allocating anything itself.
  llvm::Error copyResults(ResultAllocator allocate) const;

  /// Frees the buffers the last call returned and clears the results.
  void freeResults();

private:
  const Signature &signature;
  bool borrowTensorInputs;
  std::vector<ArrayView> inputs;
  std::vector<Buffer> buffers;
  /// borrowed[i]: argument i is the caller's array (no buffer).
  std::vector<bool> borrowed;
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> argPointers;
  std::vector<std::vector<char>> scalarArgs;
  llvm::SmallVector<void *> packed;
  /// Storage of the results; resultOffsets[i] is where result i starts.
  std::vector<int64_t> resultStorage;
  std::vector<size_t> resultOffsets;
  void *resultPointer = nullptr;
};

} // namespace mlir::compress::runtime

#endif // COMPRESS_RUNTIME_CALLFRAME_H
