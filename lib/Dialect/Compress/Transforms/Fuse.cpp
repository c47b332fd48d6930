//===- Fuse.cpp - Fusion groups -------------------------------------------===//
//
// Implements --compress-fuse:
//  0. an elementwise op that reads its output where that output is a
//     linalg.fill reads the fill scalar instead, and writes an empty tensor
//     (the dequantization of an integer matmul accumulates into a zero
//     fill): the fill is no longer materialized and the op can become an
//     epilogue;
//  1. elementwise chains (bias, activation, residual add, scales, the
//     requantization of the next layer) are fused into one linalg.generic
//     when each producer's result has no other use;
//  2. every op with reduction loops (contraction, convolution, pooling) whose
//     only user is such an elementwise op is wrapped with it in a
//     compress.fusion_group, which code generation emits as one kernel with
//     the epilogue applied in registers.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Dialect/Compress/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSFUSEPASS
#include "compress/Dialect/Compress/Transforms/Passes.h.inc"

namespace {

/// An elementwise op on tensors: all loops parallel, one result. Fills and
/// transposes (layout changes, e.g. at the edges of channels-last regions)
/// are not: fused into a computation, a transpose would turn its contiguous
/// reads into gathers and keep it from becoming an epilogue.
static bool isElementwiseKernel(linalg::LinalgOp op) {
  return op && op.hasPureTensorSemantics() && op.getNumReductionLoops() == 0 &&
         op->getNumResults() == 1 &&
         !isa<linalg::FillOp, linalg::TransposeOp>(op);
}

/// The elementwise consumer `epilogue` can be fused into `root`'s kernel:
/// it reads the root's whole result exactly as it writes its own output,
/// does not read its own output, and has the root's output rank.
static bool isEpilogueOf(linalg::LinalgOp epilogue, linalg::LinalgOp root) {
  if (!isElementwiseKernel(epilogue) || epilogue.getNumDpsInits() != 1 ||
      epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
    return false;
  AffineMap out =
      epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0));
  if (!out.isPermutation())
    return false;
  unsigned uses = 0;
  for (OpOperand *operand : epilogue.getDpsInputOperands()) {
    if (operand->get() != root->getResult(0))
      continue;
    if (epilogue.getMatchingIndexingMap(operand) != out)
      return false;
    ++uses;
  }
  return uses == 1;
}

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

struct CompressFusePass : impl::CompressFusePassBase<CompressFusePass> {
  using CompressFusePassBase::CompressFusePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();

    // 1. Elementwise chains. Named elementwise ops are generalized first.
    IRRewriter rewriter(context);
    func.walk(
        [&](linalg::GenericOp op) { foldFillIntoElementwise(op, rewriter); });
    SmallVector<linalg::LinalgOp> named;
    func.walk([&](linalg::LinalgOp op) {
      if (isElementwiseKernel(op) && !isa<linalg::GenericOp>(op))
        named.push_back(op);
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      auto producer = fused->get().getDefiningOp<linalg::LinalgOp>();
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      return isElementwiseKernel(producer) && isElementwiseKernel(consumer) &&
             producer->getResult(0).hasOneUse();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    // 2. Groups of a reduction op and its epilogue.
    SmallVector<std::pair<linalg::LinalgOp, linalg::LinalgOp>> groups;
    func.walk([&](linalg::LinalgOp root) {
      if (!root.hasPureTensorSemantics() || root.getNumReductionLoops() == 0 ||
          root->getNumResults() != 1 || !root->getResult(0).hasOneUse() ||
          isa<FusionGroupOp>(root->getParentOp()))
        return;
      auto epilogue =
          dyn_cast<linalg::LinalgOp>(*root->getResult(0).getUsers().begin());
      if (epilogue && epilogue->getBlock() == root->getBlock() &&
          isEpilogueOf(epilogue, root) &&
          epilogue.getNumLoops() == root.getNumParallelLoops())
        groups.emplace_back(root, epilogue);
    });
    for (auto [root, epilogue] : groups)
      createGroup(root, epilogue);
  }
};

} // namespace
} // namespace mlir::compress
