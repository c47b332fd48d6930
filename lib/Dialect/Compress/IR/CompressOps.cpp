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

LogicalResult FakeQuantOp::verify() {
  QuantSpecAttr spec = getSpec();
  auto type = getInput().getType();
  bool computesInF64 = type.getElementType().isF64();
  for (auto [i, scale] : llvm::enumerate(spec.getScales().asArrayRef())) {
    float asFloat = static_cast<float>(scale);
    if (!computesInF64 && (!std::isfinite(asFloat) || asFloat <= 0.0f))
      return emitOpError() << "scale " << scale << " at index " << i
                           << " is not a positive finite f32 value";
  }
  if (!spec.isPerAxis())
    return success();
  int64_t axis = *spec.getAxis();
  if (axis >= type.getRank())
    return emitOpError() << "quantization axis " << axis
                         << " is out of range for a tensor of rank "
                         << type.getRank();
  if (type.isDynamicDim(axis))
    return emitOpError() << "per-axis quantization needs a static size along "
                            "axis "
                         << axis;
  if (type.getDimSize(axis) != static_cast<int64_t>(spec.getScales().size()))
    return emitOpError() << "expects " << type.getDimSize(axis)
                         << " scales for axis " << axis << ", got "
                         << spec.getScales().size();
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

  int64_t inner = 1, axisSize = 1;
  if (spec.isPerAxis()) {
    int64_t axis = *spec.getAxis();
    axisSize = type.getDimSize(axis);
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  }
  ArrayRef<double> scales = spec.getScales().asArrayRef();
  ArrayRef<int64_t> zeroPoints = spec.getZeroPoints().asArrayRef();
  double qmin = spec.getQMin(), qmax = spec.getQMax();

  SmallVector<APFloat> results;
  results.reserve(type.getNumElements());
  int64_t index = 0;
  for (APFloat value : input.getValues<APFloat>()) {
    int64_t channel = spec.isPerAxis() ? (index / inner) % axisSize : 0;
    ++index;
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
