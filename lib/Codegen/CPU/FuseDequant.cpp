//===- FuseDequant.cpp - Decode weights inside their kernels --------------===//
//
// Implements --compress-fuse-dequant: an elementwise linalg.generic that only
// reads constants (the lowered form of compress.dequantize or of a widening
// cast of an fp16/bf16 weight) is fused into the contraction or convolution
// that consumes it, so the weight is decoded element by element inside the
// kernel and never materialized in floating point.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSFUSEDEQUANTPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

/// True for an all-parallel, single-result generic whose inputs are all
/// constants: a decode of a constant weight.
static bool isConstantDecode(Operation *op) {
  auto generic = dyn_cast_if_present<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() != 0)
    return false;
  return llvm::all_of(generic.getDpsInputs(), [](Value input) {
    return matchPattern(input, m_Constant());
  });
}

/// True for a kernel that reduces (a contraction or a convolution).
static bool isReducingKernel(linalg::LinalgOp op) {
  return op.hasPureTensorSemantics() && op.getNumReductionLoops() > 0;
}

struct CompressFuseDequantPass
    : impl::CompressFuseDequantPassBase<CompressFuseDequantPass> {
  using CompressFuseDequantPassBase::CompressFuseDequantPassBase;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, unsigned>> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!isReducingKernel(op))
        return;
      for (OpOperand *input : op.getDpsInputOperands())
        if (isConstantDecode(input->get().getDefiningOp()))
          candidates.emplace_back(op, input->getOperandNumber());
    });

    IRRewriter rewriter(&getContext());
    // A kernel may decode several operands; fusing one replaces the kernel,
    // so handle the operands of one kernel in turn on its latest version.
    DenseMap<Operation *, Operation *> replacedBy;
    for (auto [original, operandNumber] : candidates) {
      Operation *current = original;
      while (replacedBy.count(current))
        current = replacedBy[current];
      auto kernel = cast<linalg::LinalgOp>(current);
      rewriter.setInsertionPoint(kernel);
      auto generic = dyn_cast<linalg::GenericOp>(kernel.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, kernel);
        if (failed(generalized))
          continue;
        replacedBy[kernel] = *generalized;
        generic = *generalized;
      }
      OpOperand &operand = generic->getOpOperand(operandNumber);
      if (!linalg::areElementwiseOpsFusable(&operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      for (auto [from, to] : fused->replacements)
        rewriter.replaceUsesWithIf(from, to, [&](OpOperand &use) {
          return use.getOwner() != fused->fusedOp;
        });
      replacedBy[generic] = fused->fusedOp;
      rewriter.eraseOp(generic);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
    }
    // Fusion may keep the decoded weight as an extra (unused) result of the
    // kernel, which would still write it out: drop such results.
    RewritePatternSet patterns(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};

} // namespace
} // namespace mlir::compress
