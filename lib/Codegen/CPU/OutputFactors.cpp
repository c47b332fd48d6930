//===- OutputFactors.cpp - Factors moved out of a reduction ---------------===//

#include "OutputFactors.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::compress;

namespace {

/// A factor of the accumulated product: the mulf it multiplies in, its
/// value, and the body ops and block arguments it is computed from.
struct Factor {
  arith::MulFOp mul;
  Value value;
  llvm::SetVector<Operation *> ops;
  llvm::SetVector<BlockArgument> args;
};

} // namespace

/// Collects into `factor` what `value` is computed from, if that is only
/// block arguments of inputs in `invariantArgs`, constants and pure ops of
/// the body. Fails otherwise.
static LogicalResult
collectInvariant(Value value, Block *body,
                 const llvm::SmallDenseSet<Value> &invariantArgs,
                 Factor &factor) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() != body || !invariantArgs.contains(arg))
      return failure();
    factor.args.insert(arg);
    return success();
  }
  Operation *op = value.getDefiningOp();
  if (op->getBlock() != body) // from above: a constant is fine
    return success(matchPattern(value, m_Constant()));
  if (op->getNumRegions() != 0 || !isMemoryEffectFree(op) ||
      isa<linalg::IndexOp>(op))
    return failure();
  for (Value operand : op->getOperands())
    if (failed(collectInvariant(operand, body, invariantArgs, factor)))
      return failure();
  factor.ops.insert(op);
  return success();
}

/// The factor of the product `product` (a chain of single-use mulf ops)
/// computed from the invariant arguments and at least one of them.
static std::optional<Factor>
findFactor(Value product, Block *body,
           const llvm::SmallDenseSet<Value> &invariantArgs) {
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || mul->getBlock() != body || !mul->hasOneUse())
    return std::nullopt;
  for (Value operand : {mul.getRhs(), mul.getLhs()}) {
    Factor factor;
    factor.mul = mul;
    factor.value = operand;
    if (succeeded(collectInvariant(operand, body, invariantArgs, factor)) &&
        !factor.args.empty())
      return factor;
  }
  for (Value operand : {mul.getLhs(), mul.getRhs()})
    if (std::optional<Factor> factor = findFactor(operand, body, invariantArgs))
      return factor;
  return std::nullopt;
}

/// `map` (over the loops of an op whose output map is the projected
/// permutation `output`) over the output's dims instead; `map` must only use
/// dims that `output` has.
static AffineMap toOutputDims(AffineMap map, AffineMap output) {
  MLIRContext *context = map.getContext();
  SmallVector<AffineExpr> replacements(map.getNumDims(),
                                       getAffineConstantExpr(0, context));
  for (unsigned pos = 0; pos < output.getNumResults(); ++pos)
    replacements[output.getDimPosition(pos)] = getAffineDimExpr(pos, context);
  return map.replaceDimsAndSymbols(replacements, {}, output.getNumResults(), 0);
}

linalg::GenericOp mlir::compress::hoistOutputFactor(RewriterBase &rewriter,
                                                    linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 || op.getNumReductionLoops() == 0)
    return nullptr;
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outputMap = op.getMatchingIndexingMap(init);
  if (!outputMap.isProjectedPermutation() ||
      !isa<FloatType>(getElementTypeOrSelf(init->get().getType())))
    return nullptr;
  Block *body = op.getBody();
  auto add =
      body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  BlockArgument out = op.getMatchingBlockArgument(init);
  if (!add || add->getBlock() != body || !add->hasOneUse())
    return nullptr;
  Value product = add.getLhs() == out   ? add.getRhs()
                  : add.getRhs() == out ? add.getLhs()
                                        : Value();
  if (!product || !out.hasOneUse())
    return nullptr;

  // The arguments of constant inputs indexed by output dims only (the
  // scales of a fused decode).
  llvm::SmallDenseSet<Value> invariantArgs;
  SmallVector<unsigned> reductionDims;
  op.getReductionDims(reductionDims);
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (matchPattern(input->get(), m_Constant()) &&
        llvm::none_of(reductionDims,
                      [&](unsigned dim) { return map.isFunctionOfDim(dim); }))
      invariantArgs.insert(op.getMatchingBlockArgument(input));
  }
  std::optional<Factor> factor = findFactor(product, body, invariantArgs);
  if (!factor)
    return nullptr;
  for (BlockArgument arg : factor->args) {
    AffineMap map = op.getMatchingIndexingMap(op.getMatchingOpOperand(arg));
    for (unsigned dim = 0; dim < map.getNumDims(); ++dim)
      if (map.isFunctionOfDim(dim) && !outputMap.isFunctionOfDim(dim))
        return nullptr;
  }

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  // The accumulator starts from zero.
  Value initValue = init->get();
  auto fill = initValue.getDefiningOp<linalg::FillOp>();
  bool zeroInit = fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  Type elementType = getElementTypeOrSelf(initValue.getType());
  Value zeros = initValue;
  if (!zeroInit) {
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, initValue),
        elementType);
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(elementType));
    zeros = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  }

  // The op without the factor: its mulf is replaced by the other operand.
  Value kept = factor->mul.getLhs() == factor->value ? factor->mul.getRhs()
                                                     : factor->mul.getLhs();
  auto sums = linalg::GenericOp::create(
      rewriter, loc, op.getResultTypes(), op.getDpsInputs(), ValueRange{zeros},
      op.getIndexingMapsArray(), op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location, ValueRange args) {
        IRMapping mapping;
        mapping.map(body->getArguments(), args);
        for (Operation &inner : body->without_terminator()) {
          if (&inner == factor->mul.getOperation()) {
            mapping.map(factor->mul.getResult(), mapping.lookupOrDefault(kept));
            continue;
          }
          b.clone(inner, mapping);
        }
        linalg::YieldOp::create(
            b, loc,
            mapping.lookupOrDefault(body->getTerminator()->getOperand(0)));
      });

  // The factor applied to the sums, elementwise over the output.
  unsigned rank = outputMap.getNumResults();
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs{sums.getResult(0)};
  SmallVector<AffineMap> maps{identity};
  for (BlockArgument arg : factor->args) {
    OpOperand *input = op.getMatchingOpOperand(arg);
    inputs.push_back(input->get());
    maps.push_back(toOutputDims(op.getMatchingIndexingMap(input), outputMap));
  }
  maps.push_back(identity);
  Value dest = zeroInit ? fill.getOutputs()[0] : initValue;
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  auto scaled = linalg::GenericOp::create(
      rewriter, loc, op.getResultTypes(), inputs, ValueRange{dest}, maps,
      parallel, [&](OpBuilder &b, Location, ValueRange args) {
        IRMapping mapping;
        for (auto [arg, value] : llvm::zip(factor->args, args.drop_front()))
          mapping.map(arg, value);
        for (Operation *inner : factor->ops) // in body order: SetVector of a
          b.clone(*inner, mapping);          // post-order walk
        Value result = arith::MulFOp::create(
            b, loc, args.front(), mapping.lookupOrDefault(factor->value));
        if (!zeroInit)
          result = arith::AddFOp::create(b, loc, args.back(), result);
        linalg::YieldOp::create(b, loc, result);
      });
  rewriter.replaceOp(op, scaled.getResults());
  return scaled;
}
