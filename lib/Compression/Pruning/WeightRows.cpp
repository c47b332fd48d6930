//===- WeightRows.cpp - A weight as rows of reduced elements --------------===//

#include "WeightRows.h"
#include "compress/Compression/Compressible.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

#include <map>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

std::optional<WeightRows>
mlir::compress::pruning::buildWeightRows(linalg::LinalgOp op,
                                         RankedTensorType weightType) {
  if (!weightType.hasStaticShape())
    return std::nullopt;
  std::optional<WeightLayout> layout = analyzeWeight(op, 1);
  if (!layout)
    return std::nullopt;
  ArrayRef<int64_t> shape = weightType.getShape();
  unsigned rank = shape.size();
  AffineMap inputMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();

  // The weight dim of every loop, if any.
  DenseMap<unsigned, unsigned> dimOfLoop;
  for (auto [dim, loop] : llvm::enumerate(layout->loops))
    dimOfLoop[loop] = dim;

  // Parallel dims (rows) in weight order; reduced dims in loop order.
  SmallVector<unsigned> rowDims, reducedDims;
  for (unsigned d = 0; d < rank; ++d)
    (layout->parallel[d] ? rowDims : reducedDims).push_back(d);
  llvm::sort(reducedDims, [&](unsigned a, unsigned b) {
    return layout->loops[a] < layout->loops[b];
  });

  // The Gram matrix's columns: the loops of the input that are reductions
  // or parallel loops shared with the weight, in loop order (as
  // compress-instrument's im2col view).
  SmallVector<unsigned> gramLoops;
  bool gramFromWeight = true;
  for (unsigned loop = 0; loop < op.getNumLoops(); ++loop) {
    if (!inputMap.isFunctionOfDim(loop))
      continue;
    bool inWeight = dimOfLoop.contains(loop);
    if (iterators[loop] == utils::IteratorType::parallel && !inWeight)
      continue;
    gramLoops.push_back(loop);
    gramFromWeight &= inWeight;
  }

  // The input channel: the last reduced dim whose loop indexes the input
  // directly.
  std::optional<unsigned> channelDim;
  for (unsigned d : reducedDims)
    for (AffineExpr expr : inputMap.getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(expr);
          dim && dim.getPosition() == layout->loops[d])
        channelDim = d;

  WeightRows rows;
  rows.numRows = 1;
  for (unsigned d : rowDims)
    rows.numRows *= shape[d];
  rows.rowSize = 1;
  for (unsigned d : reducedDims)
    rows.rowSize *= shape[d];
  int64_t total = rows.numRows * rows.rowSize;
  rows.element.assign(total, 0);
  if (gramFromWeight) {
    rows.gramColumn.assign(total, 0);
    rows.gramSize = 1;
    for (unsigned loop : gramLoops)
      rows.gramSize *= shape[dimOfLoop[loop]];
  }
  if (channelDim) {
    rows.channels = shape[*channelDim];
    rows.channel.assign(rows.rowSize, 0);
    rows.rest.assign(rows.rowSize, 0);
  }

  // Rows sharing the values of the parallel dims that the input reads.
  std::map<SmallVector<int64_t>, size_t> setOfKey;
  SmallVector<int64_t> strides = computeStrides(shape);
  SmallVector<int64_t> index(rank, 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    index = delinearize(flat, strides);
    int64_t row = 0, k = 0, rest = 0;
    SmallVector<int64_t> key;
    for (unsigned d : rowDims) {
      row = row * shape[d] + index[d];
      if (inputMap.isFunctionOfDim(layout->loops[d]))
        key.push_back(index[d]);
    }
    for (unsigned d : reducedDims) {
      k = k * shape[d] + index[d];
      if (channelDim && d != *channelDim)
        rest = rest * shape[d] + index[d];
    }
    rows.element[row * rows.rowSize + k] = flat;
    if (gramFromWeight) {
      int64_t column = 0;
      for (unsigned loop : gramLoops) {
        unsigned d = dimOfLoop[loop];
        column = column * shape[d] + index[d];
      }
      rows.gramColumn[row * rows.rowSize + k] = column;
    }
    if (channelDim) {
      rows.channel[k] = index[*channelDim];
      rows.rest[k] = rest;
    }
    if (k == 0) {
      auto [it, inserted] = setOfKey.try_emplace(key, rows.rowSets.size());
      if (inserted)
        rows.rowSets.emplace_back();
      rows.rowSets[it->second].push_back(row);
    }
  }
  return rows;
}
