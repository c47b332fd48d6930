//===- CompressOps.cpp - Compress operations ------------------------------===//
//
// Verifiers and folders of the compress dialect's operations.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::compress;

#define GET_OP_CLASSES
#include "compress/Dialect/Compress/IR/CompressOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Reference arithmetic
//===----------------------------------------------------------------------===//

template <typename T>
static T fakeQuantizeImpl(T x, T scale, T zeroPoint, T qmin, T qmax) {
  if (std::isnan(x))
    return x;
  // std::nearbyint rounds half to even in the default rounding mode, like
  // math.roundeven in the lowering.
  T q = std::nearbyint(x / scale) + zeroPoint;
  q = std::min(std::max(q, qmin), qmax);
  return (q - zeroPoint) * scale;
}

float mlir::compress::fakeQuantize(float x, float scale, float zeroPoint,
                                   float qmin, float qmax) {
  return fakeQuantizeImpl(x, scale, zeroPoint, qmin, qmax);
}

double mlir::compress::fakeQuantize(double x, double scale, double zeroPoint,
                                    double qmin, double qmax) {
  return fakeQuantizeImpl(x, scale, zeroPoint, qmin, qmax);
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

/// Checks what every op carrying a spec needs: an f32-representable scale
/// (unless computing in f64) and a spec that fits the tensor's shape.
static LogicalResult verifySpecFor(Operation *op, QuantSpecAttr spec,
                                   RankedTensorType floatType) {
  bool computesInF64 = floatType.getElementType().isF64();
  for (auto [i, scale] : llvm::enumerate(spec.getScales().asArrayRef())) {
    float asFloat = static_cast<float>(scale);
    if (!computesInF64 && (!std::isfinite(asFloat) || asFloat <= 0.0f))
      return op->emitOpError() << "scale " << scale << " at index " << i
                               << " is not a positive finite f32 value";
  }
  return spec.verifyForShape(floatType.getShape(),
                             [&]() { return op->emitOpError(); });
}

/// Checks that an integer tensor holds codes of `spec`'s width.
static LogicalResult verifyCodeType(Operation *op, QuantSpecAttr spec,
                                    RankedTensorType intType) {
  unsigned width = intType.getElementType().getIntOrFloatBitWidth();
  if (width != spec.getBitWidth())
    return op->emitOpError()
           << "expects integer codes of " << spec.getBitWidth()
           << " bits for storage type " << spec.getStorageType() << ", got "
           << intType.getElementType();
  return success();
}

LogicalResult FakeQuantOp::verify() {
  if (getSpec().isLog2())
    return emitOpError() << "does not support the log2 scheme (only "
                            "compress.dequantize does)";
  return verifySpecFor(*this, getSpec(), getInput().getType());
}

LogicalResult QuantizeOp::verify() {
  if (getSpec().isLog2())
    return emitOpError() << "does not support the log2 scheme (only "
                            "compress.dequantize does)";
  if (failed(verifyCodeType(*this, getSpec(), getResult().getType())))
    return failure();
  return verifySpecFor(*this, getSpec(), getInput().getType());
}

LogicalResult DequantizeOp::verify() {
  if (failed(verifyCodeType(*this, getSpec(), getInput().getType())))
    return failure();
  return verifySpecFor(*this, getSpec(), getResult().getType());
}

LogicalResult DynamicQuantizeOp::verify() {
  unsigned width =
      getResult().getType().getElementType().getIntOrFloatBitWidth();
  if (width < 2 || width > 16)
    return emitOpError() << "expects integer codes of 2 to 16 bits, got "
                         << getResult().getType().getElementType();
  return success();
}

LogicalResult ObserveOp::verify() {
  if (getKey().empty())
    return emitOpError() << "expects a non-empty key";
  if (getInput().getType().getRank() == 0)
    return emitOpError() << "expects an input of rank 1 or more";
  return success();
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  QuantSpecAttr spec = getSpec();
  // Fake quantization is idempotent.
  if (auto producer = getInput().getDefiningOp<FakeQuantOp>())
    if (producer.getSpec() == spec)
      return getInput();

  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  auto type = cast<RankedTensorType>(input.getType());
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  bool useDouble = type.getElementType().isF64();

  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> indices(shape.size(), 0);
  ArrayRef<double> scales = spec.getScales().asArrayRef();
  ArrayRef<int64_t> zeroPoints = spec.getZeroPoints().asArrayRef();
  double qmin = spec.getQMin(), qmax = spec.getQMax();

  SmallVector<APFloat> results;
  results.reserve(type.getNumElements());
  for (APFloat value : input.getValues<APFloat>()) {
    int64_t channel = spec.getParamIndex(shape, indices);
    advanceRowMajor(indices, shape);
    double scale = scales[channel];
    double zeroPoint = zeroPoints[channel];
    if (useDouble) {
      results.emplace_back(
          fakeQuantize(value.convertToDouble(), scale, zeroPoint, qmin, qmax));
      continue;
    }
    bool losesInfo = false;
    value.convert(llvm::APFloat::IEEEsingle(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    APFloat result(
        fakeQuantize(value.convertToFloat(), static_cast<float>(scale),
                     static_cast<float>(zeroPoint), static_cast<float>(qmin),
                     static_cast<float>(qmax)));
    result.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    results.push_back(result);
  }
  return DenseElementsAttr::get(type, results);
}
