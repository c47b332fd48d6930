//===- IntegerKernels.cpp - Integer kernels of quantized ops --------------===//
//
// The per-group integer kernel of compress-quantize (mode=static|dynamic
// with granularity=per-group): see IntegerKernels.h.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::compress;

AffineMap mlir::compress::outputChannelMap(MLIRContext *context,
                                           const WeightLayout &layout,
                                           ArrayRef<int64_t> weightShape,
                                           int64_t outRank) {
  SmallVector<AffineExpr> channelDims;
  SmallVector<int64_t> parallelShape;
  for (auto [d, parallel] : llvm::enumerate(layout.parallel)) {
    if (!parallel)
      continue;
    channelDims.push_back(getAffineDimExpr(layout.outputPosition[d], context));
    parallelShape.push_back(weightShape[d]);
  }
  AffineExpr channel =
      channelDims.empty()
          ? getAffineConstantExpr(0, context)
          : linearize(context, channelDims, computeStrides(parallelShape));
  return AffineMap::get(outRank, 0, channel);
}

std::optional<unsigned>
mlir::compress::findSingleReduction(linalg::LinalgOp op) {
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (reductions.size() != 1 || op.getNumDpsInputs() != 2)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isProjectedPermutation() ||
        !map.isFunctionOfDim(reductions.front()))
      return std::nullopt;
  }
  return reductions.front();
}

/// `map` over one more loop (`inner`, the last): every use of `reduction`
/// is followed by `inner` (the reduction split into groups and their
/// elements), unless `dropInner`.
static AffineMap splitReduction(AffineMap map, unsigned reduction,
                                bool dropInner = false) {
  MLIRContext *context = map.getContext();
  unsigned inner = map.getNumDims();
  SmallVector<AffineExpr> results;
  for (AffineExpr expr : map.getResults()) {
    results.push_back(expr);
    if (!dropInner && expr == getAffineDimExpr(reduction, context))
      results.push_back(getAffineDimExpr(inner, context));
  }
  return AffineMap::get(inner + 1, 0, results, context);
}

/// The position of loop `dim` among the results of the projected
/// permutation `map`.
static unsigned resultOf(AffineMap map, unsigned dim) {
  for (unsigned r = 0; r < map.getNumResults(); ++r)
    if (map.getDimPosition(r) == dim)
      return r;
  llvm_unreachable("the map does not use the dim");
}

/// `shape` with dim `pos` split into [extent / group, group].
static SmallVector<int64_t> splitShape(ArrayRef<int64_t> shape, unsigned pos,
                                       int64_t group) {
  SmallVector<int64_t> split(shape);
  split[pos] = shape[pos] / group;
  split.insert(split.begin() + pos + 1, group);
  return split;
}

Value mlir::compress::buildGroupedIntegerKernel(
    OpBuilder &b, linalg::LinalgOp op, unsigned reduction, QuantSpecAttr spec,
    DenseElementsAttr codes, const WeightLayout &layout,
    const ActivationCodes &activation) {
  MLIRContext *context = b.getContext();
  Location loc = op.getLoc();
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  int64_t group = *spec.getGroupSize();
  AffineMap actMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap wgtMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  auto weightType = cast<RankedTensorType>(codes.getType());
  ArrayRef<int64_t> shape = weightType.getShape();
  unsigned wgtPos = resultOf(wgtMap, reduction);
  unsigned actPos = resultOf(actMap, reduction);

  // The activation codes and the weight codes with the reduction split
  // into [groups, group] (row-major: the same elements).
  auto actType = cast<RankedTensorType>(activation.codes.getType());
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < actType.getRank(); ++d) {
    int64_t at = d <= actPos ? d : d + 1;
    if (d == actPos)
      reassociation.push_back({at, at + 1});
    else
      reassociation.push_back({at});
  }
  auto splitActType = RankedTensorType::get(
      splitShape(actType.getShape(), actPos, group), actType.getElementType());
  SmallVector<OpFoldResult> actSizes =
      tensor::getMixedSizes(b, loc, activation.codes);
  actSizes[actPos] = b.getIndexAttr(actType.getDimSize(actPos) / group);
  actSizes.insert(actSizes.begin() + actPos + 1, b.getIndexAttr(group));
  Value actCodes = tensor::ExpandShapeOp::create(
      b, loc, splitActType, activation.codes, reassociation, actSizes);
  auto splitWgtType = RankedTensorType::get(splitShape(shape, wgtPos, group),
                                            weightType.getElementType());
  Value wgtCodes =
      arith::ConstantOp::create(b, loc, codes.reshape(splitWgtType));

  // The weight scales, [weight shape with the reduction replaced by its
  // groups], and c = sum over the reduction of scale * code per output
  // channel (the weight's parallel dims, row-major).
  SmallVector<int64_t> scaleShape(shape);
  scaleShape[wgtPos] = shape[wgtPos] / group;
  SmallVector<int64_t> scaleStrides = computeStrides(scaleShape);
  SmallVector<float> scales(computeProduct(scaleShape));
  SmallVector<int64_t> parallelShape;
  for (auto [d, parallel] : llvm::enumerate(layout.parallel))
    if (parallel)
      parallelShape.push_back(shape[d]);
  SmallVector<double> correction(computeProduct(parallelShape), 0.0);
  {
    SmallVector<int64_t> indices(shape.size(), 0);
    for (const APInt &code : codes.getValues<APInt>()) {
      double scale = spec.getScales()[spec.getParamIndex(shape, indices)];
      int64_t at = 0, flat = 0;
      for (auto [d, index] : llvm::enumerate(indices)) {
        at += (static_cast<int64_t>(d) == wgtPos ? index / group : index) *
              scaleStrides[d];
        if (layout.parallel[d])
          flat = flat * shape[d] + index;
      }
      scales[at] = static_cast<float>(scale);
      correction[flat] += scale * static_cast<double>(code.getSExtValue());
      advanceRowMajor(indices, shape);
    }
  }
  // In f16 when every scale is one (compress-quantize rounds per-group
  // scales to f16 when that is a normal f16), widened in the kernel.
  bool halfScales = true;
  SmallVector<APFloat> scaleValues;
  for (float scale : scales) {
    APFloat half(scale);
    bool losesInfo = false;
    half.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &losesInfo);
    halfScales &= !losesInfo;
    scaleValues.push_back(half);
  }
  if (!halfScales) {
    scaleValues.clear();
    for (float scale : scales)
      scaleValues.push_back(APFloat(scale));
  }
  Type scaleType = halfScales ? Type(b.getF16Type()) : f32;
  Value scaleConst = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(scaleShape, scaleType),
                             scaleValues));

  // The kernel: sum over groups and their elements of
  // f32(x * w) * scale[group, channel], into a zero f32 fill.
  Value init = op.getDpsInitOperand(0)->get();
  auto outputType = cast<RankedTensorType>(init.getType());
  Value accEmpty =
      tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, init), f32);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  Value accInit = linalg::FillOp::create(b, loc, zero, accEmpty).getResult(0);
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<AffineMap> maps = {
      splitReduction(actMap, reduction), splitReduction(wgtMap, reduction),
      splitReduction(wgtMap, reduction, /*dropInner=*/true),
      splitReduction(outMap, reduction, /*dropInner=*/true)};
  // The output map does not use the reduction: only its dim count changes.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  iterators.push_back(utils::IteratorType::reduction);
  auto kernel = linalg::GenericOp::create(
      b, loc, TypeRange{accInit.getType()},
      ValueRange{actCodes, wgtCodes, scaleConst}, ValueRange{accInit}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = arith::ExtSIOp::create(nb, nl, i32, args[0]);
        Value w = arith::ExtSIOp::create(nb, nl, i32, args[1]);
        Value product = arith::SIToFPOp::create(
            nb, nl, f32, arith::MulIOp::create(nb, nl, x, w));
        Value scale = args[2];
        if (halfScales)
          scale = arith::ExtFOp::create(nb, nl, f32, scale);
        Value scaled = arith::MulFOp::create(nb, nl, product, scale);
        linalg::YieldOp::create(
            nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[3], scaled)});
      });
  kernel->setAttr("compress.weight_quant", spec);

  // The epilogue: init + (sum - zp_x * c[channel]) * s_x.
  int64_t outRank = outputType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(outRank);
  AffineMap channelMap = outputChannelMap(context, layout, shape, outRank);
  AffineMap scalarMap = AffineMap::get(outRank, 0, context);
  SmallVector<float> correction32(correction.begin(), correction.end());
  Value correctionConst = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(correction32.size())},
                                f32),
          ArrayRef<float>(correction32)));
  SmallVector<Value> inputs = {kernel.getResult(0), correctionConst};
  SmallVector<AffineMap> epilogueMaps = {identity, channelMap};
  Value staticScale, staticZeroPoint;
  if (activation.dynamic) {
    inputs.append({activation.scale, activation.zeroPoint});
    epilogueMaps.append({scalarMap, scalarMap});
  } else {
    staticScale = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(static_cast<float>(activation.staticScale)));
    staticZeroPoint = arith::ConstantOp::create(
        b, loc,
        b.getI32IntegerAttr(static_cast<int32_t>(activation.staticZeroPoint)));
  }
  epilogueMaps.push_back(identity);
  SmallVector<utils::IteratorType> parallel(outRank,
                                            utils::IteratorType::parallel);
  auto epilogue = linalg::GenericOp::create(
      b, loc, TypeRange{outputType}, inputs, ValueRange{init}, epilogueMaps,
      parallel, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value scale = activation.dynamic ? args[2] : staticScale;
        Value zp = activation.dynamic ? args[3] : staticZeroPoint;
        Value shift = arith::MulFOp::create(
            nb, nl, arith::SIToFPOp::create(nb, nl, f32, zp), args[1]);
        Value centered = arith::SubFOp::create(nb, nl, args[0], shift);
        Value real = arith::MulFOp::create(nb, nl, centered, scale);
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::AddFOp::create(nb, nl, args.back(), real)});
      });
  return epilogue.getResult(0);
}
