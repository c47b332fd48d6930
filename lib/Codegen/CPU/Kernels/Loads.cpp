//===- Loads.cpp - How a kernel reads its inputs --------------------------===//
//
// The loads of a register tile, one kind per access (InputAccess.h): a
// broadcast scalar, a contiguous or repacked vector, a strided read, or a
// gather.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "RegisterTranspose.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

SmallVector<Value> KernelEmitter::indices(AffineMap map, const Dims &dims,
                                          unsigned row, int64_t vectorOffset) {
  Dims shifted(dims);
  if (row != 0 && plan.rowDim)
    shifted[*plan.rowDim] =
        arith::AddIOp::create(b, loc, dims[*plan.rowDim], index(row));
  if (vectorOffset != 0)
    shifted[plan.vectorDim] = arith::AddIOp::create(
        b, loc, dims[plan.vectorDim], index(vectorOffset));
  return getValueOrCreateConstantIndexOp(
      b, loc,
      affine::makeComposedFoldedMultiResultAffineApply(
          b, loc, map, getAsOpFoldResult(ValueRange(shifted))));
}

Value KernelEmitter::load(const KernelInput &input, const Dims &dims,
                          unsigned row, unsigned chunk, bool masked) {
  Type type = getElementTypeOrSelf(input.value.getType());
  if (!input.map)
    return vector::BroadcastOp::create(b, loc, vec(type), input.value);
  int64_t offset = static_cast<int64_t>(chunk * plan.lanes);
  if (input.access == Access::Broadcast) {
    Value scalar = tensor::ExtractOp::create(b, loc, input.value,
                                             indices(input.map, dims, row, 0));
    return vector::BroadcastOp::create(b, loc, vec(type), scalar);
  }
  if (input.nibbles)
    return loadNibbles(input, dims, row, chunk);
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  if (input.packed)
    return loadPacked(input, dims, row, offset, padding);
  if (input.access == Access::Contiguous) {
    SmallVector<bool> inBounds{!masked};
    return vector::TransferReadOp::create(b, loc, vec(type), input.value,
                                          indices(input.map, dims, row, offset),
                                          padding, inBounds);
  }
  if (input.access == Access::Gather)
    return loadGather(input, dims, row, offset, masked);
  return loadStrided(input, dims, row, offset, padding);
}

Value KernelEmitter::loadPacked(const KernelInput &input, const Dims &dims,
                                unsigned row, int64_t offset, Value padding) {
  SmallVector<Value> at = indices(
      input.map.getMajorSubMap(input.map.getNumResults() - 1), dims, row, 0);
  at.insert(at.begin(), arith::DivUIOp::create(b, loc, dims[plan.vectorDim],
                                               index(plan.tile())));
  at.push_back(index(offset));
  SmallVector<bool> inBounds{true}; // padded to whole tiles
  return vector::TransferReadOp::create(b, loc, vec(padding.getType()),
                                        input.value, at, padding, inBounds);
}

Value KernelEmitter::loadNibbles(const KernelInput &input, const Dims &dims,
                                 unsigned row, unsigned chunk) {
  // A panel row holds tile / 2 bytes: the low nibbles are the codes of the
  // first half of the tile, the high nibbles those of the second half.
  // Chunk c of a tile of several chunks reads `lanes` bytes of its half;
  // a tile of one chunk reads all its bytes and joins both halves.
  int64_t lanes = plan.lanes;
  int64_t half = plan.tile() / 2;
  int64_t halfChunks = std::max<int64_t>(plan.chunks / 2, 1);
  int64_t bytes = plan.chunks == 1 ? half : lanes;
  SmallVector<Value> at = indices(
      input.map.getMajorSubMap(input.map.getNumResults() - 1), dims, row, 0);
  at.insert(at.begin(), arith::DivUIOp::create(b, loc, dims[plan.vectorDim],
                                               index(plan.tile())));
  at.push_back(index((chunk % halfChunks) * lanes));
  Value zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
  SmallVector<bool> inBounds{true}; // padded to whole tiles
  Value loaded = vector::TransferReadOp::create(
      b, loc, VectorType::get({bytes}, b.getI8Type()), input.value, at, zero,
      inBounds);
  auto wideType = VectorType::get({bytes}, b.getI32Type());
  Value low = arith::ExtUIOp::create(b, loc, wideType, loaded);
  auto high = [&] {
    return arith::ShRUIOp::create(
        b, loc, low,
        arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(wideType, int32_t{4})));
  };
  if (plan.chunks > 1)
    return chunk < halfChunks ? low : high();
  SmallVector<int64_t> both = llvm::to_vector(llvm::seq<int64_t>(0, lanes));
  return vector::ShuffleOp::create(b, loc, low, high(), both);
}

Value KernelEmitter::loadGather(const KernelInput &input, const Dims &dims,
                                unsigned row, int64_t offset, bool masked) {
  // Lanes `stride` elements apart in the row-major tensor, read through its
  // 1-D view.
  auto tensorType = cast<RankedTensorType>(input.value.getType());
  Type type = tensorType.getElementType();
  Value flat = collapseTo1D(b, loc, input.value);
  // In the masked tile, lanes past the extent read the last valid position
  // instead (their values are never stored): all addresses stay in bounds
  // and the gather needs no mask, which LLVM would scalarize.
  Dims at = dims;
  Value lanesPast; // i32 splat: lanes before the first valid one
  Value lastLane;  // i32 splat: the last valid lane
  auto i32Vector = VectorType::get({plan.lanes}, b.getI32Type());
  if (masked) {
    Value start =
        arith::AddIOp::create(b, loc, dims[plan.vectorDim], index(offset));
    Value last =
        arith::SubIOp::create(b, loc, extents[plan.vectorDim], index(1));
    Value first = arith::MinUIOp::create(b, loc, start, last);
    at[plan.vectorDim] = first;
    auto splat = [&](Value v) {
      return vector::BroadcastOp::create(
          b, loc, i32Vector,
          arith::IndexCastOp::create(b, loc, b.getI32Type(),
                                     arith::SubIOp::create(b, loc, v, first)));
    };
    lanesPast = splat(start);
    lastLane = splat(last);
  } else {
    at[plan.vectorDim] =
        arith::AddIOp::create(b, loc, dims[plan.vectorDim], index(offset));
  }
  // The first lane's offset in the row-major tensor (its outermost size,
  // maybe dynamic, is not needed).
  SmallVector<Value> position = indices(input.map, at, row, 0);
  Value base = getValueOrCreateConstantIndexOp(
      b, loc,
      affine::linearizeIndex(
          b, loc, getAsOpFoldResult(ValueRange(position)),
          getAsIndexOpFoldResult(b.getContext(),
                                 tensorType.getShape().drop_front())));
  SmallVector<int32_t> iota;
  for (unsigned lane = 0; lane < plan.lanes; ++lane)
    iota.push_back(static_cast<int32_t>(lane));
  Value lanes = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i32Vector, ArrayRef<int32_t>(iota)));
  if (masked)
    lanes = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lanes, lanesPast), lastLane);
  Value offsets = arith::MulIOp::create(
      b, loc, lanes,
      arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(i32Vector,
                                 static_cast<int32_t>(input.stride))));
  auto maskType = VectorType::get({plan.lanes}, b.getI1Type());
  Value mask =
      arith::ConstantOp::create(b, loc, DenseElementsAttr::get(maskType, true));
  Value zeros = arith::ConstantOp::create(b, loc, b.getZeroAttr(vec(type)));
  return vector::GatherOp::create(b, loc, vec(type), flat, ValueRange{base},
                                  offsets, mask, zeros, IntegerAttr());
}

Value KernelEmitter::loadStrided(const KernelInput &input, const Dims &dims,
                                 unsigned row, int64_t offset, Value padding) {
  // Read stride * lanes elements, keep every stride-th one. The last
  // stride - 1 elements may lie past the end: always masked.
  int64_t stride = input.stride;
  auto wide = VectorType::get({plan.lanes * stride}, padding.getType());
  SmallVector<bool> inBounds{false};
  Value all = vector::TransferReadOp::create(
      b, loc, wide, input.value, indices(input.map, dims, row, offset), padding,
      inBounds);
  SmallVector<int64_t> mask;
  for (unsigned lane = 0; lane < plan.lanes; ++lane)
    mask.push_back(lane * stride);
  return vector::ShuffleOp::create(b, loc, all, all, mask);
}

SmallVector<Value> KernelEmitter::loadTransposed(const KernelInput &input,
                                                 const Dims &dims,
                                                 unsigned rows, bool masked) {
  // Per chunk, one vector of `rows` consecutive elements per lane. In the
  // masked tile, lanes past the extent read the last valid lane's column
  // instead (their values are never stored).
  Type type = getElementTypeOrSelf(input.value.getType());
  auto column = VectorType::get({static_cast<int64_t>(rows)}, type);
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  SmallVector<bool> inBounds{true}; // a full block of rows
  Value lastLane;
  if (masked)
    lastLane = arith::SubIOp::create(b, loc, extents[plan.vectorDim], index(1));
  SmallVector<SmallVector<Value>> perChunk;
  for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
    SmallVector<Value> columns;
    for (unsigned lane = 0; lane < plan.lanes; ++lane) {
      int64_t offset = chunk * plan.lanes + lane;
      SmallVector<Value> at;
      if (masked) {
        Dims clamped = dims;
        clamped[plan.vectorDim] = arith::MinUIOp::create(
            b, loc,
            arith::AddIOp::create(b, loc, dims[plan.vectorDim], index(offset)),
            lastLane);
        at = indices(input.map, clamped, 0, 0);
      } else {
        at = indices(input.map, dims, 0, offset);
      }
      columns.push_back(vector::TransferReadOp::create(
          b, loc, column, input.value, at, padding, inBounds));
    }
    perChunk.push_back(transposeInRegisters(b, loc, columns, rows));
  }
  SmallVector<Value> loaded; // row-major, as loadedAt reads them
  for (unsigned row = 0; row < rows; ++row)
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk)
      loaded.push_back(perChunk[chunk][row]);
  return loaded;
}

SmallVector<SmallVector<Value>>
KernelEmitter::loadBlock(ArrayRef<KernelInput> reads, const Dims &dims,
                         unsigned rows, bool masked,
                         std::optional<unsigned> skip) {
  SmallVector<SmallVector<Value>> loaded(reads.size());
  for (auto [i, input] : llvm::enumerate(reads)) {
    if (skip && i == *skip)
      continue;
    if (input.rowContiguous && rows > 1 && rows <= plan.lanes) {
      loaded[i] = loadTransposed(input, dims, rows, masked);
      continue;
    }
    unsigned loadRows = input.dependsOnRows ? rows : 1;
    for (unsigned row = 0; row < loadRows; ++row)
      for (unsigned chunk = 0; chunk < loadChunks(input); ++chunk)
        loaded[i].push_back(load(input, dims, row, chunk, masked));
  }
  return loaded;
}

Value KernelEmitter::loadedAt(ArrayRef<Value> loads, const KernelInput &input,
                              unsigned row, unsigned chunk) const {
  unsigned r = input.dependsOnRows ? row : 0;
  unsigned c = loadChunks(input) == 1 ? 0 : chunk;
  return loads[r * loadChunks(input) + c];
}
