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

/// Parses the optional trailing `, axis = N`, `, group_size = N` and
/// `, scheme = log2` entries, in any order, each at most once.
static ParseResult parseSpecOptions(AsmParser &parser,
                                    std::optional<int64_t> &axis,
                                    std::optional<int64_t> &groupSize,
                                    QuantScheme &scheme) {
  bool seenScheme = false;
  while (succeeded(parser.parseOptionalComma())) {
    StringRef key;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (key == "axis" || key == "group_size") {
      std::optional<int64_t> &slot = key == "axis" ? axis : groupSize;
      if (slot)
        return parser.emitError(loc) << "'" << key << "' given twice";
      int64_t value = 0;
      if (parser.parseInteger(value))
        return failure();
      slot = value;
      continue;
    }
    if (key == "scheme") {
      if (seenScheme)
        return parser.emitError(loc) << "'scheme' given twice";
      seenScheme = true;
      StringRef name;
      SMLoc nameLoc = parser.getCurrentLocation();
      if (parser.parseKeyword(&name))
        return failure();
      std::optional<QuantScheme> parsed = symbolizeQuantScheme(name);
      if (!parsed)
        return parser.emitError(nameLoc)
               << "unknown scheme '" << name << "' (expected uniform or log2)";
      scheme = *parsed;
      continue;
    }
    return parser.emitError(loc) << "unknown key '" << key
                                 << "' (expected axis, group_size or scheme)";
  }
  return success();
}

static void printSpecOptions(AsmPrinter &printer, std::optional<int64_t> axis,
                             std::optional<int64_t> groupSize,
                             QuantScheme scheme) {
  if (axis)
    printer << ", axis = " << *axis;
  if (groupSize)
    printer << ", group_size = " << *groupSize;
  if (scheme != QuantScheme::Uniform)
    printer << ", scheme = " << stringifyQuantScheme(scheme);
}

#include "compress/Dialect/Compress/IR/CompressEnums.cpp.inc"

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
                      DenseI64ArrayAttr zeroPoints, std::optional<int64_t> axis,
                      std::optional<int64_t> groupSize, QuantScheme scheme) {
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
  if (groupSize && !axis)
    return emitError() << "expects an axis with group_size";
  if (groupSize && *groupSize <= 0)
    return emitError() << "expects a positive group_size, got " << *groupSize;
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
  if (scheme == QuantScheme::Log2) {
    if (storageType.isUnsigned() || width < 3)
      return emitError() << "expects a signed storage type of at least 3 bits "
                            "for the log2 scheme, got "
                         << storageType;
    if (llvm::any_of(zeroPoints.asArrayRef(), [](int64_t zp) { return zp; }))
      return emitError() << "expects zero points of 0 for the log2 scheme";
  }
  return success();
}

LogicalResult QuantSpecAttr::verifyForShape(
    ArrayRef<int64_t> shape,
    function_ref<InFlightDiagnostic()> emitError) const {
  if (!isPerAxis())
    return success();
  int64_t axis = *getAxis();
  int64_t rank = shape.size();
  if (axis >= rank)
    return emitError() << "quantization axis " << axis
                       << " is out of range for a tensor of rank " << rank;
  if (ShapedType::isDynamic(shape[axis]))
    return emitError() << "per-axis quantization needs a static size along "
                          "axis "
                       << axis;
  int64_t expected = shape[axis];
  if (isPerGroup()) {
    int64_t slice = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      if (ShapedType::isDynamic(shape[d]))
        return emitError() << "per-group quantization needs a static shape";
      slice *= shape[d];
    }
    if (slice % *getGroupSize() != 0)
      return emitError() << "group_size " << *getGroupSize()
                         << " does not divide the slice size " << slice;
    expected *= slice / *getGroupSize();
  }
  if (expected != static_cast<int64_t>(getScales().size()))
    return emitError() << "expects " << expected << " scales for axis " << axis
                       << ", got " << getScales().size();
  return success();
}

int64_t QuantSpecAttr::getNumParamsFor(ArrayRef<int64_t> shape) const {
  if (!isPerAxis())
    return 1;
  int64_t count = shape[*getAxis()];
  if (isPerGroup()) {
    int64_t slice = 1;
    for (auto [d, size] : llvm::enumerate(shape))
      if (static_cast<int64_t>(d) != *getAxis())
        slice *= size;
    count *= slice / *getGroupSize();
  }
  return count;
}

int64_t QuantSpecAttr::getParamIndex(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> indices) const {
  if (!isPerAxis())
    return 0;
  int64_t axis = *getAxis();
  if (!isPerGroup())
    return indices[axis];
  int64_t slice = 1, linear = 0;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (static_cast<int64_t>(d) == axis)
      continue;
    linear = linear * size + indices[d];
    slice *= size;
  }
  return indices[axis] * (slice / *getGroupSize()) + linear / *getGroupSize();
}

bool QuantSpecAttr::hasF16Scales() const {
  return llvm::all_of(getScales().asArrayRef(), [](double scale) {
    APFloat value(scale);
    bool losesInfo = false;
    value.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    return !losesInfo && value.isNormal();
  });
}

bool QuantSpecAttr::hasNonZeroZeroPoints() const {
  return llvm::any_of(getZeroPoints().asArrayRef(),
                      [](int64_t zp) { return zp != 0; });
}

bool QuantSpecAttr::isSymmetricInt8Along(int64_t axis) const {
  return getBitWidth() == 8 && isSigned() && !isLog2() && !isPerGroup() &&
         !hasNonZeroZeroPoints() && (!isPerAxis() || *getAxis() == axis);
}

int64_t QuantSpecAttr::getParamStorageBytes() const {
  int64_t count = getScales().size();
  int64_t bytes = count * (hasF16Scales() ? 2 : 4);
  if (hasNonZeroZeroPoints())
    bytes += count * ((getBitWidth() + 7) / 8);
  return bytes;
}

void mlir::compress::advanceRowMajor(MutableArrayRef<int64_t> indices,
                                     ArrayRef<int64_t> shape) {
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (++indices[d] < shape[d])
      return;
    indices[d] = 0;
  }
}

int64_t QuantSpecAttr::quantize(double x, int64_t param) const {
  double scale = getScales()[param];
  int64_t qmin = getQMin(), qmax = getQMax();
  if (std::isnan(x))
    return 0;
  if (isLog2()) {
    if (x == 0.0)
      return 0;
    double e = std::nearbyint(std::log2(scale / std::fabs(x)));
    if (e > static_cast<double>(qmax - 1))
      return 0;
    int64_t code = static_cast<int64_t>(std::max(e, 0.0)) + 1;
    return x < 0 ? -code : code;
  }
  double q = std::nearbyint(x / scale) + getZeroPoints()[param];
  return static_cast<int64_t>(
      std::min<double>(std::max<double>(q, qmin), qmax));
}

double QuantSpecAttr::dequantize(int64_t q, int64_t param) const {
  double scale = getScales()[param];
  if (isLog2()) {
    if (q == 0)
      return 0.0;
    double magnitude = std::ldexp(scale, -static_cast<int>(std::abs(q) - 1));
    return q < 0 ? -magnitude : magnitude;
  }
  return static_cast<double>(q - getZeroPoints()[param]) * scale;
}
