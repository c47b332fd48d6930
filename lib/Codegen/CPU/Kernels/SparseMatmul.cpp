//===- SparseMatmul.cpp - Kernels of compress.sparse_matmul ---------------===//
//
// result[n, m] = sum_j values[j] * input[rows[j], m] over column n's
// nonzeros. For each output column (threads share this loop) and each chunk
// of V vectors of L lanes along m, the column's nonzeros are walked in
// groups of U (the op's group, 4 when sparsify creates it): each nonzero is
// one scalar load of its row and value and V vector loads and FMAs, into
// U x V independent accumulators (so that the FMA latency is hidden even
// with one vector), summed at the end of the column. With blocks of rows,
// threads share tiles of 64 columns, and the blocks are walked outside the
// tile's columns (one block of the input stays in the L1 cache); each
// block after the first adds to the columns.
//
// compress.sparse_conv runs the same column kernel on an image flattened
// to one vector: a nonzero of weight row r reads input[tap[r] + m] (tap:
// the offset of its input element, from a table) for every output
// position m of a grid as wide as the padded input; the valid columns of
// each output row are then copied into the result.
//
//===----------------------------------------------------------------------===//

#include "SparseMatmul.h"
#include "RegisterTranspose.h"
#include "compress/Codegen/Passes.h"
#include "compress/Codegen/SparsePlan.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

/// The range [offsets[at], offsets[at + 1]) of a column's (or a group's)
/// stored entries, as indices.
static std::pair<Value, Value> entryRange(OpBuilder &b, Location loc,
                                          Value offsets, Value at) {
  auto offsetAt = [&](Value position) {
    Value offset = tensor::ExtractOp::create(b, loc, offsets, position);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), offset)
        .getResult();
  };
  Value next = arith::AddIOp::create(b, loc, at,
                                     arith::ConstantIndexOp::create(b, loc, 1));
  return {offsetAt(at), offsetAt(next)};
}

/// The loop over the stored entries [begin, end) of a column or group, in
/// steps of `group` entries with `init` carried: `update(u, at, row, accs)`
/// applies entry `at` (the u-th of its step; `row` its row index) to the
/// accumulators. With `packedRows`, four 2-byte rows are read as one 8-byte
/// word.
static scf::ForOp
entryLoop(OpBuilder &b, Location loc, Value begin, Value end, int64_t group,
          ValueRange init, Value rows, bool packedRows,
          function_ref<void(int64_t, Value, Value, SmallVectorImpl<Value> &)>
              update) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  auto loop = scf::ForOp::create(b, loc, begin, end, index(group), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value j = loop.getInductionVar();
  SmallVector<Value> accs(loop.getRegionIterArgs());
  // The word split by shifts (little-endian: row u in bits 16u to 16u +
  // 15).
  Type rowType = cast<RankedTensorType>(rows.getType()).getElementType();
  Value packed;
  if (packedRows && group == 4 && rowType.isInteger(16)) {
    Value four = vector::TransferReadOp::create(
        b, loc, VectorType::get({4}, rowType), rows, ValueRange{j},
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(rowType, 0)),
        ArrayRef<bool>{true});
    packed = vector::ExtractOp::create(
        b, loc,
        vector::BitCastOp::create(b, loc, VectorType::get({1}, b.getI64Type()),
                                  four),
        ArrayRef<int64_t>{0});
  }
  for (int64_t u = 0; u < group; ++u) {
    Value at = u == 0 ? j : arith::AddIOp::create(b, loc, j, index(u));
    Value stored;
    if (packed) {
      Value shifted =
          u == 0
              ? packed
              : arith::ShRUIOp::create(b, loc, packed,
                                       arith::ConstantOp::create(
                                           b, loc, b.getI64IntegerAttr(16 * u)))
                    .getResult();
      stored = arith::TruncIOp::create(b, loc, rowType, shifted);
    } else {
      stored = tensor::ExtractOp::create(b, loc, rows, at);
    }
    Value row = arith::IndexCastOp::create(b, loc, b.getIndexType(), stored);
    update(u, at, row, accs);
  }
  scf::YieldOp::create(b, loc, accs);
  return loop;
}

/// Output columns per tile of the blocked kernels: the threads share tiles,
/// and each walks the blocks of rows outside its columns.
constexpr int64_t kTileColumns = sparse::kColumnTile;

namespace {
/// The vector shape of a sparse_matmul kernel and its chunk of m.
struct ChunkShape {
  int64_t lanes, vectors, chunk;
  bool inBounds;
  VectorType vectorType;
};
} // namespace

namespace {
/// The sparse weight of a sparse_matmul or sparse_conv and how a vector of
/// its input is read: `read(row, m)` is the vector of input elements of
/// stored row index `row` at positions m, m + 1, ...
struct ColumnWeight {
  Value offsets, rows, values, scales;
  int64_t group;
  function_ref<Value(Value row, Value m, bool inBounds)> read;
  /// Columns stored by pairs (sparse_matmul's `paired`).
  bool paired = false;
};
} // namespace

namespace {
/// Where a column's chunk goes in the kernel's output: `out[row, m0 + i]`
/// (the column and chunk of the result, or of a tile's buffer).
struct OutputAt {
  Value out, row, m0;
};
} // namespace

static Value writeColumn(OpBuilder &b, Location loc, const ColumnWeight &weight,
                         const ChunkShape &shape, ArrayRef<Value> sums, Value n,
                         bool accumulate, OutputAt at);

/// The value of stored entry `at`, the u-th of its group (entryLoop's
/// update order: u = 0 first), broadcast to a vector. f32 values are read
/// one by one (a broadcast load). i8 codes are read as one vector per
/// group, widened and converted once for the group, and each entry's lane
/// broadcast: a scalar conversion per code cost two more uops on the FMA
/// ports (2:4 int8 at batch 64 on Emerald Rapids: as slow as the dense
/// int8 kernel).
static Value broadcastValue(OpBuilder &b, Location loc,
                            const ColumnWeight &weight, const ChunkShape &shape,
                            int64_t u, Value at, Value &groupCodes) {
  auto valuesType = cast<RankedTensorType>(weight.values.getType());
  if (!valuesType.getElementType().isInteger(8))
    return vector::BroadcastOp::create(
        b, loc, shape.vectorType,
        tensor::ExtractOp::create(b, loc, weight.values, at));
  if (u == 0) {
    Type i8 = b.getI8Type();
    Value codes = vector::TransferReadOp::create(
        b, loc, VectorType::get({weight.group}, i8), weight.values,
        ValueRange{at},
        arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0)),
        ArrayRef<bool>{true});
    groupCodes = arith::SIToFPOp::create(
        b, loc, VectorType::get({weight.group}, b.getF32Type()), codes);
  }
  Value scalar =
      vector::ExtractOp::create(b, loc, groupCodes, ArrayRef<int64_t>{u});
  return vector::BroadcastOp::create(b, loc, shape.vectorType, scalar);
}

/// One output column n over one chunk of V vectors at m0: the stored
/// entries [begin, end) walked in groups of U into U x V accumulators,
/// summed, added to the column's earlier value when `accumulate`, and
/// written at `at`. Returns the new output.
static Value emitColumnEntries(OpBuilder &b, Location loc,
                               const ColumnWeight &weight,
                               const ChunkShape &shape, Value begin, Value end,
                               Value n, Value m0, bool accumulate,
                               OutputAt at) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  int64_t group = weight.group;
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(shape.vectorType));
  auto mOf = [&](int64_t v) {
    return v == 0 ? m0
                  : arith::AddIOp::create(b, loc, m0, index(v * shape.lanes))
                        .getResult();
  };
  SmallVector<Value> zeros(group * shape.vectors, zero);
  Value groupCodes;
  // Four vectors per nonzero are bound by their loads: one word for four
  // rows saves one (1.5-2% on 2:4 at batch 64). With fewer vectors the
  // shifts cost more than the loads they save (8 rows by 1024 x 1024 at
  // 90% zeros: 9% slower).
  auto nonzeros = entryLoop(
      b, loc, begin, end, group, zeros, weight.rows,
      /*packedRows=*/shape.vectors >= 4,
      [&](int64_t u, Value at, Value row, SmallVectorImpl<Value> &accs) {
        Value value = broadcastValue(b, loc, weight, shape, u, at, groupCodes);
        for (int64_t v = 0; v < shape.vectors; ++v) {
          Value x = weight.read(row, mOf(v), shape.inBounds);
          Value &acc = accs[u * shape.vectors + v];
          acc = vector::FMAOp::create(b, loc, x, value, acc);
        }
      });
  SmallVector<Value> sums;
  for (int64_t v = 0; v < shape.vectors; ++v) {
    Value sum = nonzeros.getResult(v);
    for (int64_t u = 1; u < group; ++u)
      sum = arith::AddFOp::create(b, loc, sum,
                                  nonzeros.getResult(u * shape.vectors + v));
    sums.push_back(sum);
  }
  return writeColumn(b, loc, weight, shape, sums, n, accumulate, at);
}

/// Writes the V vector sums of output column n at `at` (times the column's
/// scale with codes; added to the column's earlier value when
/// `accumulate`). Returns the new output.
static Value writeColumn(OpBuilder &b, Location loc, const ColumnWeight &weight,
                         const ChunkShape &shape, ArrayRef<Value> sums, Value n,
                         bool accumulate, OutputAt at) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  // Codes: the column's scale multiplies its sums.
  Value scale;
  if (weight.scales)
    scale = vector::BroadcastOp::create(
        b, loc, shape.vectorType,
        tensor::ExtractOp::create(b, loc, weight.scales, n));
  for (int64_t v = 0; v < shape.vectors; ++v) {
    Value sum = sums[v];
    Value m = v == 0
                  ? at.m0
                  : arith::AddIOp::create(b, loc, at.m0, index(v * shape.lanes))
                        .getResult();
    SmallVector<bool> bounds{shape.inBounds};
    SmallVector<Value> position{at.row, m};
    Value earlier;
    if (accumulate)
      earlier = vector::TransferReadOp::create(b, loc, shape.vectorType, at.out,
                                               position, padding, bounds);
    if (scale && earlier)
      sum = vector::FMAOp::create(b, loc, sum, scale, earlier);
    else if (scale)
      sum = arith::MulFOp::create(b, loc, sum, scale);
    else if (earlier)
      sum = arith::AddFOp::create(b, loc, earlier, sum);
    at.out =
        vector::TransferWriteOp::create(b, loc, sum, at.out, position, bounds)
            .getResult();
  }
  return at.out;
}

/// emitColumnEntries for the entries of range `range` (of `offsets`).
static Value emitColumnChunk(OpBuilder &b, Location loc,
                             const ColumnWeight &weight,
                             const ChunkShape &shape, Value range, Value n,
                             Value m0, bool accumulate, OutputAt at) {
  auto [begin, end] = entryRange(b, loc, weight.offsets, range);
  if (!accumulate)
    return emitColumnEntries(b, loc, weight, shape, begin, end, n, m0,
                             accumulate, at);
  // A later block of rows with no entries in this column leaves it as it
  // is (no read and write of the chunk): most blocks of a block-diagonal
  // weight (a batch_matmul's) are empty for most columns.
  Value nonEmpty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, begin, end);
  auto ifNonEmpty = scf::IfOp::create(b, loc, TypeRange{at.out.getType()},
                                      nonEmpty, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifNonEmpty.thenBlock());
  scf::YieldOp::create(b, loc,
                       emitColumnEntries(b, loc, weight, shape, begin, end, n,
                                         m0, accumulate, at));
  b.setInsertionPointToStart(ifNonEmpty.elseBlock());
  scf::YieldOp::create(b, loc, at.out);
  return ifNonEmpty.getResult(0);
}

/// Output columns n and n + 1 (a pair of `paired` columns) over one chunk
/// of V vectors at m0, from the pair's three ranges of stored entries at
/// offsets[first ... first + 3]: the rows both columns keep (two entries
/// per row, one per column: the row's input vectors are read once for
/// both), then the rows of column n alone and of column n + 1 alone. Each
/// column has two sets of V accumulators that consecutive rows alternate
/// between (2 x 2 x V independent FMA chains in the shared loop, 2 x V in
/// the others). With `accumulate`, a block of rows without entries for the
/// pair leaves both columns as they are. Returns the new output.
static Value emitPairChunk(OpBuilder &b, Location loc,
                           const ColumnWeight &weight, const ChunkShape &shape,
                           Value first, Value n, Value m0, bool accumulate,
                           OutputAt at) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  auto offsetAt = [&](int64_t i) {
    Value position =
        i == 0 ? first : arith::AddIOp::create(b, loc, first, index(i));
    return arith::IndexCastOp::create(
               b, loc, b.getIndexType(),
               tensor::ExtractOp::create(b, loc, weight.offsets, position))
        .getResult();
  };
  Value bounds[4] = {offsetAt(0), offsetAt(1), offsetAt(2), offsetAt(3)};
  auto emit = [&]() -> Value {
    int64_t vectors = shape.vectors, group = weight.group;
    Value zero =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(shape.vectorType));
    auto mOf = [&](int64_t v) {
      return v == 0 ? m0
                    : arith::AddIOp::create(b, loc, m0, index(v * shape.lanes))
                          .getResult();
    };
    Value groupCodes;
    auto valueAt = [&](int64_t u, Value at) {
      return broadcastValue(b, loc, weight, shape, u, at, groupCodes);
    };
    // Accumulators: column n's two sets, then column n + 1's.
    auto accIndex = [&](int64_t column, int64_t set, int64_t v) {
      return (column * 2 + set) * vectors + v;
    };
    SmallVector<Value> accs(4 * vectors, zero);
    bool packed = vectors >= 4;
    // Shared rows: entry 2i is column n's weight, 2i + 1 column n + 1's.
    SmallVector<Value> xs;
    auto shared = entryLoop(
        b, loc, bounds[0], bounds[1], group, accs, weight.rows, packed,
        [&](int64_t u, Value at, Value row, SmallVectorImpl<Value> &acc) {
          if (u % 2 == 0) {
            xs.clear();
            for (int64_t v = 0; v < vectors; ++v)
              xs.push_back(weight.read(row, mOf(v), shape.inBounds));
          }
          Value value = valueAt(u, at);
          for (int64_t v = 0; v < vectors; ++v) {
            Value &sum = acc[accIndex(u % 2, (u / 2) % 2, v)];
            sum = vector::FMAOp::create(b, loc, xs[v], value, sum);
          }
        });
    accs.assign(shared.getResults().begin(), shared.getResults().end());
    for (int64_t column = 0; column < 2; ++column) {
      auto alone = entryLoop(
          b, loc, bounds[1 + column], bounds[2 + column], group, accs,
          weight.rows, packed,
          [&](int64_t u, Value at, Value row, SmallVectorImpl<Value> &acc) {
            Value value = valueAt(u, at);
            for (int64_t v = 0; v < vectors; ++v) {
              Value &sum = acc[accIndex(column, u % 2, v)];
              sum = vector::FMAOp::create(
                  b, loc, weight.read(row, mOf(v), shape.inBounds), value, sum);
            }
          });
      accs.assign(alone.getResults().begin(), alone.getResults().end());
    }
    Value out = at.out;
    for (int64_t column = 0; column < 2; ++column) {
      SmallVector<Value> sums;
      for (int64_t v = 0; v < vectors; ++v)
        sums.push_back(arith::AddFOp::create(b, loc,
                                             accs[accIndex(column, 0, v)],
                                             accs[accIndex(column, 1, v)]));
      Value c = column == 0 ? n : arith::AddIOp::create(b, loc, n, index(1));
      Value row = column == 0 ? at.row
                              : arith::AddIOp::create(b, loc, at.row, index(1));
      out = writeColumn(b, loc, weight, shape, sums, c, accumulate,
                        OutputAt{out, row, at.m0});
    }
    return out;
  };
  if (!accumulate)
    return emit();
  Value nonEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                         bounds[0], bounds[3]);
  auto ifNonEmpty = scf::IfOp::create(b, loc, TypeRange{at.out.getType()},
                                      nonEmpty, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifNonEmpty.thenBlock());
  scf::YieldOp::create(b, loc, emit());
  b.setInsertionPointToStart(ifNonEmpty.elseBlock());
  scf::YieldOp::create(b, loc, at.out);
  return ifNonEmpty.getResult(0);
}

/// The vectors of a kernel over `columns` (dynamic: unknown) positions of
/// m: the target's lanes, or for fewer columns the power of two that holds
/// them (one lane for a batch-1 layer: scalar FMAs, four chains; 8 for a
/// batch of 8: ymm vectors, no masks), up to `maxVectors` of them per
/// chunk.
static ChunkShape chunkShapeFor(OpBuilder &b, const TargetCPU &target,
                                int64_t columns, int64_t maxVectors) {
  ChunkShape shape;
  shape.lanes = target.lanes(32);
  if (!ShapedType::isDynamic(columns) && columns < shape.lanes)
    shape.lanes = static_cast<int64_t>(
        llvm::PowerOf2Ceil(static_cast<uint64_t>(columns)));
  shape.vectors =
      ShapedType::isDynamic(columns)
          ? 1
          : std::clamp<int64_t>((columns + shape.lanes - 1) / shape.lanes, 1,
                                maxVectors);
  shape.chunk = shape.lanes * shape.vectors;
  shape.inBounds =
      !ShapedType::isDynamic(columns) && columns % shape.chunk == 0;
  shape.vectorType = VectorType::get({shape.lanes}, b.getF32Type());
  return shape;
}

/// Columns [n0, n1) over the chunk at m0, with the nonzeros stored by
/// `blocks` blocks of rows of `columns` columns each: the first block
/// writes the columns, the others add to them. They are written into
/// `out` at [n, m0 ...], or with `local` at [n - n0, 0 ...] (a buffer of
/// the tile's columns and one chunk).
static Value emitBlockedColumns(OpBuilder &b, Location loc,
                                const ColumnWeight &weight,
                                const ChunkShape &shape, Value n0, Value n1,
                                Value m0, int64_t columns, int64_t blocks,
                                Value out, bool local = false) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  // The columns over the rows of block `block`.
  auto overColumns = [&](Value block, bool accumulate, Value into) {
    int64_t step = weight.paired ? 2 : 1;
    auto perColumn =
        scf::ForOp::create(b, loc, n0, n1, index(step), ValueRange{into});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perColumn.getBody());
    Value n = perColumn.getInductionVar();
    OutputAt at{perColumn.getRegionIterArgs()[0], n, m0};
    if (local)
      at = {at.out, arith::SubIOp::create(b, loc, n, n0), index(0)};
    if (weight.paired) {
      // The pair's three offsets: block * columns / 2 + n / 2 pairs in.
      Value pair = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, block, index(columns / 2)),
          arith::DivUIOp::create(b, loc, n, index(2)));
      Value first = arith::MulIOp::create(b, loc, pair, index(3));
      scf::YieldOp::create(
          b, loc,
          emitPairChunk(b, loc, weight, shape, first, n, m0, accumulate, at));
      return perColumn.getResult(0);
    }
    Value range = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, block, index(columns)), n);
    scf::YieldOp::create(
        b, loc,
        emitColumnChunk(b, loc, weight, shape, range, n, m0, accumulate, at));
    return perColumn.getResult(0);
  };
  Value next = overColumns(index(0), /*accumulate=*/false, out);
  if (blocks <= 1)
    return next;
  auto perBlock = scf::ForOp::create(b, loc, index(1), index(blocks), index(1),
                                     ValueRange{next});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perBlock.getBody());
  scf::YieldOp::create(b, loc,
                       overColumns(perBlock.getInductionVar(),
                                   /*accumulate=*/true,
                                   perBlock.getRegionIterArgs()[0]));
  return perBlock.getResult(0);
}

/// The transpose that restores M x N from `op`'s N x M result, if the
/// kernel writes it itself: the result's only use, with static shapes,
/// whole chunks of 64 along m (`shape`) and whole blocks of lanes along n.
/// With shorter chunks there is less work per element written, and the
/// writes of rows 4 KB apart cost more than the separate transpose (on one
/// thread, 16 and 8 activation rows by 1024 x 1024 at 90% zeros: 4% and
/// 12% slower than with it).
static linalg::TransposeOp transposeToWrite(SparseMatmulOp op,
                                            const ChunkShape &shape) {
  if (!op.getResult().hasOneUse())
    return nullptr;
  auto transpose = dyn_cast<linalg::TransposeOp>(*op->user_begin());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  if (!transpose || transpose.getInput() != op.getResult() ||
      transpose.getPermutation() != ArrayRef<int64_t>{1, 0} ||
      !resultType.hasStaticShape() || !shape.inBounds || shape.chunk < 64 ||
      resultType.getDimSize(0) % shape.lanes != 0)
    return nullptr;
  return transpose;
}

/// The transpose that makes `op`'s K x M input from an M x K activation, if
/// the kernel's threads transpose it themselves: the input's only use, with
/// static shapes that are whole blocks of lanes x lanes. Each thread then
/// transposes the activation into a buffer of its own before its tiles,
/// instead of a parallel transpose whose halves every thread reads: on two
/// threads of Emerald Rapids, 64 x 1024 by 1024 x 1024 at 2:4 spent 47 us
/// of 344 in the separate transpose and in reading the other core's half.
static linalg::TransposeOp transposeToRead(SparseMatmulOp op,
                                           const ChunkShape &shape) {
  auto transpose = op.getInput().getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !op.getInput().hasOneUse() ||
      transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return nullptr;
  auto type = cast<RankedTensorType>(transpose.getInput().getType());
  if (!type.hasStaticShape() || !type.getElementType().isF32() ||
      type.getDimSize(0) % shape.lanes != 0 ||
      type.getDimSize(1) % shape.lanes != 0)
    return nullptr;
  return transpose;
}

/// The transpose (K x M) of `source` (M x K, both multiples of the lanes):
/// blocks of lanes x lanes read as rows, transposed in registers and
/// written as rows.
static Value emitTransposed(OpBuilder &b, Location loc, Value source,
                            const ChunkShape &shape) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  auto type = cast<RankedTensorType>(source.getType());
  int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<bool> inBounds{true};
  Value dest = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{columns, rows},
                                       b.getF32Type());
  auto perRows = scf::ForOp::create(b, loc, index(0), index(rows),
                                    index(shape.lanes), ValueRange{dest});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perRows.getBody());
  Value m = perRows.getInductionVar();
  auto perColumns =
      scf::ForOp::create(b, loc, index(0), index(columns), index(shape.lanes),
                         perRows.getRegionIterArgs());
  b.setInsertionPointToStart(perColumns.getBody());
  Value k = perColumns.getInductionVar();
  SmallVector<Value> lanes;
  for (int64_t lane = 0; lane < shape.lanes; ++lane)
    lanes.push_back(vector::TransferReadOp::create(
        b, loc, shape.vectorType, source,
        ValueRange{arith::AddIOp::create(b, loc, m, index(lane)), k}, padding,
        inBounds));
  Value out = perColumns.getRegionIterArgs()[0];
  for (auto [r, row] : llvm::enumerate(transposeInRegisters(
           b, loc, lanes, static_cast<unsigned>(shape.lanes))))
    out = vector::TransferWriteOp::create(
              b, loc, row, out,
              ValueRange{arith::AddIOp::create(b, loc, k,
                                               index(static_cast<int64_t>(r))),
                         m},
              inBounds)
              .getResult();
  scf::YieldOp::create(b, loc, out);
  b.setInsertionPointAfter(perColumns);
  scf::YieldOp::create(b, loc, perColumns.getResult(0));
  return perRows.getResult(0);
}

/// Writes `buffer` (the tile's columns [n0, n1) x one chunk at m0, as
/// rows n - n0) into `dest` (M x N) at [m0 ..., n0 ...]: blocks of lanes x
/// lanes, transposed in registers. n1 - n0 is a multiple of the lanes.
static Value writeTransposed(OpBuilder &b, Location loc,
                             const ChunkShape &shape, Value buffer, Value n0,
                             Value n1, Value m0, Value dest) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<bool> inBounds{true};
  auto perBlock =
      scf::ForOp::create(b, loc, n0, n1, index(shape.lanes), ValueRange{dest});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perBlock.getBody());
  Value n = perBlock.getInductionVar();
  Value local = arith::SubIOp::create(b, loc, n, n0);
  Value out = perBlock.getRegionIterArgs()[0];
  for (int64_t v = 0; v < shape.vectors; ++v) {
    SmallVector<Value> columns;
    for (int64_t lane = 0; lane < shape.lanes; ++lane)
      columns.push_back(vector::TransferReadOp::create(
          b, loc, shape.vectorType, buffer,
          ValueRange{arith::AddIOp::create(b, loc, local, index(lane)),
                     index(v * shape.lanes)},
          padding, inBounds));
    SmallVector<Value> rows = transposeInRegisters(
        b, loc, columns, static_cast<unsigned>(shape.lanes));
    for (auto [r, row] : llvm::enumerate(rows)) {
      Value m = arith::AddIOp::create(
          b, loc, m0, index(v * shape.lanes + static_cast<int64_t>(r)));
      out = vector::TransferWriteOp::create(b, loc, row, out, ValueRange{m, n},
                                            inBounds)
                .getResult();
    }
  }
  scf::YieldOp::create(b, loc, out);
  return perBlock.getResult(0);
}

void mlir::compress::kernels::emitSparseMatmul(SparseMatmulOp op,
                                               const TargetCPU &target,
                                               int64_t threads) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  ChunkShape shape =
      chunkShapeFor(b, target, inputType.getDimSize(1), /*maxVectors=*/4);
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  auto read = [&](Value row, Value m, bool inBounds) -> Value {
    SmallVector<bool> bounds{inBounds};
    return vector::TransferReadOp::create(b, loc, shape.vectorType, input,
                                          ValueRange{row, m}, padding, bounds);
  };
  ColumnWeight weight{op.getOffsets(),
                      op.getRows(),
                      op.getValues(),
                      op.getScales(),
                      static_cast<int64_t>(op.getGroup()),
                      read,
                      op.getPaired()};

  Value columns = inputType.isDynamicDim(1)
                      ? tensor::DimOp::create(b, loc, input, 1).getResult()
                      : index(inputType.getDimSize(1));
  int64_t blockRows = op.getRowsPerBlock();
  // (Static with blocks or pairs of columns.)
  Value outputs =
      blockRows > 0 || op.getPaired()
          ? index(resultType.getDimSize(0))
          : arith::SubIOp::create(
                b, loc, tensor::DimOp::create(b, loc, op.getOffsets(), 0),
                index(1))
                .getResult();
  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(outputs);
  if (resultType.isDynamicDim(1))
    dynamicSizes.push_back(columns);
  // The transpose back to M x N, written by the tiles below from a buffer
  // of each tile's columns (no N x M result and no second kernel).
  // Without blocks, threads share the columns; the tiles that the
  // transposed write needs would leave a layer of one tile to one thread.
  linalg::TransposeOp transpose = transposeToWrite(op, shape);
  if (blockRows == 0 && resultType.getDimSize(0) <= kTileColumns)
    transpose = nullptr;
  // The result: N x M, or M x N with the transpose (which writes every
  // element of its init: a new tensor here, since its init may be made
  // after `op`).
  Value empty = transpose
                    ? tensor::EmptyOp::create(
                          b, loc, transpose.getInit().getType().getShape(),
                          b.getF32Type())
                    : tensor::EmptyOp::create(b, loc, resultType, dynamicSizes);

  if (blockRows == 0 && !transpose) {
    // Threads share the columns; each walks its column's nonzeros once per
    // chunk.
    // (Pairs of columns: one step per pair.)
    int64_t step = weight.paired ? 2 : 1;
    auto perColumn = scf::ForOp::create(b, loc, index(0), outputs, index(step),
                                        ValueRange{empty});
    std::optional<int64_t> staticOutputs = getConstantIntValue(outputs);
    if (!staticOutputs || *staticOutputs > step)
      perColumn->setAttr(kParallelLoopAttr, b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perColumn.getBody());
    Value n = perColumn.getInductionVar();
    auto perChunk =
        scf::ForOp::create(b, loc, index(0), columns, index(shape.chunk),
                           perColumn.getRegionIterArgs());
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(perChunk.getBody());
      Value m0 = perChunk.getInductionVar();
      OutputAt at{perChunk.getRegionIterArgs()[0], n, m0};
      Value out =
          weight.paired
              ? emitPairChunk(b, loc, weight, shape,
                              arith::MulIOp::create(
                                  b, loc,
                                  arith::DivUIOp::create(b, loc, n, index(2)),
                                  index(3)),
                              n, m0, /*accumulate=*/false, at)
              : emitColumnChunk(b, loc, weight, shape, n, n, m0,
                                /*accumulate=*/false, at);
      scf::YieldOp::create(b, loc, out);
    }
    scf::YieldOp::create(b, loc, perChunk.getResult(0));
    b.setInsertionPointAfter(perColumn);
    op.getResult().replaceAllUsesWith(perColumn.getResult(0));
    op.erase();
    return;
  }

  // Blocks of rows: threads share tiles of columns; for each chunk of m,
  // the blocks of the input's rows are walked outside the tile's columns,
  // so that one block (blockRows x chunk) stays in the L1 cache while
  // every column of the tile uses it. The first block writes the columns,
  // the others add to them.
  int64_t outputCount = resultType.getDimSize(0);
  int64_t blocks =
      blockRows > 0 ? llvm::divideCeil(inputType.getDimSize(0), blockRows) : 1;
  int64_t tiles = llvm::divideCeil(outputCount, kTileColumns);
  // Tile `tile` (its columns over every chunk) into `result`.
  auto emitTile = [&](Value tile, Value result) -> Value {
    Value n0 = arith::MulIOp::create(b, loc, tile, index(kTileColumns));
    Value n1 = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, n0, index(kTileColumns)),
        index(outputCount));
    // With the transpose: the tile's buffer (its columns x one chunk), made
    // once per tile and reused by its chunks.
    SmallVector<Value> carried{result};
    if (transpose)
      carried.push_back(tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{kTileColumns, shape.chunk},
          b.getF32Type()));
    auto perChunk = scf::ForOp::create(b, loc, index(0), columns,
                                       index(shape.chunk), carried);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perChunk.getBody());
    Value m0 = perChunk.getInductionVar();
    ValueRange args = perChunk.getRegionIterArgs();
    if (transpose) {
      Value buffer =
          emitBlockedColumns(b, loc, weight, shape, n0, n1, m0, outputCount,
                             blocks, args[1], /*local=*/true);
      Value out = writeTransposed(b, loc, shape, buffer, n0, n1, m0, args[0]);
      scf::YieldOp::create(b, loc, ValueRange{out, buffer});
    } else {
      scf::YieldOp::create(b, loc,
                           emitBlockedColumns(b, loc, weight, shape, n0, n1, m0,
                                              outputCount, blocks, args[0]));
    }
    return perChunk.getResult(0);
  };
  // Tiles [lo, hi) into `init`; the threads' loop when `parallel`.
  auto emitTiles = [&](Value lo, Value hi, Value init, bool parallel) {
    auto perTile =
        scf::ForOp::create(b, loc, lo, hi, index(1), ValueRange{init});
    if (parallel)
      perTile->setAttr(kParallelLoopAttr, b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perTile.getBody());
    scf::YieldOp::create(
        b, loc,
        emitTile(perTile.getInductionVar(), perTile.getRegionIterArgs()[0]));
    return perTile.getResult(0);
  };
  linalg::TransposeOp readTranspose = transposeToRead(op, shape);
  Value result;
  if (!readTranspose) {
    result = emitTiles(index(0), index(tiles), empty, tiles > 1);
  } else {
    // One part of the tiles per thread (the threads' loop): the part
    // transposes the activation into its own buffer, which its tiles read.
    int64_t parts = std::clamp<int64_t>(threads, 1, tiles);
    auto perPart = scf::ForOp::create(b, loc, index(0), index(parts), index(1),
                                      ValueRange{empty});
    if (parts > 1)
      perPart->setAttr(kParallelLoopAttr, b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perPart.getBody());
    Value part = perPart.getInductionVar();
    auto tileOf = [&](Value p) {
      return arith::DivUIOp::create(
                 b, loc, arith::MulIOp::create(b, loc, p, index(tiles)),
                 index(parts))
          .getResult();
    };
    Value lo = tileOf(part);
    Value hi = tileOf(arith::AddIOp::create(b, loc, part, index(1)));
    // `read` reads `input`: the part's own transpose from here on.
    input = emitTransposed(b, loc, readTranspose.getInput(), shape);
    scf::YieldOp::create(b, loc,
                         emitTiles(lo, hi, perPart.getRegionIterArgs()[0],
                                   /*parallel=*/false));
    result = perPart.getResult(0);
  }
  b.setInsertionPointAfterValue(result);
  if (transpose) {
    transpose->getResult(0).replaceAllUsesWith(result);
    transpose->erase();
  } else {
    op.getResult().replaceAllUsesWith(result);
  }
  op.erase();
  if (readTranspose)
    readTranspose->erase();
}

void mlir::compress::kernels::emitSparseConv(SparseConvOp op,
                                             const TargetCPU &target) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  int64_t channels = inputType.getDimSize(1), height = inputType.getDimSize(2),
          width = inputType.getDimSize(3);
  int64_t filters = resultType.getDimSize(1),
          outHeight = resultType.getDimSize(2),
          outWidth = resultType.getDimSize(3);
  ArrayRef<int64_t> kernel = op.getKernel(), dilations = op.getDilations();
  // Each filter's output on the input's grid: position m = y * Wp + x;
  // the last valid one is (H_out - 1) * Wp + W_out - 1, so that no tap
  // reads past the image.
  int64_t wideLength = outHeight * width;
  int64_t positions = (outHeight - 1) * width + outWidth;
  ChunkShape shape = chunkShapeFor(b, target, positions, /*maxVectors=*/4);
  int64_t fullChunks = positions / shape.chunk;
  // Whole chunks read and write in bounds (the last position's reads end
  // at the image's last element); only the tail chunk is masked.
  ChunkShape tailShape = shape;
  tailShape.inBounds = false;
  shape.inBounds = true;
  int64_t blockRows = op.getRowsPerBlock();
  int64_t blocks =
      blockRows > 0
          ? llvm::divideCeil(channels * kernel[0] * kernel[1], blockRows)
          : 1;
  int64_t tiles = llvm::divideCeil(filters, kTileColumns);
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));

  // The tap of every weight row: the offset of its element in an image (an
  // L1-resident table; the rows stay 2 bytes where taps would need 4).
  SmallVector<int32_t> tapList;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = 0; i < kernel[0]; ++i)
      for (int64_t j = 0; j < kernel[1]; ++j)
        tapList.push_back(static_cast<int32_t>(
            (c * height + i * dilations[0]) * width + j * dilations[1]));
  Value taps = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(tapList.size())},
                                b.getI32Type()),
          ArrayRef<int32_t>(tapList)));

  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(tensor::DimOp::create(b, loc, op.getInput(), 0));
  Value result = tensor::EmptyOp::create(b, loc, resultType, dynamicSizes);
  Value images = tensor::DimOp::create(b, loc, op.getInput(), 0);
  auto perImage = scf::ForOp::create(b, loc, index(0), images, index(1),
                                     ValueRange{result});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perImage.getBody());
  Value image = perImage.getInductionVar();
  // The image as one vector of C x Hp x Wp elements.
  auto planeType = RankedTensorType::get({channels, height, width},
                                         inputType.getElementType());
  SmallVector<OpFoldResult> offsets{image, b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(1), b.getIndexAttr(channels),
                                  b.getIndexAttr(height),
                                  b.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  Value planes = tensor::ExtractSliceOp::create(
      b, loc, planeType, op.getInput(), offsets, sizes, strides);
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, planes, SmallVector<ReassociationIndices>{{0, 1, 2}});
  auto read = [&](Value row, Value m, bool inBounds) -> Value {
    Value tap = arith::IndexCastOp::create(
        b, loc, b.getIndexType(), tensor::ExtractOp::create(b, loc, taps, row));
    SmallVector<bool> bounds{inBounds};
    Value at = arith::AddIOp::create(b, loc, tap, m);
    return vector::TransferReadOp::create(b, loc, shape.vectorType, flat,
                                          ValueRange{at}, padding, bounds);
  };
  ColumnWeight weight{op.getOffsets(),
                      op.getRows(),
                      op.getValues(),
                      op.getScales(),
                      static_cast<int64_t>(op.getGroup()),
                      read};
  Value wide = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{filters, wideLength}, b.getF32Type());

  // Threads share (tile of 64 filters, chunk of positions) pairs; for each,
  // the blocks of the weight's reduction index are walked outside the
  // tile's filters, as in the blocked sparse_matmul kernel.
  auto workLoop = [&](int64_t chunks, int64_t firstPosition,
                      const ChunkShape &chunkShape, Value out) -> Value {
    int64_t items = tiles * chunks;
    auto perItem = scf::ForOp::create(b, loc, index(0), index(items), index(1),
                                      ValueRange{out});
    if (items > 1)
      perItem->setAttr(kParallelLoopAttr, b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perItem.getBody());
    Value item = perItem.getInductionVar();
    Value tile = arith::DivUIOp::create(b, loc, item, index(chunks));
    Value chunk = arith::RemUIOp::create(b, loc, item, index(chunks));
    Value m0 = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, chunk, index(chunkShape.chunk)),
        index(firstPosition));
    Value n0 = arith::MulIOp::create(b, loc, tile, index(kTileColumns));
    Value n1 = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, n0, index(kTileColumns)),
        index(filters));
    scf::YieldOp::create(b, loc,
                         emitBlockedColumns(b, loc, weight, chunkShape, n0, n1,
                                            m0, filters, blocks,
                                            perItem.getRegionIterArgs()[0]));
    return perItem.getResult(0);
  };
  if (fullChunks > 0)
    wide = workLoop(fullChunks, 0, shape, wide);
  if (positions % shape.chunk != 0)
    wide = workLoop(1, fullChunks * shape.chunk, tailShape, wide);

  // The valid W_out columns of each output row into the result.
  int64_t lanes = std::min<int64_t>(target.lanes(32),
                                    static_cast<int64_t>(llvm::PowerOf2Ceil(
                                        static_cast<uint64_t>(outWidth))));
  auto rowType = VectorType::get({lanes}, b.getF32Type());
  bool rowInBounds = outWidth % lanes == 0;
  auto perFilter = scf::ForOp::create(b, loc, index(0), index(filters),
                                      index(1), perImage.getRegionIterArgs());
  if (filters > 1)
    perFilter->setAttr(kParallelLoopAttr, b.getUnitAttr());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perFilter.getBody());
    Value f = perFilter.getInductionVar();
    auto perRow = scf::ForOp::create(b, loc, index(0), index(outHeight),
                                     index(1), perFilter.getRegionIterArgs());
    b.setInsertionPointToStart(perRow.getBody());
    Value y = perRow.getInductionVar();
    Value rowStart = arith::MulIOp::create(b, loc, y, index(width));
    auto perColumn =
        scf::ForOp::create(b, loc, index(0), index(outWidth), index(lanes),
                           perRow.getRegionIterArgs());
    b.setInsertionPointToStart(perColumn.getBody());
    Value x = perColumn.getInductionVar();
    SmallVector<bool> bounds{rowInBounds};
    Value row = vector::TransferReadOp::create(
        b, loc, rowType, wide,
        ValueRange{f, arith::AddIOp::create(b, loc, rowStart, x)}, padding,
        bounds);
    Value written = vector::TransferWriteOp::create(
                        b, loc, row, perColumn.getRegionIterArgs()[0],
                        ValueRange{image, f, y, x}, bounds)
                        .getResult();
    scf::YieldOp::create(b, loc, written);
    b.setInsertionPointAfter(perColumn);
    scf::YieldOp::create(b, loc, perColumn.getResult(0));
    b.setInsertionPointAfter(perRow);
    scf::YieldOp::create(b, loc, perRow.getResult(0));
  }
  scf::YieldOp::create(b, loc, perFilter.getResult(0));
  b.setInsertionPointAfter(perImage);
  op.getResult().replaceAllUsesWith(perImage.getResult(0));
  op.erase();
}

void mlir::compress::kernels::emitBlockSparseMatmul(BlockSparseMatmulOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  Value input = op.getInput();
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  auto valuesType = cast<RankedTensorType>(op.getValues().getType());
  int64_t width = valuesType.getDimSize(1);
  int64_t groups = resultType.getDimSize(1) / width;
  int64_t group = op.getGroup();
  auto vectorType = VectorType::get({width}, b.getF32Type());
  Value rowsOfInput = tensor::DimOp::create(b, loc, input, 0);
  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(rowsOfInput);
  Value empty = tensor::EmptyOp::create(b, loc, resultType, dynamicSizes);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(vectorType));
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));

  auto perGroup = scf::ForOp::create(b, loc, index(0), index(groups), index(1),
                                     ValueRange{empty});
  if (groups > 1)
    perGroup->setAttr(kParallelLoopAttr, b.getUnitAttr());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(perGroup.getBody());
  Value g = perGroup.getInductionVar();
  auto [begin, end] = entryRange(b, loc, op.getOffsets(), g);
  Value column = arith::MulIOp::create(b, loc, g, index(width));
  auto perRow = scf::ForOp::create(b, loc, index(0), rowsOfInput, index(1),
                                   perGroup.getRegionIterArgs());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(perRow.getBody());
    Value m = perRow.getInductionVar();
    SmallVector<Value> zeros(group, zero);
    auto blocks = entryLoop(
        b, loc, begin, end, group, zeros, op.getRows(), /*packedRows=*/false,
        [&](int64_t u, Value at, Value row, SmallVectorImpl<Value> &accs) {
          Value x = vector::BroadcastOp::create(
              b, loc, vectorType,
              tensor::ExtractOp::create(b, loc, input, ValueRange{m, row}));
          SmallVector<bool> bounds{true};
          Value w = vector::TransferReadOp::create(
              b, loc, vectorType, op.getValues(), ValueRange{at, index(0)},
              padding, bounds);
          accs[u] = vector::FMAOp::create(b, loc, x, w, accs[u]);
        });
    Value sum = blocks.getResult(0);
    for (int64_t u = 1; u < group; ++u)
      sum = arith::AddFOp::create(b, loc, sum, blocks.getResult(u));
    SmallVector<bool> bounds{true};
    Value out = vector::TransferWriteOp::create(b, loc, sum,
                                                perRow.getRegionIterArgs()[0],
                                                ValueRange{m, column}, bounds)
                    .getResult();
    scf::YieldOp::create(b, loc, out);
  }
  scf::YieldOp::create(b, loc, perRow.getResult(0));
  b.setInsertionPointAfter(perGroup);
  op.getResult().replaceAllUsesWith(perGroup.getResult(0));
  op.erase();
}
