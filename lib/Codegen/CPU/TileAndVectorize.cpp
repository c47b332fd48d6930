//===- TileAndVectorize.cpp - Register-tiled vector kernels ---------------===//
//
// Implements --compress-tile-and-vectorize: every contraction, convolution,
// pooling and elementwise op (a linalg op on tensors with a vectorizable
// scalar body), and every compress.fusion_group made of a reduction op and
// its elementwise epilogue, becomes one register-tiled loop nest. This file
// only drives the kernel library in Kernels/:
//
//   InputAccess      how each operand is read (broadcast, contiguous,
//                    strided, gather)
//   KernelPlan,      what a kernel does: dims, register block, loop order,
//   DotPlan          cache blocking, dot-product variant, repacked constants
//                    (no IR is built while planning)
//   WeightPacking    byte layouts of repacked weights (no IR)
//   Emitter, Loads,  the IR of a planned kernel
//   DotEmitter
//   BodyCloning      scalar bodies applied lane-wise to vectors
//   EpilogueLegality which consumers join a kernel (shared with
//                    compress-fuse)
//   FullReduction    reductions of whole tensors to scalars
//   SparseMatmul     products with weights stored by columns
//
//===----------------------------------------------------------------------===//

#include "Kernels/Emitter.h"
#include "Kernels/FullReduction.h"
#include "Kernels/KernelPlan.h"
#include "Kernels/SparseMatmul.h"
#include "compress/Codegen/Passes.h"
#include "compress/Codegen/Target.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSTILEANDVECTORIZEPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

/// Moves the ops of `group` before it and replaces its results by the
/// yielded values.
static void inlineGroup(RewriterBase &rewriter, FusionGroupOp group) {
  Block &body = group.getBody().front();
  Operation *yield = body.getTerminator();
  SmallVector<Value> results(yield->getOperands());
  rewriter.eraseOp(yield);
  rewriter.inlineBlockBefore(&body, group);
  rewriter.replaceOp(group, results);
}

struct CompressTileAndVectorizePass
    : impl::CompressTileAndVectorizePassBase<CompressTileAndVectorizePass> {
  using CompressTileAndVectorizePassBase::CompressTileAndVectorizePassBase;

  LogicalResult initialize(MLIRContext *context) override {
    std::string error;
    FailureOr<TargetCPU> resolved = resolveTargetCPU(cpu, error);
    if (failed(resolved))
      return emitError(UnknownLoc::get(context))
             << "compress-tile-and-vectorize: " << error;
    target = *resolved;
    if (threads < 1 || threads > 1024)
      return emitError(UnknownLoc::get(context))
             << "compress-tile-and-vectorize: threads must be in [1, 1024], "
                "got "
             << static_cast<int64_t>(threads);
    options.emulateBF16Dot = emulateBF16Dot;
    options.bf16Activations = bf16Activations;
    return success();
  }

  /// Plans and emits the kernel of `root` (and `epilogue`), if supported.
  void vectorize(linalg::LinalgOp root, linalg::LinalgOp epilogue) {
    FailureOr<kernels::KernelPlan> plan =
        kernels::planKernel(root, epilogue, target, options);
    if (succeeded(plan))
      kernels::emitKernel(*plan);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    // Fusion groups: a root with reductions and (optionally) one elementwise
    // epilogue become one kernel; others are inlined.
    SmallVector<FusionGroupOp> groups;
    func.walk([&](FusionGroupOp group) { groups.push_back(group); });
    for (FusionGroupOp group : groups) {
      Block &body = group.getBody().front();
      SmallVector<linalg::LinalgOp> ops;
      for (Operation &op : body.without_terminator())
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
          ops.push_back(linalgOp);
      inlineGroup(rewriter, group);
      if (ops.size() == 2)
        vectorize(ops[0], ops[1]);
    }
    // Products with sparse weights (compress-sparsify).
    SmallVector<SparseMatmulOp> sparse;
    func.walk([&](SparseMatmulOp op) { sparse.push_back(op); });
    for (SparseMatmulOp op : sparse)
      kernels::emitSparseMatmul(op, target, threads);
    SmallVector<NMSparseMatmulOp> nmSparse;
    func.walk([&](NMSparseMatmulOp op) { nmSparse.push_back(op); });
    for (NMSparseMatmulOp op : nmSparse)
      kernels::emitNMSparseMatmul(op, target);
    SmallVector<SparseConvOp> sparseConvs;
    func.walk([&](SparseConvOp op) { sparseConvs.push_back(op); });
    for (SparseConvOp op : sparseConvs)
      kernels::emitSparseConv(op, target);
    SmallVector<BlockSparseMatmulOp> blockSparse;
    func.walk([&](BlockSparseMatmulOp op) { blockSparse.push_back(op); });
    for (BlockSparseMatmulOp op : blockSparse)
      kernels::emitBlockSparseMatmul(op);
    // Reductions of whole tensors to scalars (no parallel dim to tile).
    SmallVector<linalg::GenericOp> fullReductions;
    func.walk([&](linalg::GenericOp op) { fullReductions.push_back(op); });
    for (linalg::GenericOp op : fullReductions)
      kernels::vectorizeFullReduction(op, target.vectorBits());
    // The remaining ops, each alone: reductions first (their zero fills
    // become initial accumulators and disappear), then elementwise ops.
    for (bool reductions : {true, false}) {
      SmallVector<linalg::LinalgOp> roots;
      func.walk([&](linalg::LinalgOp op) {
        if ((op.getNumReductionLoops() > 0) == reductions)
          roots.push_back(op);
      });
      for (linalg::LinalgOp root : roots)
        vectorize(root, nullptr);
    }
  }

private:
  TargetCPU target;
  kernels::KernelOptions options;
};

} // namespace
} // namespace mlir::compress
