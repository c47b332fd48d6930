//===- Fuse.cpp - Fusion groups -------------------------------------------===//
//
// Implements --compress-fuse:
//  0. an elementwise op that reads its output where that output is a
//     linalg.fill reads the fill scalar instead, and writes an empty tensor
//     (the dequantization of an integer matmul accumulates into a zero
//     fill): the fill is no longer materialized and the op can become an
//     epilogue;
//     an elementwise op of one padded tensor (the quantization of the next
//     layer's input) moves above the tensor.pad, which then pads with the
//     op applied to the padding value: quantize(pad(x, 0)) becomes
//     pad(quantize(x), zero point), so the quantization can join the
//     producer's epilogue;
//  1. elementwise chains (bias, activation, residual add, scales, the
//     requantization of the next layer) are fused into one linalg.generic
//     when each producer's result has no other use;
//  2. every op with reduction loops (contraction, convolution, pooling) whose
//     only user is such an elementwise op is wrapped with it in a
//     compress.fusion_group, which code generation emits as one kernel with
//     the epilogue applied in registers;
//  3. a constant tensor.pad of a kernel's result (the zero padding of the
//     next convolution, the -inf padding of a max pool) disappears: the
//     kernel writes into the interior of the padded tensor (a fill of the
//     padding value; extract_slice / insert_slice, which bufferize in
//     place), so the padded copy of the activation is never made.
//
//===----------------------------------------------------------------------===//

#include "Kernels/EpilogueLegality.h"
#include "compress/Codegen/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSFUSEPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

using kernels::isElementwiseKernel;
using kernels::isFusableEpilogue;

/// Makes an elementwise op that reads its filled output read the fill
/// scalar instead and write an empty tensor.
static void foldFillIntoElementwise(linalg::GenericOp op,
                                    RewriterBase &rewriter) {
  if (!isElementwiseKernel(op) || op.getNumDpsInits() != 1)
    return;
  OpOperand *init = op.getDpsInitOperand(0);
  auto fill = init->get().getDefiningOp<linalg::FillOp>();
  if (!fill || !op.payloadUsesValueFromOperand(init))
    return;
  Value scalar = fill.getInputs()[0];
  BlockArgument out = op.getMatchingBlockArgument(init);
  if (scalar.getType() != out.getType())
    return;
  rewriter.modifyOpInPlace(op, [&] {
    rewriter.replaceAllUsesWith(out, scalar);
    init->set(fill.getOutputs()[0]);
  });
}

/// The product of the static loop ranges of `op` (dynamic ones count 1).
static int64_t staticWork(linalg::LinalgOp op) {
  int64_t work = 1;
  for (int64_t range : op.getStaticLoopRanges())
    if (!ShapedType::isDynamic(range))
      work *= range;
  return work;
}

/// The value of the scalar body of `op` when its one input is `input`, if
/// every op of the body folds to a constant.
static std::optional<Attribute> foldBody(linalg::GenericOp op,
                                         Attribute input) {
  Block &body = op.getRegion().front();
  DenseMap<Value, Attribute> known;
  known[body.getArgument(0)] = input;
  auto valueOf = [&](Value value) -> Attribute {
    if (Attribute attr = known.lookup(value))
      return attr;
    Attribute attr;
    if (value.getParentBlock() != &body &&
        matchPattern(value, m_Constant(&attr)))
      return attr;
    return nullptr;
  };
  for (Operation &inner : body.without_terminator()) {
    SmallVector<Attribute> operands;
    for (Value operand : inner.getOperands())
      operands.push_back(valueOf(operand));
    SmallVector<OpFoldResult> results;
    if (inner.getNumResults() != 1 || failed(inner.fold(operands, results)) ||
        results.size() != 1)
      return std::nullopt;
    // A fold to one of the operands (select) or to a constant.
    Attribute result = isa<Attribute>(results[0])
                           ? cast<Attribute>(results[0])
                           : valueOf(cast<Value>(results[0]));
    if (!result)
      return std::nullopt;
    known[inner.getResult(0)] = result;
  }
  Attribute result = valueOf(body.getTerminator()->getOperand(0));
  if (!result)
    return std::nullopt;
  return result;
}

/// elementwise(pad(x, c)) -> pad(elementwise(x), elementwise(c)) for an
/// elementwise op whose only tensor is the padded one.
static void hoistAbovePad(linalg::GenericOp op, RewriterBase &rewriter) {
  if (!isElementwiseKernel(op) || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op.hasIndexSemantics() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return;
  auto pad = op.getDpsInputOperand(0)->get().getDefiningOp<tensor::PadOp>();
  Attribute padding;
  if (!pad || !pad->hasOneUse() || !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(), m_Constant(&padding)))
    return;
  std::optional<Attribute> newPadding = foldBody(op, padding);
  auto typed = dyn_cast_or_null<TypedAttr>(newPadding.value_or(nullptr));
  if (!typed)
    return;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value constant = arith::ConstantOp::create(rewriter, loc, typed);
  Value source = pad.getSource();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto sourceType = cast<RankedTensorType>(source.getType());
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, source),
      resultType.getElementType());
  auto moved = linalg::GenericOp::create(
      rewriter, loc, sourceType.clone(resultType.getElementType()),
      ValueRange{source}, ValueRange{empty}, op.getIndexingMapsArray(),
      op.getIteratorTypesArray());
  rewriter.cloneRegionBefore(op.getRegion(), moved.getRegion(),
                             moved.getRegion().begin());
  auto padded = tensor::PadOp::create(
      rewriter, loc, resultType, moved.getResult(0), pad.getMixedLowPad(),
      pad.getMixedHighPad(), constant, pad.getNofold());
  rewriter.replaceOp(op, padded.getResult());
  rewriter.eraseOp(pad);
}

/// Wraps `root` and `epilogue` (which directly follows in dominance order)
/// into a fusion group at the epilogue's position.
static void createGroup(linalg::LinalgOp root, linalg::LinalgOp epilogue) {
  OpBuilder builder(epilogue);
  Value result = epilogue->getResult(0);
  auto group = FusionGroupOp::create(builder, epilogue.getLoc(),
                                     TypeRange{result.getType()});
  Block *body = builder.createBlock(&group.getBody());
  root->moveBefore(body, body->end());
  epilogue->moveBefore(body, body->end());
  builder.setInsertionPointToEnd(body);
  YieldOp::create(builder, epilogue.getLoc(), ValueRange{result});
  result.replaceUsesWithIf(group.getResult(0), [&](OpOperand &use) {
    return use.getOwner()->getParentOp() != group;
  });
}

/// The init operand of the kernel that computes `value` (a linalg op's
/// result, or a fusion group's through its epilogue) if that init is an
/// empty tensor the kernel does not read, or a fill of an empty tensor
/// (the start value of a reduction).
static OpOperand *writableInit(Value value) {
  auto result = dyn_cast<OpResult>(value);
  if (!result)
    return nullptr;
  Operation *producer = result.getOwner();
  if (auto group = dyn_cast<FusionGroupOp>(producer)) {
    Value yielded = group.getBody().front().getTerminator()->getOperand(
        result.getResultNumber());
    result = dyn_cast<OpResult>(yielded);
    if (!result)
      return nullptr;
    producer = result.getOwner();
  }
  auto op = dyn_cast<linalg::LinalgOp>(producer);
  if (!op || !op.hasPureTensorSemantics() || op->getNumResults() != 1)
    return nullptr;
  OpOperand *init = op.getDpsInitOperand(result.getResultNumber());
  if (init->get().getDefiningOp<tensor::EmptyOp>() &&
      !op.payloadUsesValueFromOperand(init))
    return init;
  auto fill = init->get().getDefiningOp<linalg::FillOp>();
  if (fill && fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return init;
  return nullptr;
}

/// Replaces a static, constant `pad` of a kernel's result by the kernel
/// writing into the interior of the filled padded tensor.
static void writeIntoPadded(tensor::PadOp pad, RewriterBase &rewriter) {
  Value padding = pad.getConstantPaddingValue();
  Attribute paddingAttr;
  if (!padding || !matchPattern(padding, m_Constant(&paddingAttr)) ||
      !pad.getLow().empty() || !pad.getHigh().empty() ||
      !pad.getResultType().hasStaticShape())
    return;
  OpOperand *init = writableInit(pad.getSource());
  if (!init)
    return;
  Operation *producer = pad.getSource().getDefiningOp();
  Location loc = pad.getLoc();
  RankedTensorType type = pad.getResultType();
  rewriter.setInsertionPoint(producer);
  Value scalar = padding; // reused if it is defined before the producer
  Operation *def = padding.getDefiningOp();
  if (def->getBlock() != producer->getBlock() ||
      !def->isBeforeInBlock(producer))
    scalar =
        arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(paddingAttr));
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  Value filled =
      linalg::FillOp::create(rewriter, loc, scalar, empty).getResult(0);
  auto sourceType = cast<RankedTensorType>(pad.getSource().getType());
  SmallVector<OpFoldResult> offsets = pad.getMixedLowPad();
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(rewriter.getContext(), sourceType.getShape());
  SmallVector<OpFoldResult> strides(sourceType.getRank(),
                                    rewriter.getIndexAttr(1));
  Value interior = tensor::ExtractSliceOp::create(
      rewriter, loc, sourceType, filled, offsets, sizes, strides);
  if (auto fill = init->get().getDefiningOp<linalg::FillOp>()) // start value
    interior =
        linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], interior)
            .getResult(0);
  rewriter.modifyOpInPlace(init->getOwner(), [&] { init->set(interior); });
  rewriter.setInsertionPoint(pad);
  rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
      pad, pad.getSource(), filled, offsets, sizes, strides);
}

struct CompressFusePass : impl::CompressFusePassBase<CompressFusePass> {
  using CompressFusePassBase::CompressFusePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();

    // 1. Elementwise chains. Named elementwise ops are generalized first.
    IRRewriter rewriter(context);
    func.walk(
        [&](linalg::GenericOp op) { foldFillIntoElementwise(op, rewriter); });
    SmallVector<linalg::GenericOp> afterPads;
    func.walk([&](linalg::GenericOp op) { afterPads.push_back(op); });
    for (linalg::GenericOp op : afterPads)
      hoistAbovePad(op, rewriter);
    SmallVector<linalg::LinalgOp> named;
    func.walk([&](linalg::LinalgOp op) {
      if (isElementwiseKernel(op) && !isa<linalg::GenericOp>(op))
        named.push_back(op);
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    // A transpose whose only user is an elementwise op (the quantization of
    // a channels-last region's input) is fused into that op, which then
    // reads through the permuted map: the transposed copy is never written.
    // Nothing is fused into a transpose (an epilogue would lose its group).
    constexpr StringLiteral kTranspose = "compress.transpose";
    SmallVector<linalg::TransposeOp> transposes;
    func.walk([&](linalg::TransposeOp op) {
      if (op.hasPureTensorSemantics() && op->hasOneUse() &&
          isElementwiseKernel(
              dyn_cast<linalg::LinalgOp>(*op->getUsers().begin())))
        transposes.push_back(op);
    });
    for (linalg::TransposeOp op : transposes) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generic =
          linalg::generalizeNamedOp(rewriter, op);
      if (succeeded(generic))
        (*generic)->setAttr(kTranspose, rewriter.getUnitAttr());
    }
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = [&](OpOperand *fused) {
      auto producer = fused->get().getDefiningOp<linalg::LinalgOp>();
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      return isElementwiseKernel(producer) && isElementwiseKernel(consumer) &&
             !consumer->hasAttr(kTranspose) &&
             producer->getResult(0).hasOneUse();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    func.walk([&](linalg::GenericOp op) { op->removeAttr(kTranspose); });

    // 2. Groups of a reduction op and its epilogue. An epilogue that reads
    // the results of several reductions (a residual block's conv and its
    // downsampling conv) goes with the one that does the most work; the
    // others' results are read from memory.
    llvm::MapVector<Operation *, linalg::LinalgOp> rootOf;
    func.walk([&](linalg::LinalgOp root) {
      if (!root.hasPureTensorSemantics() || root.getNumReductionLoops() == 0 ||
          root->getNumResults() != 1 || !root->getResult(0).hasOneUse() ||
          isa<FusionGroupOp>(root->getParentOp()))
        return;
      auto epilogue =
          dyn_cast<linalg::LinalgOp>(*root->getResult(0).getUsers().begin());
      if (!epilogue || !isFusableEpilogue(epilogue, root))
        return;
      auto [it, inserted] = rootOf.try_emplace(epilogue, root);
      if (!inserted && staticWork(root) > staticWork(it->second))
        it->second = root;
    });
    for (auto [epilogue, root] : rootOf)
      createGroup(root, cast<linalg::LinalgOp>(epilogue));

    // 3. Kernels write their padded results in place.
    SmallVector<tensor::PadOp> pads;
    func.walk([&](tensor::PadOp pad) { pads.push_back(pad); });
    for (tensor::PadOp pad : pads)
      writeIntoPadded(pad, rewriter);
  }
};

} // namespace
} // namespace mlir::compress
