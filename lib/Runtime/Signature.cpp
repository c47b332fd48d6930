//===- Signature.cpp - Callable function signatures -----------------------===//
//
// Classifies function types for the C interface and checks arrays against
// them.
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/Signature.h"
#include "compress/Runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;
using namespace mlir::compress::runtime;
namespace npy = mlir::compress::npy;

/// The .npy dtype that corresponds to an MLIR element type, if any.
static std::optional<npy::DType> dtypeFor(Type type) {
  npy::DType dtype;
  if (type.isF32() || type.isF16() || type.isF64()) {
    dtype.kind = npy::Kind::Float;
    dtype.bytes = type.getIntOrFloatBitWidth() / 8;
    return dtype;
  }
  if (type.isIndex()) {
    dtype.kind = npy::Kind::SignedInt;
    dtype.bytes = 8;
    return dtype;
  }
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  unsigned width = intType.getWidth();
  if (width == 1) {
    dtype.kind = npy::Kind::Bool;
    dtype.bytes = 1;
    return dtype;
  }
  if (width != 8 && width != 16 && width != 32 && width != 64)
    return std::nullopt;
  dtype.kind =
      intType.isUnsigned() ? npy::Kind::UnsignedInt : npy::Kind::SignedInt;
  dtype.bytes = width / 8;
  return dtype;
}

static std::string printType(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

bool ValueSlot::hasStaticShape() const {
  return !llvm::is_contained(shape, ShapedType::kDynamic);
}

size_t ValueSlot::sizeInBytes() const {
  if (isShaped())
    return sizeof(int64_t) * (3 + 2 * rank);
  return dtype.bytes;
}

size_t ValueSlot::alignment() const {
  return isShaped() ? alignof(int64_t) : std::max<size_t>(1, sizeInBytes());
}

std::string ValueSlot::typeString() const { return printType(type); }

llvm::Expected<ValueSlot>
mlir::compress::runtime::classify(Type type, const llvm::Twine &what) {
  auto unsupported = [&](const llvm::Twine &reason) {
    return makeError(ErrorCode::NotFound, what + reason);
  };
  ValueSlot slot;
  slot.type = type;
  Type elementType = type;
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!isa<RankedTensorType, MemRefType>(type) || !shaped.hasRank())
      return unsupported(" has unsupported type " + printType(type) +
                         " (only ranked tensors, memrefs and scalars)");
    if (auto memref = dyn_cast<MemRefType>(type);
        memref && !memref.getLayout().isIdentity())
      return unsupported(" has a non-identity layout: " + printType(type));
    elementType = shaped.getElementType();
    slot.rank = shaped.getRank();
    slot.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  } else if (!type.isIntOrIndexOrFloat()) {
    return unsupported(" has unsupported type " + printType(type));
  }
  std::optional<npy::DType> dtype = dtypeFor(elementType);
  if (!dtype)
    return unsupported(" has element type " + printType(elementType) +
                       ", which has no .npy equivalent");
  slot.dtype = *dtype;
  return slot;
}

//===----------------------------------------------------------------------===//
// SignatureTable
//===----------------------------------------------------------------------===//

/// The signature of `func`, or why it cannot be called.
static llvm::Expected<Signature> funcSignature(func::FuncOp func,
                                               llvm::StringRef client) {
  std::string name = func.getName().str();
  if (func.isExternal())
    return makeError(ErrorCode::NotFound,
                     "function '@" + name + "' has no body");
  if (!func.isPublic())
    return makeError(ErrorCode::NotFound, "function '@" + name +
                                              "' is private; " + client +
                                              " calls public functions");
  Signature signature;
  signature.name = name;
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    llvm::Expected<ValueSlot> slot =
        classify(type, "argument #" + llvm::Twine(i));
    if (!slot)
      return slot.takeError();
    signature.args.push_back(std::move(*slot));
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    llvm::Expected<ValueSlot> slot =
        classify(type, "result #" + llvm::Twine(i));
    if (!slot)
      return slot.takeError();
    signature.results.push_back(std::move(*slot));
  }
  return signature;
}

/// The signature of an llvm.func entry, or why it cannot be called.
static llvm::Expected<Signature> llvmSignature(LLVM::LLVMFuncOp func,
                                               llvm::StringRef client) {
  std::string name = func.getName().str();
  if (func.isExternal())
    return makeError(ErrorCode::NotFound,
                     "function '@" + name + "' has no body");
  if (func.getNumArguments() != 0 ||
      !isa<LLVM::LLVMVoidType>(func.getFunctionType().getReturnType()))
    return makeError(ErrorCode::NotFound,
                     "LLVM-dialect function '@" + name +
                         "' takes arguments or returns values; " + client +
                         " calls such functions only from IR above the LLVM "
                         "dialect");
  Signature signature;
  signature.name = name;
  signature.isLLVMFunction = true;
  return signature;
}

SignatureTable::SignatureTable(ModuleOp module, llvm::StringRef moduleName,
                               llvm::StringRef client)
    : moduleName(moduleName.str()) {
  auto add = [&](llvm::StringRef name, llvm::Expected<Signature> signature) {
    Entry &entry = entries[name];
    if (signature)
      entry.signature = std::move(*signature);
    else
      entry.error = llvm::toString(signature.takeError());
  };
  for (auto func : module.getOps<func::FuncOp>())
    add(func.getName(), funcSignature(func, client));
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    add(func.getName(), llvmSignature(func, client));
}

llvm::Expected<const Signature &>
SignatureTable::lookup(llvm::StringRef name) const {
  auto it = entries.find(name);
  if (it == entries.end())
    return makeError(ErrorCode::NotFound, "function '@" + name +
                                              "' not found in '" + moduleName +
                                              "'");
  if (!it->second.error.empty())
    return makeError(ErrorCode::NotFound, it->second.error);
  return it->second.signature;
}

//===----------------------------------------------------------------------===//
// Checking arguments
//===----------------------------------------------------------------------===//

llvm::Error mlir::compress::runtime::checkArgument(
    const ValueSlot &slot, const npy::DType &dtype,
    llvm::ArrayRef<int64_t> shape, const llvm::Twine &where,
    llvm::StringRef function) {
  if (dtype != slot.dtype)
    return makeError(ErrorCode::InvalidArgument,
                     where + " has dtype " + dtype.name() + " but '@" +
                         function + "' expects " + slot.dtype.name() + " for " +
                         slot.typeString());
  llvm::Expected<uint64_t> bytes = npy::byteSize(dtype, shape);
  if (!bytes)
    return makeError(ErrorCode::InvalidArgument,
                     where + ": " + llvm::toString(bytes.takeError()));
  if (!slot.isShaped()) {
    bool single = shape.size() <= 1 && *bytes == dtype.bytes;
    if (!single)
      return makeError(ErrorCode::InvalidArgument,
                       where + " must hold a single value for scalar type " +
                           slot.typeString());
    return llvm::Error::success();
  }
  bool matches = static_cast<int64_t>(shape.size()) == slot.rank;
  for (int64_t d = 0; matches && d < slot.rank; ++d)
    matches =
        slot.shape[d] == ShapedType::kDynamic || slot.shape[d] == shape[d];
  if (!matches)
    return makeError(ErrorCode::InvalidArgument,
                     where + " has shape " + npy::formatShape(shape) +
                         " but '@" + function + "' expects " +
                         slot.typeString());
  return llvm::Error::success();
}
