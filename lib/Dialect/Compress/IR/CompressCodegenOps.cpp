//===- CompressCodegenOps.cpp - CPU code generation ops -------------------===//
//
// Verifiers of the compress dialect's code-generation ops.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::compress;

#define GET_OP_CLASSES
#include "compress/Dialect/Compress/IR/CompressCodegenOps.cpp.inc"

LogicalResult FusionGroupOp::verify() {
  Block &body = getBody().front();
  auto yield = dyn_cast_or_null<YieldOp>(body.empty() ? nullptr : &body.back());
  if (!yield)
    return emitOpError("region must end with 'compress.yield'");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().size() << " value(s) of types "
           << yield.getValues().getTypes() << " but the group has "
           << getNumResults() << " result(s) of types " << getResultTypes();
  if (std::next(body.begin()) == body.end())
    return emitOpError("must contain at least one op besides the terminator");
  return success();
}

LogicalResult VNNIDotOp::verify() {
  int64_t lanes = getAcc().getType().getNumElements();
  if (lanes != 4 && lanes != 8 && lanes != 16)
    return emitOpError("accumulator must have 4, 8 or 16 i32 lanes, got ")
           << lanes;
  if (getLhs().getType().getNumElements() != 4 * lanes)
    return emitOpError("byte operands must have 4 x ")
           << lanes << " = " << 4 * lanes << " elements, got "
           << getLhs().getType().getNumElements();
  return success();
}

LogicalResult LookupOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferredReturnTypes) {
  auto table = dyn_cast<VectorType>(operands[0].getType());
  auto indices = dyn_cast<VectorType>(operands[1].getType());
  if (!table || !indices)
    return failure();
  inferredReturnTypes.push_back(
      VectorType::get(indices.getShape(), table.getElementType()));
  return success();
}

LogicalResult LookupOp::verify() {
  VectorType table = getTable().getType();
  if (table.getNumElements() != 16)
    return emitOpError("table must have 16 entries, got ")
           << table.getNumElements();
  int64_t lanes = getIndices().getType().getNumElements();
  if (lanes != 8 && lanes != 16)
    return emitOpError("indices must have 8 or 16 lanes, got ") << lanes;
  return success();
}
