//===- Parallelize.cpp - Parallel outer loops of kernels ------------------===//
//
// Implements --compress-parallelize: marked scf.for loops without results
// become scf.parallel loops (not those with a constant step <= 0, which
// scf.parallel cannot express).
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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
      // scf.parallel requires a positive constant step; a loop whose
      // constant step is not (it runs forever or not at all as scf.for)
      // stays as it is.
      if (std::optional<int64_t> step = getConstantIntValue(loop.getStep());
          step && *step <= 0)
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
