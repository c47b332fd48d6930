//===- Quantize.cpp - Post-training quantization --------------------------===//
//
// Implements --compress-quantize: weight-only integer quantization (uniform
// or log2; per tensor, channel or group), fp16/bf16 weight storage, and
// static or dynamic activation quantization with integer kernels.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <limits>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSQUANTIZEPASS
#include "compress/Compression/Passes.h.inc"

namespace {

/// Rounds `scale` to the nearest f16 value when that is a normal f16 number,
/// so that per-channel and per-group scales can be stored in half precision
/// exactly.
static double roundScaleToF16(double scale) {
  APFloat value(scale);
  bool losesInfo = false;
  value.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &losesInfo);
  if (!value.isNormal())
    return scale;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

/// The smallest scale used: the smallest normal f32 number.
constexpr double kMinScale = 1.17549435e-38;

/// Scale and zero point of a uniform range [lo, hi] (extended to include 0)
/// for codes in [qmin, qmax].
static std::pair<double, int64_t> chooseUniformParams(double lo, double hi,
                                                      int64_t qmin,
                                                      int64_t qmax,
                                                      bool symmetric) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (symmetric) {
    double amax = std::max(-lo, hi);
    return {amax > 0 ? std::max(amax / qmax, kMinScale) : 1.0, 0};
  }
  double scale = (hi - lo) / static_cast<double>(qmax - qmin);
  if (!(scale > 0))
    return {1.0, 0};
  // Keep the scale a normal f32 number (kernels compute in f32).
  scale = std::max(scale, kMinScale);
  int64_t zp = qmin - static_cast<int64_t>(std::nearbyint(lo / scale));
  return {scale, std::clamp<int64_t>(zp, qmin, qmax)};
}

/// Why the calibrated activation range [lo, hi] gives no usable static
/// int8 scale, or nothing when it does. A range that is not finite, inverted,
/// at the largest f32 magnitude (an overflowed statistic), of zero width
/// once extended to contain 0 (the tensor was never observed or always 0),
/// or so narrow that its scale would be below the smallest normal f32 (a
/// denormal range) says nothing about the values the op will see.
static std::optional<StringRef> findDegenerateRange(double lo, double hi,
                                                    bool symmetric) {
  if (!std::isfinite(lo) || !std::isfinite(hi))
    return StringRef("not finite");
  if (lo > hi)
    return StringRef("min > max");
  if (std::max(std::fabs(lo), std::fabs(hi)) >=
      std::numeric_limits<float>::max())
    return StringRef("a bound at the largest f32 magnitude");
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi == lo)
    return StringRef("zero width");
  double scale = symmetric ? std::max(-lo, hi) / 127 : (hi - lo) / 255;
  if (scale < kMinScale)
    return StringRef("denormal: its scale would be below the smallest normal "
                     "f32");
  return std::nullopt;
}

/// A calibrated bound as the warnings print it (six significant digits).
static std::string formatBound(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

struct CompressQuantizePass
    : impl::CompressQuantizePassBase<CompressQuantizePass> {
  using CompressQuantizePassBase::CompressQuantizePassBase;

  void runOnOperation() override;

private:
  /// The spelling of `calibration-method`: the member of a calibration
  /// entry's "ranges" object that is read.
  std::string calibrationMethod;
  /// The calibration store (mode=static).
  std::optional<calibration::Store> store;
  /// Constants whose uses were replaced by quantized forms.
  llvm::SetVector<Operation *> replacedWeights;

  LogicalResult validateOptions();
  /// The error for a group-size that does not divide `reduction`, the
  /// reduction size of `op`.
  LogicalResult groupSizeError(linalg::LinalgOp op, StringRef key,
                               int64_t reduction);
  LogicalResult loadCalibration();
  QuantSpecAttr chooseWeightSpec(linalg::LinalgOp op, ArrayRef<int64_t> shape,
                                 ArrayRef<float> values,
                                 const WeightLayout &layout, unsigned width,
                                 bool symmetricWeights);
  LogicalResult quantizeWeightOnly(linalg::LinalgOp op, StringRef key,
                                   bool symmetricWeights);
  LogicalResult quantizeFloatType(linalg::LinalgOp op);
  LogicalResult quantizeActivations(linalg::LinalgOp op, StringRef key);
};

LogicalResult CompressQuantizePass::validateOptions() {
  auto fail = [&](const Twine &message) {
    return getOperation().emitError() << "compress-quantize: " << message;
  };
  // Two options that cannot be combined: both are named with their values.
  auto conflict = [&](const Twine &first, const Twine &second,
                      const Twine &reason) {
    return fail(first + " conflicts with " + second + ": " + reason);
  };
  std::string bitsText = "bits=" + std::to_string(bits);
  if (bits != 8 && bits != 4)
    return fail("bits must be 8 or 4, got " + Twine(bits));
  if (groupSize <= 0)
    return fail("group-size must be positive, got " + Twine(groupSize));
  // The default group size (32) cannot be told apart from an explicit one:
  // MLIR prints every option when it prints a pipeline, and that text must
  // parse again.
  if (groupSize != 32 && granularity != QuantGranularity::PerGroup)
    return conflict("group-size=" + Twine(groupSize),
                    spellEnumOption(granularity),
                    "group-size applies to granularity=per-group only");
  if (scheme == QuantScheme::Log2 && !symmetric)
    return conflict(spellEnumOption(scheme), "symmetric=false",
                    "log2 codes are symmetric");
  if (floatType != WeightFloatType::None) {
    if (mode != QuantMode::WeightOnly)
      return conflict(spellEnumOption(floatType), spellEnumOption(mode),
                      "float-type stores weights only (it needs "
                      "mode=weight-only)");
    if (bits != 8)
      return conflict(spellEnumOption(floatType), bitsText,
                      "half-precision weights are not integer codes");
    if (granularity != QuantGranularity::PerChannel)
      return conflict(spellEnumOption(floatType), spellEnumOption(granularity),
                      "half-precision weights have no scales");
    if (scheme != QuantScheme::Uniform)
      return conflict(spellEnumOption(floatType), spellEnumOption(scheme),
                      "half-precision weights are not integer codes");
    if (!symmetric)
      return conflict(spellEnumOption(floatType), "symmetric=false",
                      "half-precision weights have no zero points");
  }
  if (mode != QuantMode::WeightOnly) {
    if (scheme != QuantScheme::Uniform)
      return conflict(spellEnumOption(mode), spellEnumOption(scheme),
                      "integer kernels need scheme=uniform");
  }
  if (mode == QuantMode::Static && calibration.empty())
    return fail("mode=static needs a calibration file (calibration=FILE)");
  if (mode != QuantMode::Static && !calibration.empty())
    return conflict("calibration=" + calibration, spellEnumOption(mode),
                    "the calibration file is only read by mode=static");
  if (mode != QuantMode::Static &&
      calibrationMethodKind != CalibrationMethod::MinMax)
    return conflict(spellEnumOption(calibrationMethodKind),
                    spellEnumOption(mode),
                    "calibrated ranges are only used by mode=static");
  calibrationMethod = enumValueName(calibrationMethodKind).str();
  return success();
}

LogicalResult CompressQuantizePass::groupSizeError(linalg::LinalgOp op,
                                                   StringRef key,
                                                   int64_t reduction) {
  return op.emitError() << "compress-quantize: group-size "
                        << static_cast<int64_t>(groupSize)
                        << " does not divide the reduction size " << reduction
                        << " of " << op->getName() << " (" << key << ")";
}

LogicalResult CompressQuantizePass::loadCalibration() {
  llvm::Expected<calibration::Store> loaded =
      calibration::Store::read(calibration);
  if (!loaded)
    return getOperation().emitError()
           << "compress-quantize: " << llvm::toString(loaded.takeError());
  store = std::move(*loaded);
  return success();
}

QuantSpecAttr CompressQuantizePass::chooseWeightSpec(
    linalg::LinalgOp op, ArrayRef<int64_t> shape, ArrayRef<float> values,
    const WeightLayout &layout, unsigned width, bool symmetricWeights) {
  MLIRContext *context = &getContext();
  IntegerType storage = IntegerType::get(context, width);
  bool log2 = scheme == QuantScheme::Log2;
  int64_t qmax = (int64_t(1) << (width - 1)) - 1;
  int64_t qmin = -(int64_t(1) << (width - 1));

  std::optional<int64_t> axis, group;
  if (granularity != QuantGranularity::PerTensor)
    axis = layout.channelAxis;
  if (granularity == QuantGranularity::PerGroup)
    group = groupSize;

  // Gather each parameter set's range with a provisional spec that only
  // carries the layout.
  int64_t count = 1;
  if (axis) {
    count = shape[*axis];
    if (group) {
      int64_t slice = static_cast<int64_t>(values.size()) / count;
      count *= slice / *group;
    }
  }
  QuantSpecAttr layoutSpec = QuantSpecAttr::get(
      context, storage,
      DenseF64ArrayAttr::get(context, SmallVector<double>(count, 1.0)),
      DenseI64ArrayAttr::get(context, SmallVector<int64_t>(count, 0)), axis,
      group, QuantScheme::Uniform);
  SmallVector<double> lo(count, 0.0), hi(count, 0.0);
  SmallVector<int64_t> indices(shape.size(), 0);
  for (float v : values) {
    int64_t p = layoutSpec.getParamIndex(shape, indices);
    if (std::isfinite(v)) {
      lo[p] = std::min<double>(lo[p], v);
      hi[p] = std::max<double>(hi[p], v);
    }
    advanceRowMajor(indices, shape);
  }
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t p = 0; p < count; ++p) {
    double scale;
    int64_t zp = 0;
    if (log2) {
      double amax = std::max(-lo[p], hi[p]);
      scale = amax > 0 ? amax : 1.0;
    } else {
      std::tie(scale, zp) =
          chooseUniformParams(lo[p], hi[p], qmin, qmax, symmetricWeights);
    }
    // Per-channel and per-group scales are stored in half precision when
    // that is exact, so round them to f16 first (a 2^-11 relative change of
    // the grid, used consistently for the codes).
    if (axis)
      scale = roundScaleToF16(scale);
    scales.push_back(scale);
    zeroPoints.push_back(zp);
  }
  return QuantSpecAttr::get(
      context, storage, DenseF64ArrayAttr::get(context, scales),
      DenseI64ArrayAttr::get(context, zeroPoints), axis, group,
      log2 ? QuantScheme::Log2 : QuantScheme::Uniform);
}

/// False if an integer kernel cannot pay for quantizing the activation
/// (input 0) of `op`:
/// - every output channel of the weight (a parallel weight dim) indexes the
///   activation (a depthwise convolution): each activation element meets
///   one channel's weights only, so the quantization pass over it costs as
///   much as the op;
/// - a convolution (an activation indexed through a window) reduces over
///   one input channel (the dims that index the activation plainly; a
///   first layer over a grey image): integer dot products (VNNI) reduce 4
///   channels at a time, so 3 of 4 lanes are padding (a 7x7/2 stem over one
///   channel: 1.9 ms against 1.06 ms in f32; over two channels 1.5 against
///   2.1 ms, over three 1.5 against 2.8 ms).
static bool integerKernelPays(linalg::LinalgOp op, const WeightLayout &layout) {
  AffineMap activation = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  bool reuse = false;
  for (auto [loop, parallel] : llvm::zip_equal(layout.loops, layout.parallel))
    reuse |= parallel && !activation.isFunctionOfDim(loop);
  if (!reuse)
    return false;
  if (llvm::all_of(activation.getResults(), llvm::IsaPred<AffineDimExpr>))
    return true;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t channels = 1;
  for (AffineExpr expr : activation.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::reduction)
      continue;
    if (ShapedType::isDynamic(ranges[dim.getPosition()]))
      return true;
    channels *= ranges[dim.getPosition()];
  }
  return channels >= 2;
}

/// Integer codes of `values` under `spec`, as a constant of `shape`.
static DenseElementsAttr quantizeValues(QuantSpecAttr spec,
                                        ArrayRef<int64_t> shape,
                                        ArrayRef<float> values) {
  SmallVector<APInt> codes;
  codes.reserve(values.size());
  SmallVector<int64_t> indices(shape.size(), 0);
  unsigned width = spec.getBitWidth();
  for (float v : values) {
    int64_t q = spec.quantize(v, spec.getParamIndex(shape, indices));
    codes.push_back(APInt(width, q, /*isSigned=*/true));
    advanceRowMajor(indices, shape);
  }
  auto type =
      RankedTensorType::get(shape, IntegerType::get(spec.getContext(), width));
  return DenseElementsAttr::get(type, codes);
}

LogicalResult CompressQuantizePass::quantizeWeightOnly(linalg::LinalgOp op,
                                                       StringRef key,
                                                       bool symmetricWeights) {
  OpOperand &weightOperand = op->getOpOperand(1);
  std::optional<std::vector<float>> values =
      readF32Constant(weightOperand.get());
  // A weight without elements (a dimension of size 0) has nothing to
  // quantize, and a spec needs at least one parameter set.
  if (!values || values->empty())
    return success();
  std::optional<WeightLayout> layout = analyzeWeight(op, 1);
  if (!layout ||
      (granularity != QuantGranularity::PerTensor && !layout->channelAxis))
    return success();
  auto type = cast<RankedTensorType>(weightOperand.get().getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (granularity == QuantGranularity::PerGroup) {
    // Groups are consecutive elements of a channel's slice in row-major
    // order; they stay within one reduction (e.g. one matrix of a
    // batch_matmul) when the reduced dimensions are the slice's innermost
    // ones and the group size divides their product.
    int64_t reduction = 1;
    bool seenReduction = false, reductionInnermost = true;
    for (auto [d, parallel] : llvm::enumerate(layout->parallel)) {
      if (static_cast<int64_t>(d) == *layout->channelAxis)
        continue;
      if (!parallel) {
        reduction *= shape[d];
        seenReduction = true;
      } else if (seenReduction) {
        reductionInnermost = false;
      }
    }
    if (!reductionInnermost)
      return op.emitError()
             << "compress-quantize: per-group quantization needs the "
                "reduced dimensions of the weight innermost; "
             << op->getName() << " (" << key << ") has a " << type
             << " weight with a parallel dimension inside them";
    if (reduction % groupSize != 0)
      return groupSizeError(op, key, reduction);
  }
  QuantSpecAttr spec =
      chooseWeightSpec(op, shape, *values, *layout, bits, symmetricWeights);
  OpBuilder builder(op);
  Location loc = weightOperand.get().getLoc();
  Value codes = arith::ConstantOp::create(builder, loc,
                                          quantizeValues(spec, shape, *values));
  Value weight = DequantizeOp::create(builder, loc, type, codes, spec);
  replacedWeights.insert(weightOperand.get().getDefiningOp());
  weightOperand.set(weight);
  return success();
}

LogicalResult CompressQuantizePass::quantizeFloatType(linalg::LinalgOp op) {
  OpOperand &weightOperand = op->getOpOperand(1);
  std::optional<std::vector<float>> values =
      readF32Constant(weightOperand.get());
  if (!values)
    return success();
  auto type = cast<RankedTensorType>(weightOperand.get().getType());
  OpBuilder builder(op);
  FloatType storage = floatType == WeightFloatType::FP16
                          ? cast<FloatType>(builder.getF16Type())
                          : cast<FloatType>(builder.getBF16Type());
  SmallVector<APFloat> converted;
  converted.reserve(values->size());
  for (float v : *values) {
    APFloat value(v);
    bool losesInfo = false;
    value.convert(storage.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    converted.push_back(value);
  }
  auto storageType = RankedTensorType::get(type.getShape(), storage);
  Location loc = weightOperand.get().getLoc();
  Value constant = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(storageType, converted));
  replacedWeights.insert(weightOperand.get().getDefiningOp());
  weightOperand.set(WidenOp::create(builder, loc, type, constant));
  return success();
}

LogicalResult CompressQuantizePass::quantizeActivations(linalg::LinalgOp op,
                                                        StringRef key) {
  OpOperand &weightOperand = op->getOpOperand(1);
  Value activation = op.getDpsInputOperand(0)->get();
  auto activationType = dyn_cast<RankedTensorType>(activation.getType());
  std::optional<std::vector<float>> values =
      readF32Constant(weightOperand.get());
  if (!values || values->empty() || !activationType ||
      !activationType.getElementType().isF32() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return success();
  auto outputType =
      dyn_cast<RankedTensorType>(op.getDpsInitOperand(0)->get().getType());
  if (!outputType || !outputType.getElementType().isF32())
    return success();
  std::optional<WeightLayout> layout = analyzeWeight(op, 1);
  if (!layout ||
      (granularity != QuantGranularity::PerTensor && !layout->channelAxis))
    return success();

  // Ops whose integer kernel cannot win back the activation's
  // quantization keep f32 activations and get (symmetric) weight-only
  // codes.
  if (!integerKernelPays(op, *layout))
    return quantizeWeightOnly(op, key, /*symmetricWeights=*/true);

  MLIRContext *context = &getContext();
  auto weightType = cast<RankedTensorType>(weightOperand.get().getType());
  ArrayRef<int64_t> shape = weightType.getShape();
  // Per-group weights: an integer dot product per group of the one
  // reduction loop, scaled per group.
  std::optional<unsigned> groupedReduction;
  if (granularity == QuantGranularity::PerGroup) {
    groupedReduction = findSingleReduction(op);
    if (!groupedReduction)
      return op.emitError()
             << "compress-quantize: " << spellEnumOption(granularity)
             << " with " << spellEnumOption(mode)
             << " needs an op with one reduction loop that "
             << "both inputs are indexed by (a matmul); " << op->getName()
             << " (" << key << ") has " << op.getNumReductionLoops();
    int64_t extent = op.getStaticLoopRanges()[*groupedReduction];
    if (ShapedType::isDynamic(extent) || extent % groupSize != 0)
      return groupSizeError(op, key, extent);
  }
  QuantSpecAttr weightSpec =
      chooseWeightSpec(op, shape, *values, *layout, bits, /*symmetric=*/true);
  DenseElementsAttr codes = quantizeValues(weightSpec, shape, *values);

  // Per output-channel constants, over the weight's parallel dimensions:
  // the sum of the codes over the reduction (for the zero-point correction)
  // and the weight scale.
  SmallVector<int64_t> parallelDims, parallelShape;
  for (auto [d, parallel] : llvm::enumerate(layout->parallel))
    if (parallel) {
      parallelDims.push_back(d);
      parallelShape.push_back(shape[d]);
    }
  int64_t parallelCount = 1;
  for (int64_t size : parallelShape)
    parallelCount *= size;
  SmallVector<int32_t> codeSums(parallelCount, 0);
  SmallVector<float> weightScales(parallelCount, 0.0f);
  {
    SmallVector<int64_t> indices(shape.size(), 0);
    for (const APInt &code : codes.getValues<APInt>()) {
      int64_t flat = 0;
      for (auto [i, d] : llvm::enumerate(parallelDims))
        flat = flat * parallelShape[i] + indices[d];
      codeSums[flat] += code.getSExtValue();
      weightScales[flat] =
          weightSpec.getScales()[weightSpec.getParamIndex(shape, indices)];
      advanceRowMajor(indices, shape);
    }
  }

  OpBuilder builder(op);
  Location loc = op.getLoc();
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type(),
       f32 = builder.getF32Type();
  auto activationCodesType =
      RankedTensorType::get(activationType.getShape(), i8);

  // Activation codes, and the activation scale and zero point either as
  // constants (static) or as 0-d tensors computed at run time (dynamic, and
  // static ops whose calibrated range is degenerate).
  bool dynamic = mode == QuantMode::Dynamic;
  Value activationCodes, dynamicScale, dynamicZeroPoint;
  double staticScale = 1.0;
  int64_t staticZeroPoint = 0;
  if (mode == QuantMode::Static) {
    const calibration::TensorStats *stats = store->lookup(key);
    if (!stats)
      return op.emitError() << "compress-quantize: the calibration file '"
                            << calibration << "' has no entry for '" << key
                            << "' (the input of this " << op->getName() << ")";
    const calibration::Range *range = stats->findRange(calibrationMethod);
    if (!range)
      return op.emitError()
             << "compress-quantize: calibration file '" << calibration
             << "': tensor '" << key << "' has no valid \"" << calibrationMethod
             << "\" range [lo, hi]";
    if (std::optional<StringRef> problem =
            findDegenerateRange(range->lo, range->hi, symmetric)) {
      op.emitWarning() << "compress-quantize: calibration file '" << calibration
                       << "': tensor '" << key << "' has a degenerate \""
                       << calibrationMethod << "\" range ["
                       << formatBound(range->lo) << ", "
                       << formatBound(range->hi) << "] (" << *problem
                       << "); this " << op->getName()
                       << " quantizes its input with its run-time range "
                          "instead";
      dynamic = true;
    } else {
      std::tie(staticScale, staticZeroPoint) =
          chooseUniformParams(range->lo, range->hi, -128, 127, symmetric);
    }
  }
  if (!dynamic) {
    auto spec =
        QuantSpecAttr::get(context, IntegerType::get(context, 8),
                           DenseF64ArrayAttr::get(context, {staticScale}),
                           DenseI64ArrayAttr::get(context, {staticZeroPoint}),
                           std::nullopt, std::nullopt, QuantScheme::Uniform);
    // The activation scale must be an f32 value for the runtime lowering.
    activationCodes =
        QuantizeOp::create(builder, loc, activationCodesType, activation, spec);
  } else {
    auto dynamicOp = DynamicQuantizeOp::create(
        builder, loc, activationCodesType, RankedTensorType::get({}, f32),
        RankedTensorType::get({}, i32), activation, symmetric);
    activationCodes = dynamicOp.getResult();
    dynamicScale = dynamicOp.getScale();
    dynamicZeroPoint = dynamicOp.getZeroPoint();
  }
  if (groupedReduction) {
    ActivationCodes act;
    act.codes = activationCodes;
    act.dynamic = dynamic;
    act.scale = dynamicScale;
    act.zeroPoint = dynamicZeroPoint;
    act.staticScale = staticScale;
    act.staticZeroPoint = staticZeroPoint;
    Value result = buildGroupedIntegerKernel(builder, op, *groupedReduction,
                                             weightSpec, codes, *layout, act);
    replacedWeights.insert(weightOperand.get().getDefiningOp());
    op->replaceAllUsesWith(ValueRange{result});
    op->erase();
    return success();
  }
  Value weightCodes = arith::ConstantOp::create(builder, loc, codes);

  // The integer kernel: the op's loops and maps, i8 x i8 -> i32.
  Value init = op.getDpsInitOperand(0)->get();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, init);
  Value accEmpty = tensor::EmptyOp::create(builder, loc, sizes, i32);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(0));
  Value accInit =
      linalg::FillOp::create(builder, loc, zero, accEmpty).getResult(0);
  auto accType = cast<RankedTensorType>(accInit.getType());
  auto kernel = linalg::GenericOp::create(
      builder, loc, TypeRange{accType},
      ValueRange{activationCodes, weightCodes}, ValueRange{accInit},
      op.getIndexingMapsArray(), op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location nested, ValueRange args) {
        Value x = arith::ExtSIOp::create(b, nested, i32, args[0]);
        Value w = arith::ExtSIOp::create(b, nested, i32, args[1]);
        Value product = arith::MulIOp::create(b, nested, x, w);
        linalg::YieldOp::create(
            b, nested,
            ValueRange{arith::AddIOp::create(b, nested, args[2], product)});
      });

  // Provenance for reports: the weight's spec (its scales live in the
  // epilogue).
  kernel->setAttr("compress.weight_quant", weightSpec);

  // The epilogue: out + (acc - zp * sum(w)) * (s_x * s_w).
  int64_t outRank = outputType.getRank();
  AffineMap identity = builder.getMultiDimIdentityMap(outRank);
  AffineMap channelMap = outputChannelMap(context, *layout, shape, outRank);
  AffineMap scalarMap = AffineMap::get(outRank, 0, context);
  auto vectorOf = [&](Type element) {
    return RankedTensorType::get({parallelCount}, element);
  };
  Value sums = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(vectorOf(i32), ArrayRef<int32_t>(codeSums)));
  // Static: fold the activation scale into the per-channel scales.
  SmallVector<float> scales(weightScales);
  if (!dynamic)
    for (float &s : scales)
      s = static_cast<float>(s * staticScale);
  Value scaleConst = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(vectorOf(f32), ArrayRef<float>(scales)));
  SmallVector<Value> inputs = {kernel.getResult(0), sums, scaleConst};
  SmallVector<AffineMap> maps = {identity, channelMap, channelMap};
  Value zeroPointConst;
  if (dynamic) {
    inputs.push_back(dynamicScale);
    inputs.push_back(dynamicZeroPoint);
    maps.push_back(scalarMap);
    maps.push_back(scalarMap);
  } else {
    zeroPointConst = arith::ConstantOp::create(
        builder, loc, builder.getI32IntegerAttr(staticZeroPoint));
  }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> parallel(outRank,
                                            utils::IteratorType::parallel);
  auto epilogue = linalg::GenericOp::create(
      builder, loc, TypeRange{outputType}, inputs, ValueRange{init}, maps,
      parallel, [&](OpBuilder &b, Location nested, ValueRange args) {
        Value acc = args[0], sum = args[1], scale = args[2];
        Value zp = zeroPointConst;
        if (dynamic) {
          scale = arith::MulFOp::create(b, nested, scale, args[3]);
          zp = args[4];
        }
        Value correction = arith::MulIOp::create(b, nested, zp, sum);
        Value centered = arith::SubIOp::create(b, nested, acc, correction);
        Value real = arith::SIToFPOp::create(b, nested, f32, centered);
        real = arith::MulFOp::create(b, nested, real, scale);
        linalg::YieldOp::create(
            b, nested,
            ValueRange{arith::AddFOp::create(b, nested, args.back(), real)});
      });
  replacedWeights.insert(weightOperand.get().getDefiningOp());
  op->replaceAllUsesWith(epilogue->getResults());
  op->erase();
  return success();
}

void CompressQuantizePass::runOnOperation() {
  if (failed(validateOptions()))
    return signalPassFailure();
  if (mode == QuantMode::Static && failed(loadCalibration()))
    return signalPassFailure();
  FailureOr<std::optional<llvm::StringSet<>>> selected =
      selectOps(getOperation(), this->ops, "compress-quantize");
  if (failed(selected))
    return signalPassFailure();
  SmallVector<std::pair<linalg::LinalgOp, std::string>> layers;
  forEachCompressibleOp(getOperation(),
                        [&](linalg::LinalgOp op, StringRef key) {
                          if (!*selected || (*selected)->contains(key))
                            layers.emplace_back(op, key.str());
                        });
  for (auto &[op, key] : layers) {
    LogicalResult result = success();
    if (floatType != WeightFloatType::None)
      result = quantizeFloatType(op);
    else if (mode == QuantMode::WeightOnly)
      result = quantizeWeightOnly(op, key, symmetric);
    else
      result = quantizeActivations(op, key);
    if (failed(result))
      return signalPassFailure();
  }
  // The f32 weights that were replaced are dead unless shared.
  eraseReplacedWeights(replacedWeights.getArrayRef());
}

} // namespace
} // namespace mlir::compress
