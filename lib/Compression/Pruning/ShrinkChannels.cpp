//===- ShrinkChannels.cpp - Remove channels from a model ------------------===//

#include "ShrinkChannels.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

using KeptDims = SmallVector<std::optional<std::vector<int64_t>>>;

Value mlir::compress::pruning::sliceConstant(
    OpBuilder &builder, Value value,
    ArrayRef<std::optional<std::vector<int64_t>>> kept) {
  auto type = cast<RankedTensorType>(value.getType());
  std::vector<char> bytes = *readConstantBytes(value);
  size_t elementBytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<int64_t> shape = type.getShape();
  unsigned rank = shape.size();
  SmallVector<int64_t> newShape(shape);
  for (unsigned d = 0; d < rank; ++d)
    if (kept[d])
      newShape[d] = kept[d]->size();
  SmallVector<int64_t> strides = computeStrides(shape);
  int64_t count = computeProduct(newShape);
  std::vector<char> sliced(count * elementBytes);
  SmallVector<int64_t> index(rank, 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t source = 0;
    for (unsigned d = 0; d < rank; ++d)
      source += (kept[d] ? (*kept[d])[index[d]] : index[d]) * strides[d];
    std::memcpy(sliced.data() + flat * elementBytes,
                bytes.data() + source * elementBytes, elementBytes);
    for (int d = rank - 1; d >= 0 && ++index[d] == newShape[d]; --d)
      index[d] = 0;
  }
  auto newType = RankedTensorType::get(newShape, type.getElementType());
  return arith::ConstantOp::create(
      builder, value.getLoc(),
      DenseElementsAttr::getFromRawBuffer(newType, sliced));
}

/// `type` with dim `dim` of extent `extent`.
static RankedTensorType withDim(Type type, unsigned dim, int64_t extent) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  shape[dim] = extent;
  return ranked.clone(shape);
}

/// Rebuilds an init (tensor.empty, or linalg.fill of one) with `kept`
/// indices along its dims.
static Value rebuildInit(OpBuilder &builder, Value init, const KeptDims &kept) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  auto empty =
      (fill ? fill.getOutputs()[0] : init).getDefiningOp<tensor::EmptyOp>();
  auto type = cast<RankedTensorType>(init.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [d, indices] : llvm::enumerate(kept))
    if (indices)
      shape[d] = indices->size();
  Value result =
      tensor::EmptyOp::create(builder, empty.getLoc(), shape,
                              type.getElementType(), empty.getDynamicSizes());
  if (fill)
    result = linalg::FillOp::create(builder, fill.getLoc(), fill.getInputs()[0],
                                    result)
                 .getResult(0);
  return result;
}

/// Shrinks the constants and inits of `op` along its loops with removed
/// channels, and retypes its results.
static void shrinkLinalg(linalg::LinalgOp op, const ChannelGraph &graph,
                         const std::function<bool(int64_t)> &removed,
                         SetVector<Operation *> &replaced) {
  // The kept indices of every loop that loses channels.
  KeptDims keptOfLoop(op.getNumLoops());
  auto noteLoop = [&](OpOperand &operand, Value value) {
    const ChannelDim *dim = graph.lookup(value);
    if (!dim)
      return;
    // Channels read through an expression are pinned: none of them goes.
    auto expr = dyn_cast<AffineDimExpr>(
        op.getMatchingIndexingMap(&operand).getResult(dim->dim));
    if (!expr)
      return;
    if (auto kept = keptIndices(*dim, graph, removed))
      keptOfLoop[expr.getPosition()] = std::move(kept);
  };
  for (OpOperand &operand : op->getOpOperands())
    noteLoop(operand, operand.get());
  for (OpOperand &init : op.getDpsInitsMutable())
    noteLoop(init, op.getTiedOpResult(&init));
  if (llvm::none_of(keptOfLoop, [](auto &kept) { return kept.has_value(); }))
    return;

  OpBuilder builder(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (graph.lookup(operand.get()))
      continue; // retyped with its producer
    AffineMap map = op.getMatchingIndexingMap(&operand);
    KeptDims kept(map.getNumResults());
    bool any = false;
    for (auto [d, expr] : llvm::enumerate(map.getResults()))
      if (auto dim = dyn_cast<AffineDimExpr>(expr);
          dim && keptOfLoop[dim.getPosition()]) {
        kept[d] = keptOfLoop[dim.getPosition()];
        any = true;
      }
    if (!any)
      continue;
    Operation *old = operand.get().getDefiningOp();
    if (isa<arith::ConstantOp>(old))
      operand.set(sliceConstant(builder, operand.get(), kept));
    else
      operand.set(rebuildInit(builder, operand.get(), kept));
    replaced.insert(old);
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    Value result = op.getTiedOpResult(&init);
    result.setType(init.get().getType());
  }
}

void mlir::compress::pruning::shrinkChannels(
    const ChannelGraph &graph, const std::function<bool(int64_t)> &removed) {
  // An init or constant shared by several ops is replaced once per use.
  SetVector<Operation *> replaced;
  for (Operation *op : graph.ops()) {
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      shrinkLinalg(linalgOp, graph, removed, replaced);
      continue;
    }
    // tensor.pad, collapse_shape, expand_shape, concat: the result's
    // channel dim shrinks; nothing else changes.
    Value result = op->getResult(0);
    const ChannelDim *dim = graph.lookup(result);
    std::optional<std::vector<int64_t>> kept =
        keptIndices(*dim, graph, removed);
    if (!kept)
      continue;
    auto type = withDim(result.getType(), dim->dim, kept->size());
    result.setType(type);
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      SmallVector<int64_t> staticShape(expand.getStaticOutputShape());
      staticShape[dim->dim] = kept->size();
      expand.setStaticOutputShape(staticShape);
    }
  }
  eraseWithDeadProducers(replaced.getArrayRef());
}
