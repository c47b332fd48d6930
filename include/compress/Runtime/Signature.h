//===- Signature.h - Callable function signatures ---------------*- C++ -*-===//
//
// How the runtime sees the arguments and results of a function it calls
// through the C interface (`_mlir_ciface_<name>`): ranked tensors and
// identity-layout memrefs become memref descriptors, other values are
// scalars, and each has the NumPy dtype of its elements. Signatures are taken
// from the module before it is lowered.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_SIGNATURE_H
#define COMPRESS_RUNTIME_SIGNATURE_H

#include "compress/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::compress::runtime {

/// Largest rank of a result the runtime reads back.
constexpr int64_t kMaxResultRank = 8;

/// An argument or result of a called function as its C interface sees it:
/// a ranked memref (passed as a pointer to a descriptor) or a scalar.
struct ValueSlot {
  /// The tensor, memref or scalar type before lowering.
  Type type;
  /// -1 for scalars.
  int64_t rank = -1;
  /// Static sizes, ShapedType::kDynamic for dynamic ones (empty for scalars).
  llvm::SmallVector<int64_t> shape;
  /// The NumPy dtype of the elements.
  npy::DType dtype;

  bool isShaped() const { return rank >= 0; }
  bool hasStaticShape() const;
  /// Bytes of the C value of this slot: a descriptor or a scalar.
  size_t sizeInBytes() const;
  size_t alignment() const;
  /// The type as MLIR prints it, e.g. "tensor<?x3xf32>".
  std::string typeString() const;
};

/// What the runtime needs to know to call one function.
struct Signature {
  std::string name;
  std::vector<ValueSlot> args, results;
  /// An llvm.func entry (no arguments, no results): called by its own name
  /// rather than through the C interface wrapper.
  bool isLLVMFunction = false;

  /// The symbol the ExecutionEngine invokes.
  std::string symbol() const {
    return isLLVMFunction ? name : "_mlir_ciface_" + name;
  }
};

/// Classifies one argument or result type; `what` ("argument #0") starts the
/// error messages.
llvm::Expected<ValueSlot> classify(Type type, const llvm::Twine &what);

/// The signatures of the top-level functions of a module, taken before it is
/// lowered; a function that cannot be called has an error message instead.
class SignatureTable {
public:
  /// Records every func.func and llvm.func of `module`. Messages name the
  /// module as `moduleName` and the caller as `client` ("function '@f' is
  /// private; compress-run calls public functions").
  SignatureTable(ModuleOp module, llvm::StringRef moduleName,
                 llvm::StringRef client);

  /// The signature of `name`, or an error (ErrorCode::NotFound) saying why
  /// it cannot be called.
  llvm::Expected<const Signature &> lookup(llvm::StringRef name) const;

private:
  struct Entry {
    Signature signature;
    /// Empty when the function can be called.
    std::string error;
  };
  std::string moduleName;
  llvm::StringMap<Entry> entries;
};

/// Checks an array of `dtype` and `shape` for argument `slot` of `function`:
/// dtype, rank and static sizes; a scalar takes a 0-d or one-element 1-d
/// array. Messages start with `where`, e.g. "input #0 ('x.npy') has dtype
/// float64 but '@f' expects float32 for tensor<2x3xf32>".
llvm::Error checkArgument(const ValueSlot &slot, const npy::DType &dtype,
                          llvm::ArrayRef<int64_t> shape,
                          const llvm::Twine &where, llvm::StringRef function);

} // namespace mlir::compress::runtime

#endif // COMPRESS_RUNTIME_SIGNATURE_H
