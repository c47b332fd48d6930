//===- NMSparseMatmul.cpp - The kernel of compress.nm_sparse_matmul -------===//
//
// result[r, c] = sum over slots s of values[s, c] * input[r, (s / n) * m +
// index(s, c)]. Threads share tiles of 16 output columns; within a tile,
// blocks of R activation rows keep R x (16 / L) accumulators (L lanes: 16
// on AVX-512, 8 on AVX2). The reduction is walked by windows of 16
// elements: each row's window is loaded once into a 16-entry register
// table, and for each of the window's slots (16 / m x n) one vector of
// values and one word of 2-bit indices give, per row, a lookup of the
// kept weights' activation elements (compress.lookup: vpermps) and an FMA.
// A last window of fewer than 16 elements is read masked.
//
//===----------------------------------------------------------------------===//

#include "SparseMatmul.h"
#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::compress;

void mlir::compress::kernels::emitNMSparseMatmul(NMSparseMatmulOp op,
                                                 const TargetCPU &target) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  auto valuesType = cast<RankedTensorType>(op.getValues().getType());
  int64_t n = op.getN(), m = op.getM();
  int64_t k = inputType.getDimSize(1), columns = resultType.getDimSize(1);
  int64_t tiles = valuesType.getDimSize(0);
  int64_t lanes = target.lanes(32) >= 16 ? 16 : 8;
  int64_t halves = 16 / lanes;
  int64_t slotsPerWindow = 16 / m * n;
  int64_t windows = k / 16, tailSlots = k % 16 / m * n;
  // Rows per block: R tables of 16 entries and R x halves accumulators in
  // the 32 (AVX-512) or 16 (AVX2) vector registers; with fewer rows than
  // 4 (AVX2: 2), the slots alternate between chains of accumulators so
  // that FMAs overlap.
  int64_t rowBlock = lanes == 16 ? 8 : 2;
  int64_t staticRows = inputType.getDimSize(0);
  if (!ShapedType::isDynamic(staticRows))
    rowBlock = std::clamp<int64_t>(staticRows, 1, rowBlock);
  auto chainsFor = [&](int64_t block) {
    return std::max<int64_t>(1, (lanes == 16 ? 4 : 2) / block);
  };
  bool codes = valuesType.getElementType().isInteger(8);

  auto f32 = b.getF32Type();
  auto vectorType = VectorType::get({lanes}, f32);
  auto tableType = VectorType::get({16}, f32);
  auto indexType = VectorType::get({lanes}, b.getI32Type());
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(vectorType));
  Value three = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(indexType, b.getI32IntegerAttr(3)));
  // Per half of a tile: the shift of every lane's 2 bits in its word.
  SmallVector<Value> shifts;
  for (int64_t h = 0; h < halves; ++h) {
    SmallVector<int32_t> amounts;
    for (int64_t l = 0; l < lanes; ++l)
      amounts.push_back(static_cast<int32_t>(2 * (h * lanes + l)));
    shifts.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(indexType, ArrayRef<int32_t>(amounts))));
  }
  // Per group of a window: the group's first element.
  SmallVector<Value> groupStarts;
  for (int64_t g = 0; g < 16 / m; ++g)
    groupStarts.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            indexType, b.getI32IntegerAttr(static_cast<int32_t>(g * m)))));

  Value rows = tensor::DimOp::create(b, loc, input, 0);
  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(rows);
  Value empty = tensor::EmptyOp::create(b, loc, resultType, dynamicSizes);

  auto perTile = scf::ForOp::create(b, loc, index(0), index(tiles), index(1),
                                    ValueRange{empty});
  if (tiles > 1)
    perTile->setAttr(kParallelLoopAttr, b.getUnitAttr());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perTile.getBody());
  Value tile = perTile.getInductionVar();
  Value column0 = arith::MulIOp::create(b, loc, tile, index(16));
  SmallVector<Value> halfColumns;
  for (int64_t h = 0; h < halves; ++h)
    halfColumns.push_back(
        h == 0 ? column0
               : arith::AddIOp::create(b, loc, column0, index(h * lanes))
                     .getResult());

  // The slots of one window of `count` slots starting at `slot0`, of the
  // window at `base` (read masked unless `inBounds`), for `block` rows
  // from `row0`, applied to `accs` (row-major: chain, row, half).
  auto applyWindow = [&](Value row0, int64_t block, Value base, Value slot0,
                         int64_t count, bool inBounds,
                         SmallVectorImpl<Value> &accs) {
    int64_t chains = chainsFor(block);
    SmallVector<Value> tables;
    for (int64_t r = 0; r < block; ++r) {
      Value row =
          r == 0 ? row0
                 : arith::AddIOp::create(b, loc, row0, index(r)).getResult();
      SmallVector<bool> bounds{inBounds};
      tables.push_back(vector::TransferReadOp::create(
          b, loc, tableType, input, ValueRange{row, base}, padding, bounds));
    }
    for (int64_t s = 0; s < count; ++s) {
      Value slot = arith::AddIOp::create(b, loc, slot0, index(s));
      Value word = vector::BroadcastOp::create(
          b, loc, indexType,
          tensor::ExtractOp::create(b, loc, op.getIndices(),
                                    ValueRange{tile, slot}));
      for (int64_t h = 0; h < halves; ++h) {
        Value within = arith::AndIOp::create(
            b, loc, arith::ShRUIOp::create(b, loc, word, shifts[h]), three);
        Value position =
            arith::AddIOp::create(b, loc, within, groupStarts[s / n]);
        Value value;
        SmallVector<bool> bounds{true};
        SmallVector<Value> at{tile, slot, index(h * lanes)};
        if (codes) {
          Value padCode =
              arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
          value = arith::SIToFPOp::create(
              b, loc, vectorType,
              vector::TransferReadOp::create(
                  b, loc, VectorType::get({lanes}, b.getI8Type()),
                  op.getValues(), at, padCode, bounds));
        } else {
          value = vector::TransferReadOp::create(
              b, loc, vectorType, op.getValues(), at, padding, bounds);
        }
        for (int64_t r = 0; r < block; ++r) {
          Value picked = LookupOp::create(b, loc, tables[r], position);
          Value &acc = accs[((s % chains) * block + r) * halves + h];
          acc = vector::FMAOp::create(b, loc, picked, value, acc);
        }
      }
    }
  };

  // Blocks of `block` rows over [first, last), into `out`.
  auto rowLoop = [&](Value first, Value last, int64_t block,
                     Value out) -> Value {
    auto perBlock =
        scf::ForOp::create(b, loc, first, last, index(block), ValueRange{out});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perBlock.getBody());
    Value row0 = perBlock.getInductionVar();
    int64_t chains = chainsFor(block);
    SmallVector<Value> accs(chains * block * halves, zero);
    if (windows > 0) {
      auto perWindow =
          scf::ForOp::create(b, loc, index(0), index(windows), index(1), accs);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(perWindow.getBody());
      Value w = perWindow.getInductionVar();
      SmallVector<Value> inner(perWindow.getRegionIterArgs());
      applyWindow(row0, block, arith::MulIOp::create(b, loc, w, index(16)),
                  arith::MulIOp::create(b, loc, w, index(slotsPerWindow)),
                  slotsPerWindow, /*inBounds=*/true, inner);
      scf::YieldOp::create(b, loc, inner);
      accs.assign(perWindow.getResults().begin(), perWindow.getResults().end());
    }
    if (tailSlots > 0)
      applyWindow(row0, block, index(windows * 16),
                  index(windows * slotsPerWindow), tailSlots,
                  /*inBounds=*/false, accs);
    Value result = perBlock.getRegionIterArgs()[0];
    SmallVector<bool> bounds{columns % 16 == 0};
    for (int64_t h = 0; h < halves; ++h) {
      Value scale;
      if (op.getScales()) {
        SmallVector<bool> scaleBounds{columns % 16 == 0};
        scale = vector::TransferReadOp::create(
            b, loc, vectorType, op.getScales(), ValueRange{halfColumns[h]},
            padding, scaleBounds);
      }
      for (int64_t r = 0; r < block; ++r) {
        Value row =
            r == 0 ? row0
                   : arith::AddIOp::create(b, loc, row0, index(r)).getResult();
        Value sum = accs[r * halves + h];
        for (int64_t c = 1; c < chains; ++c)
          sum = arith::AddFOp::create(b, loc, sum,
                                      accs[(c * block + r) * halves + h]);
        if (scale)
          sum = arith::MulFOp::create(b, loc, sum, scale);
        result =
            vector::TransferWriteOp::create(
                b, loc, sum, result, ValueRange{row, halfColumns[h]}, bounds)
                .getResult();
      }
    }
    scf::YieldOp::create(b, loc, result);
    return perBlock.getResult(0);
  };
  // Whole blocks of rows, then the rows left one by one.
  Value whole = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, rows, index(rowBlock)),
      index(rowBlock));
  Value out =
      rowLoop(index(0), whole, rowBlock, perTile.getRegionIterArgs()[0]);
  if (rowBlock > 1)
    out = rowLoop(whole, rows, 1, out);
  scf::YieldOp::create(b, loc, out);
  b.setInsertionPointAfter(perTile);
  op.getResult().replaceAllUsesWith(perTile.getResult(0));
  op.erase();
}
