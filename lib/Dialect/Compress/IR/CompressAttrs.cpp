//===- CompressAttrs.cpp - Compress attributes ----------------------------===//
//
// Verification and helpers of the compress dialect's attributes.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::compress;

/// Parses `[f, f, ...]` into a DenseF64ArrayAttr, accepting every float
/// syntax of the IR (decimal and hexadecimal bit patterns).
static ParseResult parseFloatList(AsmParser &parser, DenseF64ArrayAttr &list) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        APFloat value(0.0);
        if (parser.parseFloat(llvm::APFloat::IEEEdouble(), value))
          return failure();
        values.push_back(value.convertToDouble());
        return success();
      }))
    return failure();
  list = DenseF64ArrayAttr::get(parser.getContext(), values);
  return success();
}

/// Prints a DenseF64ArrayAttr as `[f, f, ...]` in a form that round-trips
/// exactly (the builtin array printer drops digits).
static void printFloatList(AsmPrinter &printer, DenseF64ArrayAttr list) {
  printer << "[";
  llvm::interleaveComma(list.asArrayRef(), printer, [&](double value) {
    printer.printFloat(APFloat(value));
  });
  printer << "]";
}

#define GET_ATTRDEF_CLASSES
#include "compress/Dialect/Compress/IR/CompressAttrs.cpp.inc"

void CompressDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "compress/Dialect/Compress/IR/CompressAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// QuantSpecAttr
//===----------------------------------------------------------------------===//

static int64_t qminFor(IntegerType type) {
  if (type.isUnsigned())
    return 0;
  return -(int64_t(1) << (type.getWidth() - 1));
}

static int64_t qmaxFor(IntegerType type) {
  if (type.isUnsigned())
    return (int64_t(1) << type.getWidth()) - 1;
  return (int64_t(1) << (type.getWidth() - 1)) - 1;
}

int64_t QuantSpecAttr::getQMin() const { return qminFor(getStorageType()); }

int64_t QuantSpecAttr::getQMax() const { return qmaxFor(getStorageType()); }

LogicalResult
QuantSpecAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      IntegerType storageType, DenseF64ArrayAttr scales,
                      DenseI64ArrayAttr zeroPoints,
                      std::optional<int64_t> axis) {
  unsigned width = storageType.getWidth();
  if (width < 2 || width > 16)
    return emitError() << "expects a storage type of 2 to 16 bits, got "
                       << storageType;
  if (scales.empty())
    return emitError() << "expects at least one scale";
  if (scales.size() != zeroPoints.size())
    return emitError() << "expects as many zero points as scales, got "
                       << zeroPoints.size() << " zero points and "
                       << scales.size() << " scales";
  if (!axis && scales.size() != 1)
    return emitError() << "expects exactly one scale without an axis, got "
                       << scales.size();
  if (axis && *axis < 0)
    return emitError() << "expects a non-negative axis, got " << *axis;
  for (auto [i, scale] : llvm::enumerate(scales.asArrayRef()))
    if (!std::isfinite(scale) || scale <= 0.0)
      return emitError() << "expects positive finite scales, got " << scale
                         << " at index " << i;
  int64_t qmin = qminFor(storageType), qmax = qmaxFor(storageType);
  for (auto [i, zp] : llvm::enumerate(zeroPoints.asArrayRef()))
    if (zp < qmin || zp > qmax)
      return emitError() << "expects zero points in [" << qmin << ", " << qmax
                         << "] for " << storageType << ", got " << zp
                         << " at index " << i;
  return success();
}
