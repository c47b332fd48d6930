//===- GroupFactors.cpp - Reductions split into groups --------------------===//
//
// See GroupFactors.h.
//
//===----------------------------------------------------------------------===//

#include "GroupFactors.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::compress;

namespace {

/// The reduction dim and group size of the first `d floordiv G` (d a
/// reduction dim, G > 1 constant) in the input maps of `op`.
std::optional<std::pair<unsigned, int64_t>>
findGroupedDim(linalg::GenericOp op) {
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  std::optional<std::pair<unsigned, int64_t>> found;
  for (OpOperand *input : op.getDpsInputOperands()) {
    op.getMatchingIndexingMap(input).walkExprs([&](AffineExpr expr) {
      auto floorDiv = dyn_cast<AffineBinaryOpExpr>(expr);
      if (found || !floorDiv || floorDiv.getKind() != AffineExprKind::FloorDiv)
        return;
      auto dim = dyn_cast<AffineDimExpr>(floorDiv.getLHS());
      auto group = dyn_cast<AffineConstantExpr>(floorDiv.getRHS());
      if (dim && group && group.getValue() > 1 &&
          llvm::is_contained(reductions, dim.getPosition()))
        found = std::make_pair(dim.getPosition(), group.getValue());
    });
  }
  return found;
}

/// Whether `expr` uses dim `dim` outside `dim floordiv group`.
bool usesOutsideGroup(AffineExpr expr, unsigned dim, int64_t group) {
  AffineExpr d = getAffineDimExpr(dim, expr.getContext());
  AffineExpr replaced = expr.replace(d.floorDiv(group),
                                     getAffineSymbolExpr(0, expr.getContext()));
  return replaced.isFunctionOfDim(dim);
}

} // namespace

linalg::GenericOp mlir::compress::splitGroupedReduction(RewriterBase &rewriter,
                                                        linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1)
    return nullptr;
  std::optional<std::pair<unsigned, int64_t>> grouped = findGroupedDim(op);
  if (!grouped)
    return nullptr;
  auto [k, group] = *grouped;
  MLIRContext *context = op.getContext();
  AffineExpr kExpr = getAffineDimExpr(k, context);
  unsigned inner = op.getNumLoops();
  // Every use of k is plain (a whole map result) or inside k floordiv G;
  // plain uses index a static extent that G divides.
  SmallVector<std::optional<unsigned>> plainPosition;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    std::optional<unsigned> plain;
    for (auto [r, expr] : llvm::enumerate(map.getResults())) {
      if (expr == kExpr) {
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (plain || !type || type.isDynamicDim(r) ||
            type.getDimSize(r) % group != 0)
          return nullptr;
        plain = r;
      } else if (usesOutsideGroup(expr, k, group)) {
        return nullptr;
      }
    }
    if (plain && op.isDpsInit(&operand))
      return nullptr;
    plainPosition.push_back(plain);
  }

  // The maps over one more dim (inner): k -> (k, inner) where plain, and
  // k floordiv G -> k.
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    SmallVector<AffineExpr> results;
    for (AffineExpr expr : map.getResults()) {
      if (expr == kExpr) {
        results.push_back(kExpr);
        results.push_back(getAffineDimExpr(inner, context));
      } else {
        results.push_back(expr.replace(kExpr.floorDiv(group), kExpr));
      }
    }
    maps.push_back(AffineMap::get(inner + 1, 0, results, context));
    if (op.isDpsInit(&operand))
      continue;
    Value value = operand.get();
    std::optional<unsigned> pos = plainPosition[operand.getOperandNumber()];
    if (pos) {
      // [.., extent, ..] -> [.., extent / G, G, ..].
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[*pos] /= group;
      shape.insert(shape.begin() + *pos + 1, group);
      auto splitType = RankedTensorType::get(shape, type.getElementType());
      DenseElementsAttr constant;
      if (matchPattern(value, m_Constant(&constant))) {
        value = arith::ConstantOp::create(rewriter, value.getLoc(),
                                          constant.reshape(splitType));
      } else {
        SmallVector<ReassociationIndices> reassociation;
        for (int64_t d = 0; d < type.getRank(); ++d) {
          int64_t at = d <= *pos ? d : d + 1;
          if (d == *pos)
            reassociation.push_back({at, at + 1});
          else
            reassociation.push_back({at});
        }
        SmallVector<OpFoldResult> sizes =
            tensor::getMixedSizes(rewriter, loc, value);
        sizes[*pos] = rewriter.getIndexAttr(shape[*pos]);
        sizes.insert(sizes.begin() + *pos + 1, rewriter.getIndexAttr(group));
        value = tensor::ExpandShapeOp::create(rewriter, loc, splitType, value,
                                              reassociation, sizes);
      }
    }
    inputs.push_back(value);
  }
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  iterators.push_back(utils::IteratorType::reduction);
  auto split =
      linalg::GenericOp::create(rewriter, loc, op.getResultTypes(), inputs,
                                op.getDpsInits(), maps, iterators);
  rewriter.inlineRegionBefore(op.getRegion(), split.getRegion(),
                              split.getRegion().end());
  rewriter.replaceOp(op, split.getResults());
  return split;
}
