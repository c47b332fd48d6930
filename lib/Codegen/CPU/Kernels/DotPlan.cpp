//===- DotPlan.cpp - Planning of packed dot-product kernels ---------------===//

#include "DotPlan.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

/// Matches the packed dot-product contractions, in any operand order:
/// `addi(out, muli(extsi(a), extsi(b)))` with i8 inputs and an i32 output,
/// or `addf(out, mulf(extf(a), extf(b)))` with bf16 inputs and an f32
/// output. Returns the input indices (a, b) and whether it is bf16.
static std::optional<std::tuple<unsigned, unsigned, bool>>
matchPackedDot(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (op.getNumDpsInputs() != 2 || body->getNumArguments() != 3 ||
      std::distance(body->begin(), body->end()) != 5)
    return std::nullopt;
  Type a = body->getArgument(0).getType(), b = body->getArgument(1).getType();
  Type out = body->getArgument(2).getType();
  bool int8 = a.isInteger(8) && b.isInteger(8) && out.isInteger(32);
  bool bf16 = a.isBF16() && b.isBF16() && out.isF32();
  if (!int8 && !bf16)
    return std::nullopt;
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
  auto source = [&](Value v) -> std::optional<unsigned> {
    Operation *ext = v.getDefiningOp();
    if (!ext || !(int8 ? isa<arith::ExtSIOp>(ext) : isa<arith::ExtFOp>(ext)))
      return std::nullopt;
    auto arg = dyn_cast<BlockArgument>(ext->getOperand(0));
    if (!arg)
      return std::nullopt;
    return arg.getArgNumber();
  };
  std::optional<unsigned> x = source(mul->getOperand(0));
  std::optional<unsigned> y = source(mul->getOperand(1));
  if (!x || !y || *x == *y || *x > 1 || *y > 1)
    return std::nullopt;
  return std::make_tuple(*x, *y, bf16);
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

std::optional<DotPlan> mlir::compress::kernels::planPackedDot(
    const KernelPlan &plan, const TargetCPU &target, bool emulateBF16) {
  auto match = matchPackedDot(plan.root);
  if (!match)
    return std::nullopt;
  DotPlan dot;
  dot.bf16 = std::get<2>(*match);
  dot.emulate = dot.bf16 && emulateBF16;
  if (dot.bf16 ? !(target.avx512BF16 || (dot.emulate && target.avx512))
               : !target.avx512VNNI)
    return std::nullopt;
  dot.weight = 1;
  for (unsigned candidate : {std::get<0>(*match), std::get<1>(*match)}) {
    const KernelInput &in = plan.inputs[candidate];
    if (in.access == Access::Broadcast)
      dot.activation = candidate;
    else if (in.access == Access::Contiguous)
      dot.weight = candidate;
  }
  if (dot.activation == dot.weight)
    return std::nullopt;
  const KernelInput &act = plan.inputs[dot.activation];
  const KernelInput &wgt = plan.inputs[dot.weight];
  if (!act.map || !wgt.map || !wgt.map.isProjectedPermutation() ||
      !wgt.value.getDefiningOp<arith::ConstantOp>())
    return std::nullopt;
  // The activation's innermost index must be exactly one reduction dim.
  auto groupExpr =
      dyn_cast<AffineDimExpr>(act.map.getResult(act.map.getNumResults() - 1));
  if (!groupExpr ||
      !llvm::is_contained(plan.reductionDims, groupExpr.getPosition()))
    return std::nullopt;
  dot.groupDim = groupExpr.getPosition();
  if (failed(planReductions(plan, dot)) || !hasConstantBytes(wgt.value))
    return std::nullopt;
  dot.layout = planLayout(plan, dot);
  if (!dot.bf16)
    dot.unsignedProducer = unsignedProducer(act.value);
  return dot;
}
