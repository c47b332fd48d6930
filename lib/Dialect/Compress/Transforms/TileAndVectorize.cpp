//===- TileAndVectorize.cpp - Register-blocked matmul kernels -------------===//
//
// Implements --compress-tile-and-vectorize: an embedded transform-dialect
// schedule that tiles matmul-shaped ops into 8x32 register blocks, then the
// blocks are vectorized and their contractions lowered to FMAs; and
// --compress-hoist-vector-transfers, which keeps the accumulator blocks in
// registers after bufferization.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/TransformOps/DialectExtension.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/TransformOps/VectorTransformOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Parser/Parser.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include <memory>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSHOISTVECTORTRANSFERSPASS
#define GEN_PASS_DEF_COMPRESSTILEANDVECTORIZEPASS
#include "compress/Dialect/Compress/Transforms/Passes.h.inc"

namespace {

/// The tiling schedule: 8x32 output tiles with a K step of 1 (the tile is
/// the register block: 8 rows of two 16-lane vectors). Tiles keep the tag.
constexpr llvm::StringLiteral kSchedule = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %matmuls = transform.structured.match
        attributes{compress.tile_matmul} in %root
        : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:3 = transform.structured.tile_using_for %matmuls
        tile_sizes [8, 32, 1]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op)
    transform.yield
  }
}
)mlir";

constexpr llvm::StringLiteral kTagName = "compress.tile_matmul";

/// True for a linalg op on tensors whose loops are (m, n, k) = (parallel,
/// parallel, reduction) with a single (m, n) output and one input indexed by
/// k and m only, one by k and n only.
static bool isMatmulShaped(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() != 3 ||
      op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 2)
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      iterators[2] != utils::IteratorType::reduction)
    return false;
  // Only plain (projected permutation) indexing and no index arithmetic in
  // the body: the packed int4 decode (floordiv maps, linalg.index nibble
  // selection) is not handled correctly by the vectorizer.
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return false;
  if (!op.getBlock()->getOps<linalg::IndexOp>().empty())
    return false;
  MLIRContext *context = op.getContext();
  AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context);
  AffineMap output = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  return output == AffineMap::get(3, 0, {m, n}, context);
}

/// Vectorizes the tagged tiles with static shapes (the others stay linalg
/// ops, lowered to loops later), then lowers the contractions to outer
/// products and FMAs / integer multiply-adds. Only the tiles are vectorized:
/// elementwise ops elsewhere keep their shapes (whole-tensor vectors would
/// not be a sane lowering).
static void vectorizeTiles(func::FuncOp func) {
  MLIRContext *context = func.getContext();
  SmallVector<linalg::LinalgOp> tiles;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kTagName)) {
      op->removeAttr(kTagName);
      if (op.hasPureTensorSemantics() && !op.hasDynamicShape())
        tiles.push_back(op);
    }
  });
  IRRewriter rewriter(context);
  for (linalg::LinalgOp op : tiles) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(result))
      continue;
    rewriter.replaceOp(op, result->replacements);
  }

  RewritePatternSet patterns(context);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  vector::populateVectorContractLoweringPatterns(
      patterns, vector::VectorContractLowering::OuterProduct);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  (void)applyPatternsGreedily(func, std::move(patterns));
}

struct CompressTileAndVectorizePass
    : impl::CompressTileAndVectorizePassBase<CompressTileAndVectorizePass> {
  using CompressTileAndVectorizePassBase::CompressTileAndVectorizePassBase;

  /// Parses the schedule once, before any function is processed: parsing
  /// may load dialects, which is not allowed in the multi-threaded run.
  LogicalResult initialize(MLIRContext *context) override {
    OwningOpRef<ModuleOp> parsed =
        parseSourceString<ModuleOp>(kSchedule, context);
    if (!parsed)
      return emitError(UnknownLoc::get(context),
                       "compress-tile-and-vectorize: invalid schedule");
    schedule = std::make_shared<OwningOpRef<ModuleOp>>(std::move(parsed));
    return success();
  }

  void getDependentDialects(DialectRegistry &registry) const override {
    CompressTileAndVectorizePassBase::getDependentDialects(registry);
    linalg::registerTransformDialectExtension(registry);
    vector::registerTransformDialectExtension(registry);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Tag the matmul-shaped ops (named matmuls and the generics that
    // quantization and dequantize fusion make of them): loops exactly
    // (m, n, k), in that order, with an (m, n) output.
    UnitAttr tag = UnitAttr::get(&getContext());
    bool any = false;
    func.walk([&](linalg::LinalgOp op) {
      if (isMatmulShaped(op)) {
        op->setAttr(kTagName, tag);
        any = true;
      }
    });
    if (!any)
      return markAllAnalysesPreserved();
    ModuleOp scheduleModule = schedule->get();
    auto entry = scheduleModule.lookupSymbol<transform::NamedSequenceOp>(
        "__transform_main");
    if (failed(transform::applyTransformNamedSequence(
            func, entry, scheduleModule, transform::TransformOptions())))
      return signalPassFailure();
    vectorizeTiles(func);
  }

private:
  /// The parsed schedule, shared by the clones of the pass (read only).
  std::shared_ptr<OwningOpRef<ModuleOp>> schedule;
};

struct CompressHoistVectorTransfersPass
    : impl::CompressHoistVectorTransfersPassBase<
          CompressHoistVectorTransfersPass> {
  using CompressHoistVectorTransfersPassBase::
      CompressHoistVectorTransfersPassBase;

  void runOnOperation() override {
    linalg::hoistRedundantVectorTransfers(getOperation());
  }
};

} // namespace
} // namespace mlir::compress
