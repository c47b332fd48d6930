//===- DotPlan.cpp - Planning of packed dot-product kernels ---------------===//

#include "DotPlan.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

/// What `matchPackedDot` found: the two multiplied inputs and the variant.
struct PackedDotMatch {
  unsigned a, b;
  bool bf16;
  /// bf16 only: input `a` is f32 and is multiplied as is (a bf16 weight
  /// decoded by widening, times an f32 activation).
  bool f32Activation = false;
  /// int8 only: the input that scales each product before an f32
  /// accumulation (per-group weight scales).
  std::optional<unsigned> scale;
};

/// Matches `addf(out, mulf(sitofp(muli(extsi(a), extsi(b))), scale))` (in
/// any operand order) with i8 or i4 inputs `a` and `b`, an f32 input
/// `scale` (the third; or `extf` of an f16 one) and an f32 output: products
/// of integer codes scaled per group of the reduction (a per-group integer
/// kernel of compress-quantize).
static std::optional<PackedDotMatch> matchScaledIntDot(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (op.getNumDpsInputs() != 3 || body->getNumArguments() != 4 ||
      !body->getArgument(3).getType().isF32())
    return std::nullopt;
  Value acc = body->getArgument(3), scale = body->getArgument(2);
  bool half = scale.getType().isF16();
  if (!half && !scale.getType().isF32())
    return std::nullopt;
  if (half) {
    if (!scale.hasOneUse())
      return std::nullopt;
    auto widen = dyn_cast<arith::ExtFOp>(*scale.getUsers().begin());
    if (!widen || !widen.getType().isF32())
      return std::nullopt;
    scale = widen.getResult();
  }
  if (std::distance(body->begin(), body->end()) != 7 + int(half))
    return std::nullopt;
  // The operand of binary `op` other than `known`, if `op` has `known`.
  auto other = [](Operation *op, Value known) -> Value {
    if (!op || op->getNumOperands() != 2)
      return nullptr;
    if (op->getOperand(0) == known)
      return op->getOperand(1);
    return op->getOperand(1) == known ? op->getOperand(0) : nullptr;
  };
  Operation *add = cast<linalg::YieldOp>(body->getTerminator())
                       .getValues()[0]
                       .getDefiningOp<arith::AddFOp>();
  Value scaled = other(add, acc);
  Value converted =
      other(scaled ? scaled.getDefiningOp<arith::MulFOp>() : nullptr, scale);
  auto toFloat =
      converted ? converted.getDefiningOp<arith::SIToFPOp>() : nullptr;
  auto mul = toFloat ? toFloat.getIn().getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return std::nullopt;
  auto source = [&](Value v) -> std::optional<unsigned> {
    auto ext = v.getDefiningOp<arith::ExtSIOp>();
    auto arg = ext ? dyn_cast<BlockArgument>(ext.getIn()) : nullptr;
    if (!arg || arg.getOwner() != body || arg.getArgNumber() > 1 ||
        !(arg.getType().isInteger(8) || arg.getType().isInteger(4)))
      return std::nullopt;
    return arg.getArgNumber();
  };
  auto x = source(mul.getLhs()), y = source(mul.getRhs());
  if (!x || !y || *x == *y)
    return std::nullopt;
  PackedDotMatch match{*x, *y, /*bf16=*/false};
  match.scale = 2;
  return match;
}

/// Matches the packed dot-product contractions, in any operand order:
/// `addi(out, muli(extsi(a), extsi(b)))` with i8 inputs and an i32 output,
/// `addf(out, mulf(extf(a), extf(b)))` with bf16 inputs and an f32 output,
/// or `addf(out, mulf(a, extf(b)))` with an f32 `a` and a bf16 `b`.
static std::optional<PackedDotMatch> matchPackedDot(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (op.getNumDpsInputs() != 2 || body->getNumArguments() != 3)
    return std::nullopt;
  Type out = body->getArgument(2).getType();
  if (!out.isInteger(32) && !out.isF32())
    return std::nullopt;
  bool int8 = out.isInteger(32);
  Operation *add = cast<linalg::YieldOp>(body->getTerminator())
                       .getValues()[0]
                       .getDefiningOp();
  if (!add || !(int8 ? isa<arith::AddIOp>(add) : isa<arith::AddFOp>(add)))
    return std::nullopt;
  Value acc = body->getArgument(2);
  Value lhs = add->getOperand(0), rhs = add->getOperand(1);
  if ((lhs == acc) == (rhs == acc))
    return std::nullopt;
  Operation *mul = (lhs == acc ? rhs : lhs).getDefiningOp();
  if (!mul || !(int8 ? isa<arith::MulIOp>(mul) : isa<arith::MulFOp>(mul)))
    return std::nullopt;
  // The input a factor reads, and whether it is widened (i8 or bf16).
  auto source = [&](Value v) -> std::optional<std::pair<unsigned, bool>> {
    Operation *ext = v.getDefiningOp();
    bool widened =
        ext && (int8 ? isa<arith::ExtSIOp>(ext) : isa<arith::ExtFOp>(ext));
    auto arg = dyn_cast<BlockArgument>(widened ? ext->getOperand(0) : v);
    if (!arg || arg.getOwner() != body || arg.getArgNumber() > 1)
      return std::nullopt;
    // int8 kernels also take 4-bit weight codes (int4 x int8).
    Type type = arg.getType();
    if (widened
            ? !(int8 ? type.isInteger(8) || type.isInteger(4) : type.isBF16())
            : !type.isF32())
      return std::nullopt;
    return std::make_pair(arg.getArgNumber(), widened);
  };
  auto x = source(mul->getOperand(0)), y = source(mul->getOperand(1));
  // Exactly the ops matched above (and the yield) make the body.
  if (!x || !y || x->first == y->first ||
      std::distance(body->begin(), body->end()) !=
          3 + int(x->second) + int(y->second))
    return std::nullopt;
  if (x->second && y->second)
    return PackedDotMatch{x->first, y->first, !int8};
  if (int8 || (!x->second && !y->second))
    return std::nullopt;
  // One f32 factor: it comes first.
  if (x->second)
    std::swap(x, y);
  return PackedDotMatch{x->first, y->first, true, /*f32Activation=*/true};
}

/// Plans where the packed weight's elements go: the weight is indexed by
/// every reduction dim and the vector dim (all static).
static GroupedPanelLayout planLayout(const KernelPlan &plan,
                                     const DotPlan &dot) {
  const KernelInput &wgt = plan.inputs[dot.weight];
  auto type = cast<RankedTensorType>(wgt.value.getType());
  SmallVector<int64_t> strides = computeStrides(type.getShape());
  linalg::LinalgOp root = plan.root;
  SmallVector<int64_t> dimStride(root.getNumLoops(), 0);
  for (auto [pos, expr] : llvm::enumerate(wgt.map.getResults()))
    dimStride[cast<AffineDimExpr>(expr).getPosition()] = strides[pos];
  GroupedPanelLayout layout;
  layout.tile = plan.tile();
  layout.group = dot.group();
  layout.columns = plan.ranges[plan.vectorDim];
  layout.groupExtent = plan.ranges[dot.groupDim];
  layout.columnStride = dimStride[plan.vectorDim];
  layout.groupStride = dimStride[dot.groupDim];
  for (unsigned dim : dot.otherReductions) {
    layout.otherExtents.push_back(plan.ranges[dim]);
    layout.otherStrides.push_back(dimStride[dim]);
  }
  return layout;
}

/// The elementwise op that computes the int8 activation `activation` for
/// this kernel alone (its quantization), if any.
static linalg::GenericOp unsignedProducer(Value activation) {
  auto producer = activation.getDefiningOp<linalg::GenericOp>();
  if (producer && producer->hasOneUse() && producer->getNumResults() == 1 &&
      producer.getNumReductionLoops() == 0 && producer.hasPureTensorSemantics())
    return producer;
  return nullptr;
}

/// Checks that the weight of `dot` is indexed by all reduction dims and the
/// vector dim only (all static), and sets the other reduction dims.
static LogicalResult planReductions(const KernelPlan &plan, DotPlan &dot) {
  const KernelInput &wgt = plan.inputs[dot.weight];
  ArrayRef<int64_t> ranges = plan.ranges;
  if (ShapedType::isDynamic(ranges[plan.vectorDim]))
    return failure();
  llvm::SmallDenseSet<unsigned> weightDims;
  for (AffineExpr expr : wgt.map.getResults())
    weightDims.insert(cast<AffineDimExpr>(expr).getPosition());
  if (weightDims.size() != plan.reductionDims.size() + 1 ||
      !weightDims.contains(plan.vectorDim))
    return failure();
  for (unsigned dim : plan.reductionDims) {
    if (!weightDims.contains(dim) || ShapedType::isDynamic(ranges[dim]))
      return failure();
    if (dim != dot.groupDim)
      dot.otherReductions.push_back(dim);
  }
  return success();
}

/// Checks that input `scale` of a scaled integer dot is an f32 or f16 constant
/// indexed by the one other reduction dim and the vector dim, and records
/// it.
static LogicalResult planGroupScale(const KernelPlan &plan, DotPlan &dot,
                                    unsigned scale) {
  const KernelInput &in = plan.inputs[scale];
  if (dot.otherReductions.size() != 1 || !in.map ||
      in.map.getNumResults() != 2 || !in.map.isProjectedPermutation() ||
      in.map.getDimPosition(0) != dot.otherReductions.front() ||
      in.map.getDimPosition(1) != plan.vectorDim ||
      !isa<Float32Type, Float16Type>(
          getElementTypeOrSelf(in.value.getType())) ||
      !hasConstantBytes(in.value))
    return failure();
  dot.groupScale = scale;
  return success();
}

std::optional<DotPlan>
mlir::compress::kernels::planPackedDot(const KernelPlan &plan,
                                       const TargetCPU &target,
                                       const KernelOptions &options) {
  std::optional<PackedDotMatch> match = matchPackedDot(plan.root);
  if (!match)
    match = matchScaledIntDot(plan.root);
  if (!match || (match->f32Activation && !options.bf16Activations))
    return std::nullopt;
  DotPlan dot;
  dot.bf16 = match->bf16;
  dot.emulate = dot.bf16 && options.emulateBF16Dot;
  if (dot.bf16 ? !(target.avx512BF16 || (dot.emulate && target.avx512))
               : !target.avx512VNNI)
    return std::nullopt;
  dot.weight = 1;
  for (unsigned candidate : {match->a, match->b}) {
    const KernelInput &in = plan.inputs[candidate];
    if (in.access == Access::Broadcast)
      dot.activation = candidate;
    else if (in.access == Access::Contiguous)
      dot.weight = candidate;
  }
  if (dot.activation == dot.weight)
    return std::nullopt;
  // The f32 factor must be the activation: it is rounded to bf16 once,
  // before the kernel.
  dot.roundActivation = match->f32Activation;
  if (dot.roundActivation && dot.activation != match->a)
    return std::nullopt;
  const KernelInput &act = plan.inputs[dot.activation];
  const KernelInput &wgt = plan.inputs[dot.weight];
  if (!act.map || !wgt.map || !wgt.map.isProjectedPermutation() ||
      !wgt.value.getDefiningOp<arith::ConstantOp>())
    return std::nullopt;
  // Only the weight may be 4-bit codes; they must be a known constant.
  Type actElement = getElementTypeOrSelf(act.value.getType());
  Type wgtElement = getElementTypeOrSelf(wgt.value.getType());
  bool codes4 = wgtElement.isInteger(4);
  if (!dot.bf16 && !actElement.isInteger(8))
    return std::nullopt;
  if (codes4 &&
      !matchPattern(wgt.value, m_Constant<DenseIntElementsAttr>(nullptr)))
    return std::nullopt;
  // The activation's innermost index must be exactly one reduction dim.
  auto groupExpr =
      dyn_cast<AffineDimExpr>(act.map.getResult(act.map.getNumResults() - 1));
  if (!groupExpr ||
      !llvm::is_contained(plan.reductionDims, groupExpr.getPosition()))
    return std::nullopt;
  dot.groupDim = groupExpr.getPosition();
  if (failed(planReductions(plan, dot)) ||
      (!codes4 && !hasConstantBytes(wgt.value)))
    return std::nullopt;
  dot.nibbles = codes4 && plan.chunks % 2 == 0;
  if (match->scale && failed(planGroupScale(plan, dot, *match->scale)))
    return std::nullopt;
  dot.layout = planLayout(plan, dot);
  if (!dot.bf16)
    dot.unsignedProducer = unsignedProducer(act.value);
  return dot;
}
