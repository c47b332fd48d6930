//===- Instrument.cpp - Calibration instrumentation -----------------------===//
//
// Implements --compress-instrument: a compress.observe of the activation (and
// of its im2col view, for Gram matrices) before every compressible op.
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSINSTRUMENTPASS
#include "compress/Compression/Passes.h.inc"

namespace {

/// Builds the im2col view of `op`'s first input as a rows x columns tensor:
/// rows are the output positions (parallel loops that index the input but
/// not the weight), columns the elements one output position reduces over
/// (reduction loops, and parallel loops shared with the weight such as the
/// batch of a batch_matmul or the channel of a depthwise convolution). Returns
/// null when the op has no such structure.
static Value buildIm2col(OpBuilder &b, linalg::LinalgOp op) {
  Location loc = op.getLoc();
  AffineMap inputMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap weightMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned numLoops = op.getNumLoops();
  SmallVector<unsigned> rows, cols;
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    bool inInput = inputMap.isFunctionOfDim(loop);
    bool inWeight = weightMap.isFunctionOfDim(loop);
    if (!inInput)
      continue;
    if (iterators[loop] == utils::IteratorType::parallel && !inWeight)
      rows.push_back(loop);
    else
      cols.push_back(loop);
  }
  if (rows.empty() || cols.empty())
    return {};

  // The view's loops: rows, then columns.
  SmallVector<AffineExpr> replacement(numLoops, b.getAffineConstantExpr(0));
  SmallVector<unsigned> order(rows);
  llvm::append_range(order, cols);
  for (auto [position, loop] : llvm::enumerate(order))
    replacement[loop] = b.getAffineDimExpr(position);
  AffineMap viewInputMap =
      inputMap.replaceDimsAndSymbols(replacement, {}, order.size(), 0);

  SmallVector<Range> ranges = op.createLoopRanges(b, loc);
  SmallVector<OpFoldResult> sizes;
  for (unsigned loop : order)
    sizes.push_back(ranges[loop].size);
  Value input = op.getDpsInputOperand(0)->get();
  Value empty = tensor::EmptyOp::create(b, loc, sizes,
                                        getElementTypeOrSelf(input.getType()));
  SmallVector<utils::IteratorType> parallel(order.size(),
                                            utils::IteratorType::parallel);
  auto view = linalg::GenericOp::create(
      b, loc, TypeRange{empty.getType()}, ValueRange{input}, ValueRange{empty},
      SmallVector<AffineMap>{viewInputMap,
                             b.getMultiDimIdentityMap(order.size())},
      parallel, [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, args[0]);
      });
  SmallVector<ReassociationIndices> groups(2);
  for (unsigned i = 0; i < order.size(); ++i)
    groups[i < rows.size() ? 0 : 1].push_back(i);
  return tensor::CollapseShapeOp::create(b, loc, view.getResult(0), groups);
}

struct CompressInstrumentPass
    : impl::CompressInstrumentPassBase<CompressInstrumentPass> {
  using CompressInstrumentPassBase::CompressInstrumentPassBase;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, std::string>> ops;
    forEachCompressibleOp(getOperation(),
                          [&](linalg::LinalgOp op, StringRef key) {
                            ops.emplace_back(op, key.str());
                          });
    for (auto &[op, key] : ops) {
      Value input = op.getDpsInputOperand(0)->get();
      auto type = dyn_cast<RankedTensorType>(input.getType());
      if (!type || !type.getElementType().isF32() || type.getRank() == 0)
        continue;
      OpBuilder builder(op);
      Value view = gram ? buildIm2col(builder, op) : Value();
      ObserveOp::create(builder, op.getLoc(), builder.getStringAttr(key), input,
                        view);
    }
  }
};

} // namespace
} // namespace mlir::compress
