//===- CompressToLinalg.cpp - Lower compress ops to linalg ----------------===//
//
// Rewrites compress-dialect ops into linalg.generic ops on tensors with arith
// and math bodies.
//
//===----------------------------------------------------------------------===//

#include "compress/Conversion/CompressToLinalg/CompressToLinalg.h"
#include "compress/Conversion/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::compress {
#define GEN_PASS_DEF_CONVERTCOMPRESSTOLINALGPASS
#include "compress/Conversion/Passes.h.inc"
} // namespace mlir::compress

using namespace mlir;
using namespace mlir::compress;

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// The affine expression, over the loops of an elementwise op on a tensor of
/// `shape`, that selects the parameter set (scale and zero point) of `spec`.
static AffineExpr getParamIndexExpr(QuantSpecAttr spec, ArrayRef<int64_t> shape,
                                    MLIRContext *context) {
  int64_t axis = *spec.getAxis();
  AffineExpr channel = getAffineDimExpr(axis, context);
  if (!spec.isPerGroup())
    return channel;
  int64_t groupSize = *spec.getGroupSize();
  AffineExpr linear = getAffineConstantExpr(0, context);
  int64_t slice = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (d == axis)
      continue;
    linear = linear + getAffineDimExpr(d, context) * slice;
    slice *= shape[d];
  }
  // Group-major: consecutive channels of one group are consecutive
  // parameters, so a kernel that vectorizes over channels reads them as one
  // contiguous vector (see paramOrder).
  return linear.floorDiv(groupSize) * shape[axis] + channel;
}

/// The spec's parameter (scale or zero point) stored at each position of
/// the constant read through getParamIndexExpr: the spec orders per-group
/// parameters channel-major (channel * groups + group), the constant
/// group-major (group * channels + channel).
static SmallVector<int64_t> paramOrder(QuantSpecAttr spec,
                                       ArrayRef<int64_t> shape) {
  int64_t count = spec.getScales().size();
  SmallVector<int64_t> order(count);
  if (!spec.isPerGroup()) {
    for (int64_t i = 0; i < count; ++i)
      order[i] = i;
    return order;
  }
  int64_t channels = shape[*spec.getAxis()];
  int64_t groups = count / channels;
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t c = 0; c < channels; ++c)
      order[g * channels + c] = c * groups + g;
  return order;
}

namespace {

/// Scales and zero points of a spec as seen from inside an elementwise
/// linalg.generic: scalar constants for a per-tensor spec, otherwise 1-D
/// constant tensors read through an indexing map (per axis or per group).
struct SpecParams {
  /// Extra inputs of the generic and their indexing maps.
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  /// Per-tensor scalars (null when the parameters are generic inputs).
  Value scale, zeroPoint;

  /// Builds the parameters with scales of `scaleType` and zero points of
  /// `zeroPointType` (a float or integer type). With `compact`, per-axis
  /// scales are stored as f16 when that is exact and integer zero points in
  /// the storage width (or not at all when they are all 0); `get` widens
  /// them again.
  SpecParams(OpBuilder &b, Location loc, QuantSpecAttr spec,
             ArrayRef<int64_t> shape, FloatType scaleType, Type zeroPointType,
             bool compact = false)
      : scaleType(scaleType), zeroPointType(zeroPointType) {
    auto zeroPointAttr = [&](Type type, int64_t zp) -> Attribute {
      if (isa<FloatType>(type))
        return b.getFloatAttr(type, static_cast<double>(zp));
      return b.getIntegerAttr(type, zp);
    };
    if (!spec.isPerAxis()) {
      scale = arith::ConstantOp::create(
          b, loc, b.getFloatAttr(scaleType, spec.getScales()[0]));
      zeroPoint = arith::ConstantOp::create(
          b, loc,
          cast<TypedAttr>(
              zeroPointAttr(zeroPointType, spec.getZeroPoints()[0])));
      return;
    }
    int64_t count = spec.getScales().size();
    AffineMap map = AffineMap::get(
        shape.size(), 0, getParamIndexExpr(spec, shape, b.getContext()));
    FloatType storedScaleType = scaleType;
    if (compact && spec.hasF16Scales())
      storedScaleType = b.getF16Type();
    SmallVector<int64_t> order = paramOrder(spec, shape);
    SmallVector<Attribute> scales;
    for (int64_t i : order)
      scales.push_back(
          b.getFloatAttr(storedScaleType, spec.getScales().asArrayRef()[i]));
    inputs.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({count}, storedScaleType),
                               scales)));
    maps.push_back(map);
    if (compact && !spec.hasNonZeroZeroPoints()) {
      zeroPoint = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(zeroPointAttr(zeroPointType, 0)));
      return;
    }
    Type storedZeroPointType = zeroPointType;
    if (compact && isa<IntegerType>(zeroPointType))
      storedZeroPointType = b.getIntegerType(spec.getBitWidth() <= 8 ? 8 : 16);
    SmallVector<Attribute> zeroPoints;
    for (int64_t i : order)
      zeroPoints.push_back(zeroPointAttr(storedZeroPointType,
                                         spec.getZeroPoints().asArrayRef()[i]));
    inputs.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({count}, storedZeroPointType), zeroPoints)));
    maps.push_back(map);
  }

  /// Returns (scale, zero point) inside the generic body, given the block
  /// arguments that correspond to `inputs`, widened to the computation types.
  std::pair<Value, Value> get(OpBuilder &b, Location loc,
                              ValueRange paramArgs) const {
    // Block arguments: the op's inputs (then its output, ignored here).
    if (scale)
      return {scale, zeroPoint};
    Value s = paramArgs[0];
    if (s.getType() != scaleType)
      s = arith::ExtFOp::create(b, loc, scaleType, s);
    if (zeroPoint)
      return {s, zeroPoint};
    Value zp = paramArgs[1];
    if (zp.getType() != zeroPointType)
      zp = arith::ExtSIOp::create(b, loc, zeroPointType, zp);
    return {s, zp};
  }

private:
  FloatType scaleType;
  Type zeroPointType;
};

/// Computation type of a float element type: f64 stays f64, everything else
/// is computed in f32.
static FloatType getComputeType(Type elementType) {
  if (elementType.isF64())
    return cast<FloatType>(elementType);
  return Float32Type::get(elementType.getContext());
}

/// Float constants qmin and qmax, created before the generic that uses them.
struct Bounds {
  Value lo, hi;
  Bounds(OpBuilder &b, Location loc, FloatType type, int64_t qmin, int64_t qmax)
      : lo(arith::ConstantOp::create(
            b, loc, b.getFloatAttr(type, static_cast<double>(qmin)))),
        hi(arith::ConstantOp::create(
            b, loc, b.getFloatAttr(type, static_cast<double>(qmax)))) {}
};

/// Emits `x / s` given `r`, the correctly rounded reciprocal of `s`, without
/// a division (a vector division costs 5-10 cycles per vector, a quarter of
/// a requantizing epilogue): q0 = x * r is within an ulp of x / s, the
/// remainder e = x - q0 * s is exact in one FMA, and q0 + e * r is the
/// correctly rounded quotient (Markstein), so the quantized code is the one
/// the division gives. q0 is first clamped to +-2^20 (beyond any code range;
/// codes there saturate either way) so that an infinite x yields an
/// infinite quotient of its sign instead of inf - inf. NaN propagates.
static Value emitQuotient(OpBuilder &b, Location loc, Value x, Value s,
                          Value r) {
  auto type = cast<FloatType>(x.getType());
  Value limit =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(type, 1 << 20));
  Value negLimit =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(type, -(1 << 20)));
  Value q0 = arith::MulFOp::create(b, loc, x, r);
  q0 = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, q0, negLimit), limit);
  Value e =
      math::FmaOp::create(b, loc, arith::NegFOp::create(b, loc, q0), s, x);
  return math::FmaOp::create(b, loc, e, r, q0);
}

/// The reciprocal of a constant scale, correctly rounded in the scale's own
/// precision; `exact` for powers of two, where x * r is exactly x / s.
struct Reciprocal {
  Value value;
  bool exact = false;
};

/// The reciprocal of the float constant `s`, or a null value if `s` is not a
/// constant or 1 / s overflows (a subnormal scale).
static Reciprocal createReciprocal(OpBuilder &b, Location loc, Value s) {
  FloatAttr attr;
  if (!matchPattern(s, m_Constant(&attr)))
    return {};
  APFloat one(attr.getValue().getSemantics(), 1);
  APFloat::opStatus status =
      one.divide(attr.getValue(), APFloat::rmNearestTiesToEven);
  if (status & ~APFloat::opInexact)
    return {};
  return {
      arith::ConstantOp::create(b, loc, b.getFloatAttr(attr.getType(), one)),
      status == APFloat::opOK};
}

/// Emits `clamp(roundeven(x / s) + zp, qmin, qmax)` in float; with the
/// reciprocal of a constant s the quotient needs no division. NaN
/// propagates (maximumf/minimumf do) unless `nanToZeroPoint`, which maps it
/// to `zp` as integer codes need.
static Value emitQuantizeFloat(OpBuilder &b, Location loc, Value x, Value s,
                               Reciprocal reciprocal, Value zp,
                               const Bounds &bounds,
                               bool nanToZeroPoint = true) {
  Value v;
  if (!reciprocal.value)
    v = arith::DivFOp::create(b, loc, x, s);
  else if (reciprocal.exact)
    v = arith::MulFOp::create(b, loc, x, reciprocal.value);
  else
    v = emitQuotient(b, loc, x, s, reciprocal.value);
  v = math::RoundEvenOp::create(b, loc, v);
  v = arith::AddFOp::create(b, loc, v, zp);
  v = arith::MaximumFOp::create(b, loc, v, bounds.lo);
  v = arith::MinimumFOp::create(b, loc, v, bounds.hi);
  if (!nanToZeroPoint)
    return v;
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  return arith::SelectOp::create(b, loc, isNan, zp, v);
}

/// Creates an elementwise linalg.generic over the shape of `like` producing a
/// tensor of `elementType`.
static linalg::GenericOp
createElementwise(OpBuilder &b, Location loc, Value like, Type elementType,
                  SmallVector<Value> inputs, SmallVector<AffineMap> maps,
                  function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(like.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  Value init = tensor::EmptyOp::create(b, loc, sizes, elementType);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, inputs,
                                   ValueRange{init}, maps, iterators, body);
}

/// Builds the elementwise generic shared by fake_quant and quantize: the
/// input is widened to the computation type and quantized to clamped float
/// codes, then `finish(b, loc, code, scale, zeroPoint)` maps each code to an
/// element of `resultElementType`.
static linalg::GenericOp lowerQuantizeLike(
    OpBuilder &rewriter, Location loc, Value input, QuantSpecAttr spec,
    Type resultElementType, bool nanToZeroPoint,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> finish) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  FloatType computeType = getComputeType(elementType);
  SpecParams params(rewriter, loc, spec, type.getShape(), computeType,
                    computeType);
  Bounds bounds(rewriter, loc, computeType, spec.getQMin(), spec.getQMax());
  Reciprocal reciprocal;
  if (params.scale)
    reciprocal = createReciprocal(rewriter, loc, params.scale);
  SmallVector<Value> inputs = {input};
  llvm::append_range(inputs, params.inputs);
  SmallVector<AffineMap> maps = {
      rewriter.getMultiDimIdentityMap(type.getRank())};
  llvm::append_range(maps, params.maps);
  return createElementwise(
      rewriter, loc, input, resultElementType, inputs, maps,
      [&](OpBuilder &b, Location nested, ValueRange args) {
        auto [s, zp] = params.get(b, nested, args.drop_front());
        Value x = args[0];
        if (elementType != computeType)
          x = arith::ExtFOp::create(b, nested, computeType, x);
        Value code = emitQuantizeFloat(b, nested, x, s, reciprocal, zp, bounds,
                                       nanToZeroPoint);
        linalg::YieldOp::create(b, nested, finish(b, nested, code, s, zp));
      });
}

/// Lowers compress.fake_quant to an elementwise linalg.generic computing
/// (clamp(roundeven(x / s) + zp, qmin, qmax) - zp) * s.
struct FakeQuantLowering : OpConversionPattern<FakeQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FakeQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = op.getInput().getType().getElementType();
    auto generic = lowerQuantizeLike(
        rewriter, op.getLoc(), adaptor.getInput(), op.getSpec(), elementType,
        /*nanToZeroPoint=*/false,
        [&](OpBuilder &b, Location loc, Value code, Value s, Value zp) {
          Value v = arith::SubFOp::create(b, loc, code, zp);
          v = arith::MulFOp::create(b, loc, v, s);
          if (v.getType() != elementType)
            v = arith::TruncFOp::create(b, loc, elementType, v);
          return v;
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Lowers compress.quantize to an elementwise linalg.generic producing integer
/// codes.
struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type codeType = op.getResult().getType().getElementType();
    auto generic = lowerQuantizeLike(
        rewriter, op.getLoc(), adaptor.getInput(), op.getSpec(), codeType,
        /*nanToZeroPoint=*/true,
        [&](OpBuilder &b, Location loc, Value code, Value, Value) {
          // The code is an integer within [qmin, qmax]; unsigned codes go
          // through a signed conversion of a wider type.
          Value v = arith::FPToSIOp::create(b, loc, b.getI32Type(), code);
          return arith::TruncIOp::create(b, loc, codeType, v).getResult();
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Emits the real value of the i32 code `q` (already extended) under a log2
/// spec with scale `s`: 0 for q = 0, else sign(q) * s * 2^-(|q| - 1).
static Value emitLog2Decode(OpBuilder &b, Location loc, Value q, Value s) {
  Type i32 = b.getI32Type();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, v));
  };
  Value magnitude = math::AbsIOp::create(b, loc, q);
  // 2^-(|q| - 1) as the bits of an f32 with exponent 127 - (|q| - 1); codes
  // have |q| <= 2^15 so the exponent is clamped to stay a normal number
  // (the verifier-free 16-bit case decodes tiny values to the f32 minimum).
  Value exponent = arith::SubIOp::create(b, loc, c(128), magnitude);
  exponent = arith::MaxSIOp::create(b, loc, exponent, c(1));
  Value bits = arith::ShLIOp::create(b, loc, exponent, c(23));
  Value power = arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
  // sign(q) * 2^-(|q| - 1), 0 for q = 0: a function of the code alone (a
  // table for sub-byte codes), then times the scale (positive and finite,
  // so the order changes no bit).
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, q, c(0));
  Value v = arith::SelectOp::create(
      b, loc, negative, arith::NegFOp::create(b, loc, power), power);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, q, c(0));
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  v = arith::SelectOp::create(b, loc, isZero, zero, v);
  return arith::MulFOp::create(b, loc, v, s);
}

/// Lowers compress.dequantize to an elementwise linalg.generic that reads
/// the codes as they are (sub-byte codes too: code generation decides how
/// they are stored, see compress-fuse-dequant and
/// compress-tile-and-vectorize).
struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type resultElementType = op.getResult().getType().getElementType();
    QuantSpecAttr spec = op.getSpec();
    Type i32 = rewriter.getI32Type();
    FloatType f32 = rewriter.getF32Type();
    int64_t rank = type.getRank();
    SpecParams params(rewriter, loc, spec, type.getShape(), f32, i32,
                      /*compact=*/true);

    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    llvm::append_range(inputs, params.inputs);
    llvm::append_range(maps, params.maps);
    bool isSigned = spec.isSigned();

    // The sizes come from the codes: sizes of the op's own result would be
    // tensor.dim ops of the value that replaces it, before its definition.
    auto generic = createElementwise(
        rewriter, loc, input, resultElementType, inputs, maps,
        [&](OpBuilder &b, Location nested, ValueRange args) {
          auto [s, zp] = params.get(b, nested, args.drop_front());
          Value code = args[0];
          Value q = code;
          if (cast<IntegerType>(code.getType()).getWidth() < 32)
            q = isSigned
                    ? arith::ExtSIOp::create(b, nested, i32, code).getResult()
                    : arith::ExtUIOp::create(b, nested, i32, code).getResult();
          Value v;
          if (spec.isLog2()) {
            v = emitLog2Decode(b, nested, q, s);
          } else {
            Value centered = arith::SubIOp::create(b, nested, q, zp);
            v = arith::SIToFPOp::create(b, nested, f32, centered);
            v = arith::MulFOp::create(b, nested, v, s);
          }
          if (resultElementType != f32)
            v = resultElementType.getIntOrFloatBitWidth() > 32
                    ? arith::ExtFOp::create(b, nested, resultElementType, v)
                          .getResult()
                    : arith::TruncFOp::create(b, nested, resultElementType, v)
                          .getResult();
          linalg::YieldOp::create(b, nested, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Lowers compress.dynamic_quantize: one reduction computes the range
/// (extended to include zero), scalar arithmetic derives the scale and zero
/// point, and an elementwise generic quantizes.
struct DynamicQuantizeLowering : OpConversionPattern<DynamicQuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto codeType =
        cast<IntegerType>(op.getResult().getType().getElementType());
    FloatType f32 = rewriter.getF32Type();
    Type i32 = rewriter.getI32Type();
    int64_t rank = type.getRank();
    int64_t qmin = -(int64_t(1) << (codeType.getWidth() - 1));
    int64_t qmax = (int64_t(1) << (codeType.getWidth() - 1)) - 1;
    auto fc = [&](double v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getF32FloatAttr(v));
    };

    // Range: min and max in one pass, starting from 0.
    auto scalarType = RankedTensorType::get({}, f32);
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{}, f32);
    Value minInit =
        linalg::FillOp::create(rewriter, loc, fc(0.0), empty).getResult(0);
    Value maxInit =
        linalg::FillOp::create(rewriter, loc, fc(0.0), empty).getResult(0);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, rewriter.getContext()),
        AffineMap::get(rank, 0, rewriter.getContext())};
    SmallVector<utils::IteratorType> reductions(rank,
                                                utils::IteratorType::reduction);
    auto range = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, ValueRange{input},
        ValueRange{minInit, maxInit}, maps, reductions,
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value lo = arith::MinNumFOp::create(b, nested, args[1], args[0]);
          Value hi = arith::MaxNumFOp::create(b, nested, args[2], args[0]);
          linalg::YieldOp::create(b, nested, ValueRange{lo, hi});
        });
    Value lo = tensor::ExtractOp::create(rewriter, loc, range.getResult(0),
                                         ValueRange{});
    Value hi = tensor::ExtractOp::create(rewriter, loc, range.getResult(1),
                                         ValueRange{});

    Value scale, zeroPoint;
    if (op.getSymmetric()) {
      Value amax = arith::MaximumFOp::create(
          rewriter, loc, arith::NegFOp::create(rewriter, loc, lo), hi);
      scale = arith::DivFOp::create(rewriter, loc, amax,
                                    fc(static_cast<double>(qmax)));
      zeroPoint = fc(0.0);
    } else {
      scale = arith::DivFOp::create(
          rewriter, loc, arith::SubFOp::create(rewriter, loc, hi, lo),
          fc(static_cast<double>(qmax - qmin)));
    }
    // An all-zero tensor gets scale 1.
    Value isZero = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OEQ, scale, fc(0.0));
    scale = arith::SelectOp::create(rewriter, loc, isZero, fc(1.0), scale);
    if (!op.getSymmetric()) {
      Value shifted = math::RoundEvenOp::create(
          rewriter, loc, arith::DivFOp::create(rewriter, loc, lo, scale));
      zeroPoint = arith::SubFOp::create(rewriter, loc,
                                        fc(static_cast<double>(qmin)), shifted);
      zeroPoint = arith::MinimumFOp::create(
          rewriter, loc,
          arith::MaximumFOp::create(rewriter, loc, zeroPoint,
                                    fc(static_cast<double>(qmin))),
          fc(static_cast<double>(qmax)));
    }

    Bounds bounds(rewriter, loc, f32, qmin, qmax);
    auto generic = createElementwise(
        rewriter, loc, input, codeType, {input},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value v = emitQuantizeFloat(b, nested, args[0], scale, Reciprocal(),
                                      zeroPoint, bounds);
          v = arith::FPToSIOp::create(b, nested, i32, v);
          v = arith::TruncIOp::create(b, nested, codeType, v);
          linalg::YieldOp::create(b, nested, v);
        });
    Value zeroPointInt = arith::FPToSIOp::create(rewriter, loc, i32, zeroPoint);
    Value scaleTensor = tensor::FromElementsOp::create(
        rewriter, loc, scalarType, ValueRange{scale});
    Value zeroPointTensor = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, i32),
        ValueRange{zeroPointInt});
    rewriter.replaceOp(op,
                       {generic.getResult(0), scaleTensor, zeroPointTensor});
    return success();
  }
};

/// Lowers compress.widen to an elementwise arith.extf generic.
struct WidenLowering : OpConversionPattern<WidenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(WidenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    Type resultElementType = op.getResult().getType().getElementType();
    auto generic = createElementwise(
        rewriter, op.getLoc(), input, resultElementType, {input},
        {rewriter.getMultiDimIdentityMap(op.getResult().getType().getRank())},
        [&](OpBuilder &b, Location nested, ValueRange args) {
          linalg::YieldOp::create(b, nested,
                                  ValueRange{arith::ExtFOp::create(
                                      b, nested, resultElementType, args[0])});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Lowers compress.observe to calls of the calibration runtime
/// (`compress_observe_range(id, memref<?xf32>)` and
/// `compress_observe_gram(id, memref<?x?xf32>)`, C interface). The id is the
/// key's index in the module's `compress.observe_keys` array, which the
/// runner reads to name the statistics.
struct ObserveLowering : OpConversionPattern<ObserveOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ObserveOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto module = op->getParentOfType<ModuleOp>();
    auto keys = module ? module->getAttrOfType<ArrayAttr>(kObserveKeysAttr)
                       : ArrayAttr();
    if (!keys)
      return rewriter.notifyMatchFailure(op, "no compress.observe_keys");
    auto it = llvm::find(keys, op.getKeyAttr());
    if (it == keys.end())
      return rewriter.notifyMatchFailure(op,
                                         "key not in compress.observe_keys");
    Location loc = op.getLoc();
    Value id = arith::ConstantOp::create(
        rewriter, loc, rewriter.getI64IntegerAttr(it - keys.begin()));
    FloatType f32 = rewriter.getF32Type();

    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() > 1) {
      ReassociationIndices all;
      for (int64_t d = 0; d < type.getRank(); ++d)
        all.push_back(d);
      input = tensor::CollapseShapeOp::create(
          rewriter, loc, input, ArrayRef<ReassociationIndices>{all});
    }
    auto flatType = RankedTensorType::get({ShapedType::kDynamic}, f32);
    if (input.getType() != flatType)
      input = tensor::CastOp::create(rewriter, loc, flatType, input);
    func::CallOp::create(rewriter, loc, kObserveRangeFn, TypeRange{},
                         ValueRange{id, input});
    if (Value gram = adaptor.getGram()) {
      auto matrixType = RankedTensorType::get(
          {ShapedType::kDynamic, ShapedType::kDynamic}, f32);
      if (gram.getType() != matrixType)
        gram = tensor::CastOp::create(rewriter, loc, matrixType, gram);
      func::CallOp::create(rewriter, loc, kObserveGramFn, TypeRange{},
                           ValueRange{id, gram});
    }
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::compress::prepareObserveLowering(ModuleOp module) {
  SmallVector<Attribute> keys;
  module.walk([&](ObserveOp op) {
    if (!llvm::is_contained(keys, op.getKeyAttr()))
      keys.push_back(op.getKeyAttr());
  });
  if (keys.empty())
    return;
  MLIRContext *context = module.getContext();
  module->setAttr(kObserveKeysAttr, ArrayAttr::get(context, keys));
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  Type i64 = builder.getI64Type();
  FloatType f32 = builder.getF32Type();
  auto declare = [&](StringRef name, Type tensorType) {
    if (module.lookupSymbol(name))
      return;
    auto fn =
        func::FuncOp::create(builder, module.getLoc(), name,
                             builder.getFunctionType({i64, tensorType}, {}));
    fn.setPrivate();
    fn->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  };
  declare(kObserveRangeFn, RankedTensorType::get({ShapedType::kDynamic}, f32));
  declare(
      kObserveGramFn,
      RankedTensorType::get({ShapedType::kDynamic, ShapedType::kDynamic}, f32));
}

void mlir::compress::populateCompressToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DequantizeLowering, DynamicQuantizeLowering, FakeQuantLowering,
               ObserveLowering, QuantizeLowering, WidenLowering>(
      patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertCompressToLinalgPass
    : compress::impl::ConvertCompressToLinalgPassBase<
          ConvertCompressToLinalgPass> {
  using ConvertCompressToLinalgPassBase::ConvertCompressToLinalgPassBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    Operation *root = getOperation();
    auto module = dyn_cast<ModuleOp>(root);
    if (!module)
      module = root->getParentOfType<ModuleOp>();
    if (module)
      prepareObserveLowering(module);
    ConversionTarget target(*context);
    target.addIllegalDialect<CompressDialect>();
    target.addLegalDialect<arith::ArithDialect, func::FuncDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    // Code-generation ops stay: fusion groups and sparse products (emitted
    // by compress-tile-and-vectorize) and vector intrinsics (lowered by
    // convert-compress-to-llvm).
    target
        .addLegalOp<FusionGroupOp, YieldOp, VNNIDotOp, LookupOp, SparseMatmulOp,
                    SparseConvOp, NMSparseMatmulOp, BlockSparseMatmulOp>();
    RewritePatternSet patterns(context);
    populateCompressToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
