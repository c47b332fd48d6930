//===- Emitter.cpp - Emission of register-tiled kernels -------------------===//
//
// Builds a planned kernel:
//
//   for the other parallel dims:                  (or inside the tile loop)
//     for v0 in vector tiles of the innermost output dim:
//       for u0 in row blocks of the row dim:
//         acc[r][c] = init                           // registers
//         for the reduction dims (activation layout order):
//           load the inputs (Loads.cpp)
//           acc[r][c] = body(inputs, acc[r][c])      // FMAs, ...
//         out[r][c] = epilogue(acc[r][c], ...)       // bias, relu, ...
//         write out
//
// Remainders are handled by a one-row loop (u) and a masked tile (v), so any
// shape, static or dynamic, runs vectorized. The packed dot-product
// reduction is in DotEmitter.cpp.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "BodyCloning.h"
#include "KernelEmitter.h"
#include "compress/Codegen/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

void KernelEmitter::materializePanels() {
  for (KernelInput &input : inputs) {
    if (!input.packed)
      continue;
    auto type = cast<RankedTensorType>(input.value.getType());
    // The constant's dims in the order of the input's map (vector dim last).
    SmallVector<int64_t> shape(type.getShape());
    if (!input.permutation.empty())
      shape = applyPermutation(type.getShape(), input.permutation);
    PanelLayout layout = PanelLayout::get(shape, plan.tile());
    if (input.nibbles) {
      DenseIntElementsAttr values;
      matchPattern(input.value, m_Constant(&values));
      std::vector<char> codes;
      codes.reserve(type.getNumElements());
      for (const APInt &value : values.getValues<APInt>())
        codes.push_back(static_cast<char>(value.getZExtValue()));
      if (!input.permutation.empty())
        codes = permuteElements(codes, 1, type.getShape(), input.permutation);
      std::vector<char> packed = packNibblePanels(
          ArrayRef(reinterpret_cast<const uint8_t *>(codes.data()),
                   codes.size()),
          layout);
      shape = layout.packedShape(shape);
      shape.back() = plan.tile() / 2;
      input.value = arith::ConstantOp::create(
          b, input.value.getLoc(),
          DenseElementsAttr::getFromRawBuffer(
              RankedTensorType::get(shape, b.getI8Type()), packed));
      continue;
    }
    size_t elementBytes = type.getElementTypeBitWidth() / 8;
    std::vector<char> bytes = *readConstantBytes(input.value);
    if (!input.permutation.empty())
      bytes = permuteElements(bytes, elementBytes, type.getShape(),
                              input.permutation);
    std::vector<char> packed = packPanels(bytes, elementBytes, layout);
    auto packedType =
        RankedTensorType::get(layout.packedShape(shape), type.getElementType());
    input.value = arith::ConstantOp::create(
        b, input.value.getLoc(),
        DenseElementsAttr::getFromRawBuffer(packedType, packed));
  }
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

SmallVector<Value> KernelEmitter::buildNest(
    ArrayRef<unsigned> loopDims, ValueRange iterArgs,
    function_ref<SmallVector<Value>(ValueRange, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (unsigned dim : loopDims) {
    lbs.push_back(index(0));
    ubs.push_back(extents[dim]);
    steps.push_back(index(1));
  }
  return scf::buildLoopNest(b, loc, lbs, ubs, steps, iterArgs,
                            [&](OpBuilder &, Location, ValueRange ivs,
                                ValueRange args) { return body(ivs, args); })
      .results;
}

void KernelEmitter::tagParallel(scf::ForOp loop, Value extent) {
  std::optional<int64_t> trips = getConstantIntValue(extent);
  if (tagged || (trips && *trips <= 1))
    return;
  loop->setAttr(kParallelLoopAttr, b.getUnitAttr());
  tagged = true;
}

Value KernelEmitter::emitOuterLoops(Value dest,
                                    function_ref<Value(Value)> body) {
  return buildNest(
             plan.outerDims, dest,
             [&](ValueRange ivs, ValueRange args) -> SmallVector<Value> {
               for (auto [dim, iv] : llvm::zip_equal(plan.outerDims, ivs)) {
                 tagParallel(scf::getForInductionVarOwner(iv), extents[dim]);
                 outer[dim] = iv;
               }
               return {body(args[0])};
             })
      .front();
}

Value KernelEmitter::emitVectorTiles(Value dest,
                                     function_ref<Value(Value, bool)> body) {
  int64_t tile = plan.tile();
  Value extent = extents[plan.vectorDim];
  Value tileValue = index(tile);
  Value full = arith::SubIOp::create(
      b, loc, extent, arith::RemUIOp::create(b, loc, extent, tileValue));
  auto tiles =
      scf::ForOp::create(b, loc, index(0), full, tileValue, ValueRange{dest});
  std::optional<int64_t> staticExtent = getConstantIntValue(extent);
  tagParallel(tiles, staticExtent ? index(*staticExtent / tile) : full);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(tiles.getBody());
    outer[plan.vectorDim] = tiles.getInductionVar();
    scf::YieldOp::create(b, loc, body(tiles.getRegionIterArgs()[0], false));
  }
  dest = tiles.getResult(0);
  if (staticExtent && *staticExtent % tile == 0)
    return dest;
  auto last =
      scf::ForOp::create(b, loc, full, extent, tileValue, ValueRange{dest});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(last.getBody());
    outer[plan.vectorDim] = last.getInductionVar();
    scf::YieldOp::create(b, loc, body(last.getRegionIterArgs()[0], true));
  }
  return last.getResult(0);
}

Value KernelEmitter::emitRowPanels(Value dest) {
  // Panels of rows whose activation stays in L2, the vector tiles inside.
  Value extent = extents[*plan.rowDim];
  Value step = index(plan.rowPanel);
  int64_t rows = plan.ranges[*plan.rowDim];
  // Panels of one row block (elementwise kernels) with a static extent:
  // the loop runs the whole panels and the last, shorter one follows it as
  // one block of the rows left.
  bool splitLast = !ShapedType::isDynamic(rows) &&
                   plan.rowPanel == static_cast<int64_t>(plan.rows) &&
                   rows % plan.rowPanel != 0;
  Value wholeEnd = splitLast ? index(rows - rows % plan.rowPanel) : extent;
  auto panels =
      scf::ForOp::create(b, loc, index(0), wholeEnd, step, ValueRange{dest});
  tagParallel(panels,
              ShapedType::isDynamic(rows)
                  ? extent
                  : index(splitLast ? rows / plan.rowPanel
                                    : llvm::divideCeil(rows, plan.rowPanel)));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(panels.getBody());
    Value begin = panels.getInductionVar();
    Value end = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, begin, step), extent);
    std::optional<int64_t> count;
    if (!ShapedType::isDynamic(rows) &&
        (splitLast || rows % plan.rowPanel == 0))
      count = plan.rowPanel;
    Value out = emitVectorTiles(
        panels.getRegionIterArgs()[0], [&](Value inner, bool masked) {
          return emitRowLoops(outer, inner, masked, begin, end, count);
        });
    scf::YieldOp::create(b, loc, out);
  }
  if (!splitLast)
    return panels.getResult(0);
  return emitVectorTiles(panels.getResult(0), [&](Value inner, bool masked) {
    return emitRowLoops(outer, inner, masked, wholeEnd, extent,
                        rows % plan.rowPanel);
  });
}

Value KernelEmitter::emitRowLoops(Dims dims, Value dest, bool masked,
                                  Value begin, Value end,
                                  std::optional<int64_t> count) {
  if (!plan.rowDim)
    return emitTile(dims, 1, dest, masked);
  unsigned rowDim = *plan.rowDim;
  if (!begin) {
    begin = index(0);
    end = extents[rowDim];
    if (!ShapedType::isDynamic(plan.ranges[rowDim]))
      count = plan.ranges[rowDim];
  }
  if (!plan.decodesPerRowRange())
    return emitRowBlocks(dims, dest, masked, begin, end, count);
  // The tile's weight, decoded once for all its row blocks; with a dynamic
  // number of rows, only when there are enough of them.
  if (!ShapedType::isDynamic(plan.ranges[rowDim])) {
    decodedWeights = decodeTile(dims, masked);
    return emitRowBlocks(dims, dest, masked, begin, end, count);
  }
  Value many = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge,
                                     arith::SubIOp::create(b, loc, end, begin),
                                     index(plan.minRowsForDecodeBuffer()));
  auto choice =
      scf::IfOp::create(b, loc, TypeRange{dest.getType()}, many, true, true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(choice.thenBlock());
    decodedWeights = decodeTile(dims, masked);
    scf::YieldOp::create(b, loc,
                         emitRowBlocks(dims, dest, masked, begin, end, count));
    b.setInsertionPointToStart(choice.elseBlock());
    decodedWeights = Value();
    scf::YieldOp::create(b, loc,
                         emitRowBlocks(dims, dest, masked, begin, end, count));
  }
  return choice.getResult(0);
}

Value KernelEmitter::emitRowBlocks(Dims dims, Value dest, bool masked,
                                   Value begin, Value end,
                                   std::optional<int64_t> count) {
  unsigned rowDim = *plan.rowDim;
  Value rowsValue = index(plan.rows);
  // Whole blocks: [begin, end - (end - begin) % rows).
  int64_t left = count ? *count % plan.rows : 0;
  Value full = count
                   ? arith::SubIOp::create(b, loc, end, index(left)).getResult()
                   : arith::SubIOp::create(
                         b, loc, end,
                         arith::RemUIOp::create(
                             b, loc, arith::SubIOp::create(b, loc, end, begin),
                             rowsValue));
  auto blocks =
      scf::ForOp::create(b, loc, begin, full, rowsValue, ValueRange{dest});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(blocks.getBody());
    dims[rowDim] = blocks.getInductionVar();
    Value in = blocks.getRegionIterArgs()[0];
    if (!skipFirstBlock) {
      scf::YieldOp::create(b, loc, emitTile(dims, plan.rows, in, masked));
    } else {
      // The first block of the first outer iteration is done
      // (emitDecodingBlock).
      Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          dims[rowDim], index(0));
      for (unsigned dim : plan.outerDims)
        first = arith::AndIOp::create(
            b, loc, first,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dims[dim],
                                  index(0)));
      auto choice =
          scf::IfOp::create(b, loc, TypeRange{in.getType()}, first, true, true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(choice.thenBlock());
      scf::YieldOp::create(b, loc, in);
      b.setInsertionPointToStart(choice.elseBlock());
      scf::YieldOp::create(b, loc, emitTile(dims, plan.rows, in, masked));
      b.setInsertionPointAfter(choice);
      scf::YieldOp::create(b, loc, choice.getResult(0));
    }
  }
  dest = blocks.getResult(0);
  // The remaining rows: one block if their number is known, else one at a
  // time.
  if (count) {
    if (left == 0)
      return dest;
    dims[rowDim] = full;
    return emitTile(dims, static_cast<unsigned>(left), dest, masked);
  }
  auto remainder =
      scf::ForOp::create(b, loc, full, end, index(1), ValueRange{dest});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(remainder.getBody());
    dims[rowDim] = remainder.getInductionVar();
    Value out = emitTile(dims, 1, remainder.getRegionIterArgs()[0], masked);
    scf::YieldOp::create(b, loc, out);
  }
  return remainder.getResult(0);
}

Value KernelEmitter::emit() {
  if (plan.dot)
    materializeDot();
  else
    materializePanels();
  for (Range range : root.createLoopRanges(b, loc))
    extents.push_back(getValueOrCreateConstantIndexOp(b, loc, range.size));
  outer.assign(root.getNumLoops(), Value());
  if (plan.decodeBuffer && plan.decodeBuffer->whole)
    decodedWeights = decodeAllTiles();
  auto rowLoops = [&](Value dest, bool masked) {
    return emitRowLoops(outer, dest, masked);
  };
  if (plan.tilesOutermost)
    return emitVectorTiles(plan.dest, [&](Value dest, bool masked) {
      // Weight-only kernels decode the tile in their first row block
      // (whose FMAs hide the decode), which the loops then skip.
      skipFirstBlock = plan.decodeBuffer && plan.decodeBuffer->perTile;
      if (skipFirstBlock)
        dest = emitDecodingBlock(dest, masked);
      else if (plan.decodesPerTile())
        decodedWeights = decodeTile(outer, masked);
      Value out = emitOuterLoops(
          dest, [&](Value inner) { return rowLoops(inner, masked); });
      skipFirstBlock = false;
      return out;
    });
  if (plan.rowPanel)
    return emitOuterLoops(plan.dest,
                          [&](Value dest) { return emitRowPanels(dest); });
  return emitOuterLoops(
      plan.dest, [&](Value dest) { return emitVectorTiles(dest, rowLoops); });
}

//===----------------------------------------------------------------------===//
// Register tiles
//===----------------------------------------------------------------------===//

SmallVector<Value> KernelEmitter::initialAccumulators(const Dims &dims,
                                                      unsigned rows,
                                                      bool masked) {
  SmallVector<Value> accs;
  Value fill;
  if (plan.fillValue)
    fill =
        vector::BroadcastOp::create(b, loc, vec(plan.accType), plan.fillValue);
  else if (!root.payloadUsesValueFromOperand(root.getDpsInitOperand(0)))
    fill = arith::ConstantOp::create( // never read
        b, loc, b.getZeroAttr(vec(plan.accType)));
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      if (fill) {
        accs.push_back(fill);
        continue;
      }
      KernelInput init;
      init.value = plan.rootInit;
      init.map = plan.outputMap;
      init.access = Access::Contiguous;
      accs.push_back(load(init, dims, row, chunk, masked));
    }
  }
  if (!columnSums)
    return accs;
  // int8: acc -= 128 * column sums (undoes the unsigned activation offset).
  KernelInput sums;
  sums.value = columnSums;
  sums.map = AffineMap::get(root.getNumLoops(), 0,
                            getAffineDimExpr(plan.vectorDim, b.getContext()));
  sums.access = Access::Contiguous;
  for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
    // The sums are padded to whole tiles: never masked.
    Value s = load(sums, dims, 0, chunk, /*masked=*/false);
    for (unsigned row = 0; row < rows; ++row) {
      Value &acc = accs[row * plan.chunks + chunk];
      acc = arith::SubIOp::create(b, loc, acc, s);
    }
  }
  return accs;
}

SmallVector<std::pair<Value, Value>>
KernelEmitter::tableLookups(ArrayRef<Value> args) {
  SmallVector<std::pair<Value, Value>> lookups;
  if (!plan.codeTable)
    return lookups;
  Value codes = args[plan.codeTable->input];
  for (auto [value, table] : plan.codeTable->entries)
    lookups.emplace_back(
        value, LookupOp::create(
                   b, loc, arith::ConstantOp::create(b, loc, table), codes));
  return lookups;
}

Value KernelEmitter::applyBody(Block *body, ArrayRef<Value> args,
                               Value decodedWeight) {
  LaneWiseOptions options;
  options.fuseMultiplyAdd = true;
  if (body != root.getBlock())
    return cloneLaneWise(b, loc, *body, args, plan.lanes,
                         body->getTerminator()->getOperand(0), options)
        .front();
  // The root's values computed from a sub-byte code alone are looked up in
  // their tables (indexed by the code lanes that were loaded); a weight
  // decoded into the buffer is read from it, and nothing of its decode runs
  // here.
  SmallVector<std::pair<Value, Value>> presets;
  if (decodedWeight)
    presets.emplace_back(plan.decodeBuffer->weight, decodedWeight);
  else
    presets = tableLookups(args);
  auto skip = [&](Operation *op) {
    if (decodedWeight)
      return plan.decodeBuffer->ops.contains(op);
    return plan.codeTable && plan.codeTable->ops.contains(op);
  };
  options.presets = presets;
  options.skip = skip;
  // A group factor is applied once per group (genericReduction).
  SmallVector<std::pair<Value, Value>> aliases;
  if (plan.groupFactor)
    aliases.emplace_back(plan.groupFactor->product, plan.groupFactor->kept);
  options.aliases = aliases;
  return cloneLaneWise(b, loc, *body, args, plan.lanes,
                       body->getTerminator()->getOperand(0), options)
      .front();
}

SmallVector<int64_t> KernelEmitter::decodedTileShape() const {
  SmallVector<int64_t> shape;
  for (unsigned dim : plan.reductionDims)
    shape.push_back(plan.ranges[dim]);
  shape.push_back(plan.tile());
  return shape;
}

SmallVector<Value> KernelEmitter::decodedPosition(Value tileIndex,
                                                  ValueRange reductionIvs,
                                                  unsigned chunk) {
  SmallVector<Value> position;
  if (tileIndex)
    position.push_back(tileIndex);
  llvm::append_range(position, reductionIvs);
  position.push_back(index(static_cast<int64_t>(chunk * plan.lanes)));
  return position;
}

Value KernelEmitter::decodeTile(const Dims &dims, bool masked) {
  return plan.dot ? decodeDotTile(dims) : decodeWeights(dims, masked);
}

Value KernelEmitter::decodeAllTiles() {
  int64_t tile = plan.tile();
  int64_t extent = plan.ranges[plan.vectorDim]; // static (planned)
  int64_t fullTiles = extent / tile;
  SmallVector<int64_t> shape{
      static_cast<int64_t>(llvm::divideCeil(extent, tile))};
  llvm::append_range(shape, decodedTileShape());
  Value buffer = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  Dims at = outer;
  if (fullTiles > 0) {
    auto loop = scf::ForOp::create(b, loc, index(0), index(fullTiles), index(1),
                                   ValueRange{buffer});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value t = loop.getInductionVar();
    at[plan.vectorDim] = arith::MulIOp::create(b, loc, t, index(tile));
    scf::YieldOp::create(
        b, loc, decodeWeights(at, false, loop.getRegionIterArgs()[0], t));
    buffer = loop.getResult(0);
  }
  if (extent % tile != 0) {
    at[plan.vectorDim] = index(fullTiles * tile);
    buffer = decodeWeights(at, true, buffer, index(fullTiles));
  }
  return buffer;
}

Value KernelEmitter::decodeChunk(const Dims &at, unsigned chunk, bool masked) {
  Block *body = root.getBlock();
  // Inputs the decode does not read get a placeholder.
  SmallVector<Value> args;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    bool used =
        llvm::any_of(body->getArgument(i).getUsers(), [&](Operation *user) {
          return plan.decodeBuffer->ops.contains(user);
        });
    args.push_back(
        used ? load(input, at, 0, chunk, masked)
             : arith::ConstantOp::create(b, loc,
                                         b.getZeroAttr(vec(getElementTypeOrSelf(
                                             input.value.getType())))));
  }
  SmallVector<std::pair<Value, Value>> presets = tableLookups(args);
  auto skip = [&](Operation *op) {
    return !plan.decodeBuffer->ops.contains(op) ||
           (plan.codeTable && plan.codeTable->ops.contains(op));
  };
  LaneWiseOptions options;
  options.presets = presets;
  options.skip = skip;
  return cloneLaneWise(b, loc, *body, args, plan.lanes,
                       plan.decodeBuffer->weight, options)
      .front();
}

Value KernelEmitter::emitDecodingBlock(Value dest, bool masked) {
  // The first row block of the first outer iteration: all outer dims and
  // the row dim at 0.
  Dims dims = outer;
  for (unsigned dim : plan.outerDims)
    dims[dim] = index(0);
  dims[*plan.rowDim] = index(0);
  SmallVector<Value> state = initialAccumulators(dims, plan.rows, masked);
  state.push_back(
      tensor::EmptyOp::create(b, loc, decodedTileShape(), b.getF32Type()));
  state = buildNest(
      plan.reductionDims, state,
      [&](ValueRange ivs, ValueRange args) -> SmallVector<Value> {
        for (auto [dim, iv] : llvm::zip_equal(plan.reductionDims, ivs))
          dims[dim] = iv;
        // Each chunk's weight decoded in registers, written to the buffer
        // and used by this block's rows.
        Value buffer = args.back();
        SmallVector<Value> weights;
        for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
          weights.push_back(decodeChunk(dims, chunk, masked));
          SmallVector<bool> inBounds{true};
          buffer = vector::TransferWriteOp::create(
                       b, loc, weights.back(), buffer,
                       decodedPosition(Value(), ivs, chunk), inBounds)
                       .getResult();
        }
        SmallVector<Value> next =
            genericStep(dims, plan.rows, args.drop_back(), masked, weights);
        next.push_back(buffer);
        return next;
      });
  decodedWeights = state.pop_back_val();
  return writeTile(dims, plan.rows, state, dest, masked);
}

Value KernelEmitter::decodeWeights(const Dims &dims, bool masked, Value into,
                                   Value tileIndex) {
  Value buffer = into ? into
                      : tensor::EmptyOp::create(b, loc, decodedTileShape(),
                                                b.getF32Type());
  return buildNest(
             plan.reductionDims, buffer,
             [&](ValueRange ivs, ValueRange iterArgs) -> SmallVector<Value> {
               // Dims the decode does not read may have no loop yet.
               Dims at = dims;
               for (Value &value : at)
                 if (!value)
                   value = index(0);
               for (auto [dim, iv] : llvm::zip_equal(plan.reductionDims, ivs))
                 at[dim] = iv;
               Value decoded = iterArgs[0];
               for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
                 Value weight = decodeChunk(at, chunk, masked);
                 SmallVector<bool> inBounds{true};
                 decoded = vector::TransferWriteOp::create(
                               b, loc, weight, decoded,
                               decodedPosition(tileIndex, ivs, chunk), inBounds)
                               .getResult();
               }
               return {decoded};
             })
      .front();
}

SmallVector<Value> KernelEmitter::genericStep(const Dims &dims, unsigned rows,
                                              ValueRange accs, bool masked,
                                              ArrayRef<Value> weights) {
  SmallVector<SmallVector<Value>> loaded =
      loadBlock(inputs, dims, rows, masked);
  SmallVector<Value> next;
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      SmallVector<Value> args;
      for (auto [i, input] : llvm::enumerate(inputs))
        args.push_back(loadedAt(loaded[i], input, row, chunk));
      args.push_back(accs[row * plan.chunks + chunk]);
      Value weight;
      if (!weights.empty()) {
        weight = weights[chunk];
      } else if (decodedWeights) {
        Value tileIndex;
        if (plan.decodeBuffer->whole)
          tileIndex = arith::DivUIOp::create(b, loc, dims[plan.vectorDim],
                                             index(plan.tile()));
        SmallVector<Value> reductionIvs;
        for (unsigned dim : plan.reductionDims)
          reductionIvs.push_back(dims[dim]);
        SmallVector<Value> position =
            decodedPosition(tileIndex, reductionIvs, chunk);
        SmallVector<bool> inBounds{true};
        Value padding =
            arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
        weight = vector::TransferReadOp::create(b, loc, vec(b.getF32Type()),
                                                decodedWeights, position,
                                                padding, inBounds);
      }
      next.push_back(applyBody(root.getBlock(), args, weight));
    }
  }
  return next;
}

SmallVector<Value> KernelEmitter::genericReduction(Dims dims, unsigned rows,
                                                   ValueRange accs,
                                                   bool masked) {
  // The reduction loops, accumulators as iteration arguments.
  if (!plan.groupFactor)
    return buildNest(
        plan.reductionDims, accs, [&](ValueRange ivs, ValueRange args) {
          for (auto [dim, iv] : llvm::zip_equal(plan.reductionDims, ivs))
            dims[dim] = iv;
          return genericStep(dims, rows, args, masked);
        });
  // With a group factor: per group (the outer reduction dims), the products
  // without the factor are summed from zero over the innermost dim, then
  // added times the factor to the accumulators.
  const KernelPlan::GroupFactor &group = *plan.groupFactor;
  ArrayRef<unsigned> outerDims = ArrayRef(plan.reductionDims).drop_back();
  return buildNest(outerDims, accs, [&](ValueRange ivs, ValueRange args) {
    for (auto [dim, iv] : llvm::zip_equal(outerDims, ivs))
      dims[dim] = iv;
    Value zero =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(vec(b.getF32Type())));
    SmallVector<Value> zeros(args.size(), zero);
    SmallVector<Value> sums = buildNest(
        {group.innerDim}, zeros, [&](ValueRange inner, ValueRange sums) {
          dims[group.innerDim] = inner.front();
          return genericStep(dims, rows, sums, masked);
        });
    dims[group.innerDim] = index(0); // the factor does not read it
    SmallVector<Value> out(args);
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      Value factor = load(inputs[group.input], dims, 0, chunk, masked);
      if (!getElementTypeOrSelf(factor.getType()).isF32())
        factor = arith::ExtFOp::create(b, loc, vec(b.getF32Type()), factor);
      for (unsigned row = 0; row < rows; ++row) {
        unsigned i = row * plan.chunks + chunk;
        out[i] = vector::FMAOp::create(b, loc, sums[i], factor, out[i]);
      }
    }
    return out;
  });
}

Value KernelEmitter::writeTile(const Dims &dims, unsigned rows,
                               ArrayRef<Value> accs, Value dest, bool masked) {
  SmallVector<SmallVector<Value>> epilogueLoads;
  if (plan.epilogue)
    epilogueLoads = loadBlock(plan.epilogue->inputs, dims, rows, masked,
                              plan.epilogue->rootInput);
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      Value value = accs[row * plan.chunks + chunk];
      if (plan.epilogue) {
        SmallVector<Value> args;
        for (auto [i, input] : llvm::enumerate(plan.epilogue->inputs)) {
          if (i == plan.epilogue->rootInput)
            args.push_back(value);
          else
            args.push_back(loadedAt(epilogueLoads[i], input, row, chunk));
        }
        // The epilogue's output argument is unused (checked when planning).
        linalg::LinalgOp epilogue = plan.epilogue->op;
        value = applyBody(epilogue.getBlock(), args);
      }
      SmallVector<bool> inBounds{!masked};
      dest = vector::TransferWriteOp::create(
                 b, loc, value, dest,
                 indices(plan.outputMap, dims, row,
                         static_cast<int64_t>(chunk * plan.lanes)),
                 inBounds)
                 .getResult();
    }
  }
  return dest;
}

Value KernelEmitter::emitTile(Dims dims, unsigned rows, Value dest,
                              bool masked) {
  SmallVector<Value> accs = initialAccumulators(dims, rows, masked);
  accs = plan.dot ? dotReduction(dims, rows, accs)
                  : genericReduction(dims, rows, accs, masked);
  return writeTile(dims, rows, accs, dest, masked);
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

void mlir::compress::kernels::emitKernel(const KernelPlan &plan) {
  Operation *replaced = plan.replaced();
  OpBuilder builder(replaced);
  Value result = KernelEmitter(builder, plan).emit();
  replaced->getResult(0).replaceAllUsesWith(result);
  // Constants that were repacked (and fills that are now folded into the
  // accumulators) must not survive into the binary.
  linalg::LinalgOp root = plan.root;
  SmallVector<Operation *> ops{replaced};
  if (replaced != root.getOperation())
    ops.push_back(root);
  eraseWithDeadProducers(ops);
}
