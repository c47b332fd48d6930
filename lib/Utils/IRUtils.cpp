//===- IRUtils.cpp - Generic IR helpers -----------------------------------===//

#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>

using namespace mlir;
using namespace mlir::compress;

/// The raw data of a constant that readConstantBytes accepts (one element
/// for a splat), with the element and total byte counts.
static std::optional<ArrayRef<char>>
constantData(Value value, size_t &elementBytes, size_t &bytes) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  elementBytes = type.getElementTypeBitWidth() / 8;
  bytes = elementBytes * type.getNumElements();
  ArrayRef<char> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    data = dense.getRawData();
  } else if (auto resource =
                 dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    data = blob->getData();
  } else {
    return std::nullopt;
  }
  if (data.size() != elementBytes && data.size() != bytes)
    return std::nullopt;
  return data;
}

bool mlir::compress::hasConstantBytes(Value value) {
  size_t elementBytes = 0, bytes = 0;
  return constantData(value, elementBytes, bytes).has_value();
}

std::optional<std::vector<char>>
mlir::compress::readConstantBytes(Value value) {
  size_t elementBytes = 0, bytes = 0;
  std::optional<ArrayRef<char>> data = constantData(value, elementBytes, bytes);
  if (!data)
    return std::nullopt;
  if (data->size() == elementBytes) { // splat
    std::vector<char> result(bytes);
    for (size_t i = 0; i < bytes; i += elementBytes)
      std::memcpy(result.data() + i, data->data(), elementBytes);
    return result;
  }
  return std::vector<char>(data->begin(), data->end());
}

std::vector<char>
mlir::compress::permuteElements(ArrayRef<char> bytes, size_t elementBytes,
                                ArrayRef<int64_t> shape,
                                ArrayRef<int64_t> permutation) {
  // The source stride of each result dim, to walk the result in order.
  SmallVector<int64_t> strides =
      applyPermutation(computeStrides(shape), permutation);
  SmallVector<int64_t> basis =
      computeStrides(applyPermutation(shape, permutation));
  std::vector<char> result(bytes.size());
  for (int64_t to = 0, e = computeProduct(shape); to < e; ++to) {
    int64_t from = linearize(delinearize(to, basis), strides);
    std::memcpy(&result[to * elementBytes], &bytes[from * elementBytes],
                elementBytes);
  }
  return result;
}

std::optional<std::vector<float>> mlir::compress::readF32Constant(Value value) {
  if (!getElementTypeOrSelf(value.getType()).isF32())
    return std::nullopt;
  std::optional<std::vector<char>> bytes = readConstantBytes(value);
  if (!bytes)
    return std::nullopt;
  std::vector<float> values(bytes->size() / sizeof(float));
  // memcpy from the null data() of an empty vector is undefined.
  if (!values.empty())
    std::memcpy(values.data(), bytes->data(), bytes->size());
  return values;
}

Value mlir::compress::collapseTo1D(OpBuilder &b, Location loc, Value value) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  if (rank == 1)
    return value;
  ReassociationIndices all(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
  return tensor::CollapseShapeOp::create(b, loc, value,
                                         ArrayRef<ReassociationIndices>{all});
}

void mlir::compress::eraseWithDeadProducers(ArrayRef<Operation *> ops) {
  SetVector<Operation *> producers;
  for (Operation *op : ops)
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        producers.insert(producer);
  for (Operation *op : ops) {
    producers.remove(op);
    if (op->use_empty())
      op->erase();
  }
  for (Operation *producer : producers)
    if (producer->use_empty() && isPure(producer))
      producer->erase();
}
