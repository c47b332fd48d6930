//===- Parallelize.cpp - Parallel outer loops of kernels ------------------===//
//
// Implements --compress-parallelize: marked scf.for loops without results
// become scf.parallel loops.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSPARALLELIZEPASS
#include "compress/Codegen/Passes.h.inc"

namespace {
struct CompressParallelizePass
    : impl::CompressParallelizePassBase<CompressParallelizePass> {
  using CompressParallelizePassBase::CompressParallelizePassBase;

  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kParallelLoopAttr))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops) {
      loop->removeAttr(kParallelLoopAttr);
      if (loop.getNumResults() != 0)
        continue;
      OpBuilder builder(loop);
      auto parallel = scf::ParallelOp::create(
          builder, loop.getLoc(), ValueRange{loop.getLowerBound()},
          ValueRange{loop.getUpperBound()}, ValueRange{loop.getStep()});
      // Move the body (without its yield) into the parallel loop.
      Block *from = loop.getBody();
      Block *to = parallel.getBody();
      from->getTerminator()->erase();
      from->getArgument(0).replaceAllUsesWith(parallel.getInductionVars()[0]);
      to->getOperations().splice(to->begin(), from->getOperations());
      loop->erase();
    }
  }
};
} // namespace
} // namespace mlir::compress
