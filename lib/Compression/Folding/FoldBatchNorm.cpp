//===- FoldBatchNorm.cpp - Fold per-channel affine maps into weights ------===//
//
// Implements --compress-fold-batchnorm. After a contraction or convolution
// with a constant weight, a chain of elementwise ops that computes, per output
// channel c, an affine function a[c] * y + b[c] of the op's result y (batch
// normalization in inference form, a per-channel scale, a bias, a mean
// subtraction, in any of their spellings) is folded away: the weight is
// scaled by a[c] along its output-channel axis and b[c] becomes one bias add.
//
// The chain is recognized by evaluating the elementwise bodies, not by
// matching op names: every op of a body must be one of addf, subf, mulf,
// divf, negf, sqrt, rsqrt, extf, truncf or a constant, the chain value must
// enter it linearly (degree <= 1; divisors, square roots constant), and the
// other inputs must be constants that vary along the channel only.
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSFOLDBATCHNORMPASS
#include "compress/Compression/Passes.h.inc"

namespace {

/// a * y + b for every channel.
struct ChannelAffine {
  std::vector<double> scale, shift;
};

/// A value of a body during evaluation: its number and its degree in y.
struct Term {
  double value = 0;
  int degree = 0;
};

/// Reads input `operand` of `op` for every channel: a constant (dense or
/// dense_resource, any float type) indexed only by the channel loop (or
/// broadcast), or a scalar constant. `channelLoop` is the op's loop of the
/// channel.
static std::optional<std::vector<double>> readPerChannel(linalg::LinalgOp op,
                                                         OpOperand *operand,
                                                         unsigned channelLoop,
                                                         int64_t channels) {
  Value value = operand->get();
  if (!isa<ShapedType>(value.getType())) {
    FloatAttr attr;
    if (!matchPattern(value, m_Constant(&attr)))
      return std::nullopt;
    return std::vector<double>(channels, attr.getValueAsDouble());
  }
  auto type = dyn_cast<RankedTensorType>(value.getType());
  DenseElementsAttr dense;
  if (!type || !isa<FloatType>(type.getElementType()))
    return std::nullopt;
  SmallVector<double> all;
  if (matchPattern(value, m_Constant(&dense))) {
    for (APFloat v : dense.getValues<APFloat>()) {
      bool losesInfo = false;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
      all.push_back(v.convertToDouble());
    }
  } else if (std::optional<std::vector<float>> blob = readF32Constant(value)) {
    all.assign(blob->begin(), blob->end()); // dense_resource
  } else {
    return std::nullopt;
  }
  // Row-major stride of the dim indexed by the channel loop (0 if none).
  AffineMap map = op.getMatchingIndexingMap(operand);
  int64_t stride = 0, running = 1;
  for (int64_t i = map.getNumResults() - 1; i >= 0; --i) {
    AffineExpr expr = map.getResult(i);
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (dim.getPosition() != channelLoop)
        return std::nullopt; // varies along another dim
      if (type.getDimSize(i) != channels)
        return std::nullopt;
      stride = running;
    } else if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
      if (constant.getValue() != 0 || type.getDimSize(i) != 1)
        return std::nullopt;
    } else {
      return std::nullopt;
    }
    running *= type.getDimSize(i);
  }
  std::vector<double> result(channels);
  for (int64_t c = 0; c < channels; ++c)
    result[c] = all[c * stride];
  return result;
}

/// Evaluates `body` with the chain argument `chainArg` = y and the other
/// arguments from `args`; fails for an unsupported op or a non-affine use.
static std::optional<Term> evaluate(Block *body, BlockArgument chainArg,
                                    ArrayRef<double> args, double y) {
  DenseMap<Value, Term> terms;
  for (BlockArgument arg : body->getArguments())
    terms[arg] =
        arg == chainArg ? Term{y, 1} : Term{args[arg.getArgNumber()], 0};
  auto get = [&](Value v) -> std::optional<Term> {
    auto it = terms.find(v);
    if (it == terms.end())
      return std::nullopt;
    return it->second;
  };
  for (Operation &op : body->without_terminator()) {
    Term result;
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto attr = dyn_cast<FloatAttr>(constant.getValue());
      if (!attr)
        return std::nullopt;
      result = {attr.getValueAsDouble(), 0};
    } else {
      SmallVector<Term> in;
      for (Value operand : op.getOperands()) {
        std::optional<Term> t = get(operand);
        if (!t)
          return std::nullopt;
        in.push_back(*t);
      }
      if (isa<arith::AddFOp>(op))
        result = {in[0].value + in[1].value,
                  std::max(in[0].degree, in[1].degree)};
      else if (isa<arith::SubFOp>(op))
        result = {in[0].value - in[1].value,
                  std::max(in[0].degree, in[1].degree)};
      else if (isa<arith::MulFOp>(op))
        result = {in[0].value * in[1].value, in[0].degree + in[1].degree};
      else if (isa<arith::DivFOp>(op) && in[1].degree == 0)
        result = {in[0].value / in[1].value, in[0].degree};
      else if (isa<arith::NegFOp>(op))
        result = {-in[0].value, in[0].degree};
      else if (isa<math::SqrtOp>(op) && in[0].degree == 0)
        result = {std::sqrt(in[0].value), 0};
      else if (isa<math::RsqrtOp>(op) && in[0].degree == 0)
        result = {1.0 / std::sqrt(in[0].value), 0};
      else if (isa<arith::ExtFOp, arith::TruncFOp>(op))
        result = in[0];
      else
        return std::nullopt;
      if (result.degree > 1)
        return std::nullopt;
    }
    terms[op.getResult(0)] = result;
  }
  return get(body->getTerminator()->getOperand(0));
}

/// If `op` is elementwise in `chain` (a value shaped like the root's output,
/// whose channel is at output position `channelPosition`) with otherwise
/// per-channel constant inputs, and affine in it, returns the per-channel
/// affine function.
static std::optional<ChannelAffine> analyzeAffine(linalg::LinalgOp op,
                                                  Value chain,
                                                  int64_t channelPosition,
                                                  int64_t channels) {
  if (!op.hasPureTensorSemantics() || op.getNumReductionLoops() != 0 ||
      op->getNumResults() != 1 || op.getNumDpsInits() != 1 ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return std::nullopt;
  if (!isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())) ||
      op->getResult(0).getType() != chain.getType())
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isPermutation())
    return std::nullopt;
  unsigned channelLoop = outMap.getDimPosition(channelPosition);
  OpOperand *chainOperand = nullptr;
  SmallVector<std::vector<double>> perChannel(op->getNumOperands());
  for (OpOperand *operand : op.getDpsInputOperands()) {
    if (operand->get() == chain) {
      if (chainOperand || op.getMatchingIndexingMap(operand) != outMap)
        return std::nullopt;
      chainOperand = operand;
      continue;
    }
    std::optional<std::vector<double>> values =
        readPerChannel(op, operand, channelLoop, channels);
    if (!values)
      return std::nullopt;
    perChannel[operand->getOperandNumber()] = std::move(*values);
  }
  if (!chainOperand)
    return std::nullopt;
  Block *body = op.getBlock();
  BlockArgument chainArg = op.getMatchingBlockArgument(chainOperand);
  ChannelAffine affine;
  for (int64_t c = 0; c < channels; ++c) {
    SmallVector<double> args(body->getNumArguments(), 0.0);
    for (OpOperand *operand : op.getDpsInputOperands())
      if (operand != chainOperand)
        args[operand->getOperandNumber()] =
            perChannel[operand->getOperandNumber()][c];
    std::optional<Term> at0 = evaluate(body, chainArg, args, 0.0);
    std::optional<Term> at1 = evaluate(body, chainArg, args, 1.0);
    if (!at0 || !at1 || !std::isfinite(at0->value) ||
        !std::isfinite(at1->value))
      return std::nullopt;
    affine.shift.push_back(at0->value);
    affine.scale.push_back(at1->value - at0->value);
  }
  return affine;
}

/// Folds the affine chain after `root` (if any). Returns true on change.
static bool foldChain(linalg::LinalgOp root) {
  if (!isCompressibleOp(root) || root->getNumResults() != 1)
    return false;
  // The weight: the second input, a constant f32 tensor.
  unsigned weightOperand = 1;
  std::optional<WeightLayout> layout = analyzeWeight(root, weightOperand);
  Value weight = root->getOperand(weightOperand);
  std::optional<std::vector<float>> values = readF32Constant(weight);
  if (!layout || !layout->channelAxis || !values)
    return false;
  // The root must start from zero (a fill with 0), else its init would be
  // scaled too.
  auto fill = root.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
  FloatAttr fillValue;
  if (!fill || !matchPattern(fill.getInputs()[0], m_Constant(&fillValue)) ||
      !fillValue.getValue().isZero())
    return false;
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t axis = *layout->channelAxis;
  int64_t channels = weightType.getDimSize(axis);
  int64_t channelPosition = layout->outputPosition[axis];

  // Walk the chain of single-use elementwise consumers.
  ChannelAffine total;
  total.scale.assign(channels, 1.0);
  total.shift.assign(channels, 0.0);
  SmallVector<linalg::LinalgOp> chain;
  Value current = root->getResult(0);
  while (current.hasOneUse()) {
    auto next = dyn_cast<linalg::LinalgOp>(*current.getUsers().begin());
    if (!next)
      break;
    std::optional<ChannelAffine> affine =
        analyzeAffine(next, current, channelPosition, channels);
    if (!affine)
      break;
    for (int64_t c = 0; c < channels; ++c) {
      total.scale[c] *= affine->scale[c];
      total.shift[c] = affine->scale[c] * total.shift[c] + affine->shift[c];
    }
    chain.push_back(next);
    current = next->getResult(0);
  }
  if (chain.empty())
    return false;

  // Scale the weight along its channel axis.
  ArrayRef<int64_t> shape = weightType.getShape();
  int64_t inner = 1;
  for (int64_t i = axis + 1; i < static_cast<int64_t>(shape.size()); ++i)
    inner *= shape[i];
  std::vector<float> scaled(*values);
  for (size_t i = 0; i < scaled.size(); ++i)
    scaled[i] =
        static_cast<float>(scaled[i] * total.scale[(i / inner) % channels]);
  OpBuilder builder(root);
  Location loc = root.getLoc();
  Value newWeight = arith::ConstantOp::create(
      builder, weight.getLoc(),
      DenseElementsAttr::get(weightType, ArrayRef<float>(scaled)));
  root->setOperand(weightOperand, newWeight);

  // The shift becomes one bias add after the root (the chain's last result
  // type is the root's result type).
  Value result = root->getResult(0);
  bool anyShift = llvm::any_of(total.shift, [](double s) { return s != 0.0; });
  builder.setInsertionPoint(chain.back());
  if (anyShift) {
    auto resultType = cast<RankedTensorType>(result.getType());
    SmallVector<float> shift(total.shift.begin(), total.shift.end());
    auto biasType = RankedTensorType::get({channels}, builder.getF32Type());
    Value bias = arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(biasType, ArrayRef<float>(shift)));
    unsigned rank = resultType.getRank();
    MLIRContext *context = builder.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap channelMap =
        AffineMap::get(rank, 0, getAffineDimExpr(channelPosition, context));
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < rank; ++i)
      if (resultType.isDynamicDim(i))
        dynamicSizes.push_back(tensor::DimOp::create(builder, loc, result, i));
    Value empty =
        tensor::EmptyOp::create(builder, loc, resultType.getShape(),
                                resultType.getElementType(), dynamicSizes);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    result = linalg::GenericOp::create(
                 builder, loc, resultType, ValueRange{result, bias},
                 ValueRange{empty},
                 ArrayRef<AffineMap>{identity, channelMap, identity}, iterators,
                 [](OpBuilder &b, Location l, ValueRange args) {
                   Value sum = arith::AddFOp::create(b, l, args[0], args[1]);
                   linalg::YieldOp::create(b, l, sum);
                 })
                 .getResult(0);
  }
  chain.back()->getResult(0).replaceAllUsesWith(result);
  // Erase the chain and the parameters only it used (the old weight too).
  SmallVector<Operation *> dead(llvm::reverse(chain));
  dead.push_back(weight.getDefiningOp());
  eraseWithDeadProducers(dead);
  return true;
}

struct CompressFoldBatchNormPass
    : impl::CompressFoldBatchNormPassBase<CompressFoldBatchNormPass> {
  using CompressFoldBatchNormPassBase::CompressFoldBatchNormPassBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> roots;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isCompressibleOp(op))
        roots.push_back(op);
    });
    for (linalg::LinalgOp root : roots)
      (void)foldChain(root);
  }
};

} // namespace
} // namespace mlir::compress
