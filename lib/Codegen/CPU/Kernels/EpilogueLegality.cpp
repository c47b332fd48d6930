//===- EpilogueLegality.cpp - Which consumers join a kernel ---------------===//

#include "EpilogueLegality.h"

using namespace mlir;
using namespace mlir::compress::kernels;

bool mlir::compress::kernels::isElementwiseKernel(linalg::LinalgOp op) {
  return op && op.hasPureTensorSemantics() && op.getNumReductionLoops() == 0 &&
         op->getNumResults() == 1 &&
         !isa<linalg::FillOp, linalg::TransposeOp>(op);
}

bool mlir::compress::kernels::isFusableEpilogue(linalg::LinalgOp epilogue,
                                                linalg::LinalgOp root) {
  if (!isElementwiseKernel(epilogue) || epilogue.getNumDpsInits() != 1 ||
      epilogue->getBlock() != root->getBlock() || root->getNumResults() != 1 ||
      !root->getResult(0).hasOneUse() ||
      epilogue.getNumLoops() != root.getNumParallelLoops() ||
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
