//===- FuseDequant.cpp - Decode weights inside their kernels --------------===//
//
// Implements --compress-fuse-dequant: an elementwise linalg.generic that only
// reads constants (the lowered form of compress.dequantize or of a widening
// cast of an fp16/bf16 weight) is fused into the contraction or convolution
// that consumes it, so the weight is decoded element by element inside the
// kernel and never materialized in floating point. A factor of the decode
// that depends on the output channel only (a per-channel scale) is then
// applied to the kernel's sums by an elementwise op after it (which
// compress-fuse makes the kernel's epilogue), instead of to every weight.
// A factor per group of the reduction splits the reduction into groups and
// their elements (GroupFactors.h).
//
// A decode that stays unfused and reads sub-byte codes (i4) from a constant
// is rewritten to read them packed two per byte (even linear index in the
// low nibble), so the compiled object holds half a byte per weight. Fused
// kernels keep the codes unpacked: compress-tile-and-vectorize packs them
// into the layout its decode reads.
//
//===----------------------------------------------------------------------===//

#include "GroupFactors.h"
#include "OutputFactors.h"
#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/IRMapping.h"
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

/// The position of a sub-byte integer constant input with a static shape
/// and an identity map among the inputs of `generic`, if any.
static std::optional<unsigned> findSubByteConstant(linalg::GenericOp generic) {
  for (OpOperand *input : generic.getDpsInputOperands()) {
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (type && type.hasStaticShape() && type.getElementType().isInteger() &&
        type.getElementTypeBitWidth() < 8 &&
        generic.getMatchingIndexingMap(input).isIdentity() &&
        matchPattern(input->get(), m_Constant()))
      return input->getOperandNumber();
  }
  return std::nullopt;
}

/// Rewrites the unfused decode `generic` to read its sub-byte constant
/// input `operand` from bytes holding two codes each: the code of linear
/// index i is nibble i % 2 of byte i / 2, truncated back to the code type
/// for the rest of the body.
static void packSubByteCodes(IRRewriter &rewriter, linalg::GenericOp generic,
                             unsigned operand) {
  Location loc = generic.getLoc();
  Value codes = generic->getOperand(operand);
  auto type = cast<RankedTensorType>(codes.getType());
  auto codeType = cast<IntegerType>(type.getElementType());
  DenseIntElementsAttr values;
  matchPattern(codes, m_Constant(&values));
  SmallVector<int8_t> bytes((type.getNumElements() + 1) / 2, 0);
  for (auto [index, value] : llvm::enumerate(values.getValues<APInt>())) {
    uint8_t nibble = value.getZExtValue() & 0xF;
    bytes[index / 2] |= static_cast<int8_t>(index % 2 ? nibble << 4 : nibble);
  }
  rewriter.setInsertionPoint(generic);
  auto packedType = RankedTensorType::get({static_cast<int64_t>(bytes.size())},
                                          rewriter.getI8Type());
  Value packed = arith::ConstantOp::create(
      rewriter, codes.getLoc(),
      DenseElementsAttr::get(packedType, ArrayRef<int8_t>(bytes)));
  int64_t rank = type.getRank();
  SmallVector<int64_t> strides = computeStrides(type.getShape());
  AffineExpr linear = rewriter.getAffineConstantExpr(0);
  for (int64_t d = 0; d < rank; ++d)
    linear = linear + rewriter.getAffineDimExpr(d) * strides[d];
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  maps[operand] = AffineMap::get(rank, 0, linear.floorDiv(2));
  SmallVector<Value> inputs = generic.getDpsInputs();
  inputs[operand] = packed;
  auto rewritten = linalg::GenericOp::create(
      rewriter, loc, generic.getResultTypes(), inputs, generic.getDpsInits(),
      maps, generic.getIteratorTypesArray(),
      [&](OpBuilder &b, Location nested, ValueRange args) {
        // Shift right by 4 for odd linear indices.
        Value index = arith::ConstantIndexOp::create(b, nested, 0);
        for (int64_t d = 0; d < rank; ++d)
          index = arith::AddIOp::create(
              b, nested, index,
              arith::MulIOp::create(
                  b, nested, linalg::IndexOp::create(b, nested, d),
                  arith::ConstantIndexOp::create(b, nested, strides[d])));
        Value odd = arith::RemUIOp::create(
            b, nested, index, arith::ConstantIndexOp::create(b, nested, 2));
        Value shift = arith::MulIOp::create(
            b, nested,
            arith::IndexCastOp::create(b, nested, b.getI8Type(), odd),
            arith::ConstantOp::create(b, nested, b.getI8IntegerAttr(4)));
        Value nibble = arith::ShRUIOp::create(b, nested, args[operand], shift);
        IRMapping mapping;
        Block *body = generic.getBody();
        mapping.map(body->getArguments(), args);
        mapping.map(body->getArgument(operand),
                    arith::TruncIOp::create(b, nested, codeType, nibble));
        for (Operation &op : body->without_terminator())
          b.clone(op, mapping);
        SmallVector<Value> results;
        for (Value value : body->getTerminator()->getOperands())
          results.push_back(mapping.lookupOrDefault(value));
        linalg::YieldOp::create(b, nested, results);
      });
  rewriter.replaceOp(generic, rewritten.getResults());
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
    // (Keyed by the original kernels, which all exist before any is erased:
    // a new op may reuse the memory of an erased one.)
    DenseMap<Operation *, Operation *> latest;
    auto current = [&](Operation *original) {
      auto it = latest.find(original);
      return it == latest.end() ? original : it->second;
    };
    for (auto [original, operandNumber] : candidates) {
      auto kernel = cast<linalg::LinalgOp>(current(original));
      rewriter.setInsertionPoint(kernel);
      auto generic = dyn_cast<linalg::GenericOp>(kernel.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, kernel);
        if (failed(generalized))
          continue;
        latest[original] = *generalized;
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
      latest[original] = fused->fusedOp;
      rewriter.eraseOp(generic);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
    }
    // Fusion may keep the decoded weight as an extra (unused) result of the
    // kernel, which would still write it out: drop such results.
    RewritePatternSet patterns(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));

    // Per-output-channel scales of the decodes (constant factors) are
    // applied to the sums, once per output element, instead of to every
    // weight.
    SmallVector<linalg::GenericOp> kernels;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (isReducingKernel(generic))
        kernels.push_back(generic);
    });
    for (linalg::GenericOp kernel : kernels) {
      linalg::GenericOp hoisted = hoistOutputFactor(rewriter, kernel);
      // Per-group factors (scales and zero points of groups along the
      // reduction) split the reduction into groups and their elements.
      linalg::GenericOp root = kernel;
      if (hoisted)
        root = hoisted.getDpsInputs()[0].getDefiningOp<linalg::GenericOp>();
      if (root)
        splitGroupedReduction(rewriter, root);
    }
    // The scales no longer read by the kernels.
    RewritePatternSet cleanup(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(cleanup);
    (void)applyPatternsGreedily(getOperation(), std::move(cleanup));

    // Decodes left unfused store sub-byte codes packed.
    SmallVector<std::pair<linalg::GenericOp, unsigned>> unfused;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (!isConstantDecode(generic))
        return;
      if (std::optional<unsigned> operand = findSubByteConstant(generic))
        unfused.emplace_back(generic, *operand);
    });
    for (auto [generic, operand] : unfused)
      packSubByteCodes(rewriter, generic, operand);
  }
};

} // namespace
} // namespace mlir::compress
