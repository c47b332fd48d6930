//===- DotEmitter.cpp - Packed dot-product kernels ------------------------===//
//
// The reduction of kernels that use a packed dot-product instruction:
// int8 contractions with AVX-512 VNNI (`vpdpbusd`, compress.vnni_dot) and
// bf16 contractions with AVX512_BF16 (`vdpbf16ps`, x86vector.avx512.dot, or
// its expansion with emulate-bf16-dot). The weight is repacked at compile
// time (WeightPacking.h) so the inner loop is only broadcast loads of the
// activation's groups, one weight load per register and one dot per row and
// register. For int8 the activation is made unsigned once (xor 0x80, in the
// elementwise op that computes it or an op of its own) and 128 * the
// column sums of the weight, subtracted from the initial accumulators, make
// the result exact. A bf16 weight times an f32 activation (weights stored
// in bf16) rounds the activation to bf16 once, before the kernel.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

/// `v` xor 0x80 (i8): the signed value as unsigned, offset by 128.
static Value flipSign(OpBuilder &b, Location loc, Value v) {
  Value flip = arith::ConstantIntOp::create(b, loc, b.getI8Type(),
                                            static_cast<int8_t>(-128));
  return arith::XOrIOp::create(b, loc, v, flip);
}

/// An elementwise op of its own that applies `fn` to every element of
/// `input`, giving elements of type `element`.
static Value mapElements(OpBuilder &b, Location loc, Value input, Type element,
                         function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(input.getType());
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, input), element);
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, empty.getType(), ValueRange{input}, ValueRange{empty},
             ArrayRef<AffineMap>{id, id}, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   ValueRange{fn(nested, nestedLoc, args[0])});
             })
      .getResult(0);
}

Value KernelEmitter::unsignedActivation(Value activation) {
  // If an elementwise op computes the activation for this kernel alone (its
  // quantization), the xor joins that op's body; otherwise it is an
  // elementwise op of its own. Either is vectorized like any other.
  if (linalg::GenericOp producer = plan.dot->unsignedProducer) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(producer);
    auto flipped = cast<linalg::GenericOp>(b.clone(*producer));
    auto yield = cast<linalg::YieldOp>(flipped.getBlock()->getTerminator());
    b.setInsertionPoint(yield);
    yield->setOperand(0, flipSign(b, loc, yield.getValues()[0]));
    return flipped.getResult(0);
  }
  return mapElements(b, loc, activation, b.getI8Type(), flipSign);
}

/// The elements of the constant `weight` as bytes: its raw data, or for
/// 4-bit codes each code sign-extended to a byte.
static std::vector<char> weightBytes(Value weight) {
  auto type = cast<RankedTensorType>(weight.getType());
  if (type.getElementTypeBitWidth() % 8 == 0)
    return *readConstantBytes(weight);
  DenseIntElementsAttr codes;
  matchPattern(weight, m_Constant(&codes));
  std::vector<char> bytes;
  bytes.reserve(type.getNumElements());
  for (const APInt &code : codes.getValues<APInt>())
    bytes.push_back(static_cast<char>(code.getSExtValue()));
  return bytes;
}

void KernelEmitter::materializeDot() {
  const DotPlan &dot = *plan.dot;
  Value weight = plan.inputs[dot.weight].value;
  auto type = cast<RankedTensorType>(weight.getType());
  std::vector<char> bytes = weightBytes(weight);
  size_t elementBytes = std::max<size_t>(type.getElementTypeBitWidth() / 8, 1);
  std::vector<char> packed = packGroupedPanels(bytes, elementBytes, dot.layout);
  if (dot.nibbles)
    packed = packNibblePairs(packed, plan.lanes * dot.group(), plan.chunks);
  Type element = dot.bf16 ? type.getElementType() : Type(b.getI8Type());
  auto packedType = RankedTensorType::get(
      {static_cast<int64_t>(packed.size() / elementBytes)}, element);
  dotWeights = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::getFromRawBuffer(packedType, packed));
  dotBroadcast = plan.inputs[dot.activation].value;
  if (dot.bf16) {
    // An f32 activation rounded to bf16 once (vcvtneps2bf16 where the CPU
    // has it), by an elementwise op that is vectorized like any other.
    if (dot.roundActivation)
      dotBroadcast = mapElements(
          b, loc, dotBroadcast, b.getBF16Type(),
          [](OpBuilder &nested, Location nestedLoc, Value v) -> Value {
            return arith::TruncFOp::create(nested, nestedLoc,
                                           nested.getBF16Type(), v);
          });
    return;
  }
  // int8: the activation made unsigned, and what undoes its offset: 128 *
  // the column sums, per group for a per-group kernel.
  if (dot.groupScale)
    materializeGroupConstants(bytes);
  else
    columnSums = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({dot.layout.paddedColumns()}, b.getI32Type()),
            ArrayRef<int32_t>(
                kernels::columnSums(bytes, dot.layout, /*scale=*/128))));
  dotBroadcast = unsignedActivation(dotBroadcast);
}

void KernelEmitter::materializeGroupConstants(ArrayRef<char> weight) {
  const DotPlan &dot = *plan.dot;
  // Per group: -128 * column sums (the i32 accumulators' start) and the
  // scales (f32 or f16), both padded with zeros to whole tiles.
  int64_t padded = dot.layout.paddedColumns();
  int64_t groups = dot.layout.otherCount();
  SmallVector<int32_t> sums =
      kernels::groupColumnSums(weight, dot.layout, /*scale=*/-128);
  groupSums = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({groups * padded}, b.getI32Type()),
          ArrayRef<int32_t>(sums)));
  Value scaleInput = plan.inputs[*dot.groupScale].value;
  Type scaleType = getElementTypeOrSelf(scaleInput.getType());
  size_t scaleBytes = scaleType.getIntOrFloatBitWidth() / 8;
  std::vector<char> scales = *readConstantBytes(scaleInput);
  std::vector<char> paddedScales(groups * padded * scaleBytes, 0);
  int64_t rowBytes = dot.layout.columns * scaleBytes;
  for (int64_t g = 0; g < groups; ++g)
    std::copy_n(scales.begin() + g * rowBytes, rowBytes,
                paddedScales.begin() + g * padded * scaleBytes);
  groupScales = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::getFromRawBuffer(
          RankedTensorType::get({groups * padded}, scaleType), paddedScales));
}

//===----------------------------------------------------------------------===//
// The reduction
//===----------------------------------------------------------------------===//

Value KernelEmitter::emulateDotBF16(Value acc, Value a, Value w) {
  auto wide = VectorType::get({2 * plan.lanes}, b.getF32Type());
  Value products =
      arith::MulFOp::create(b, loc, arith::ExtFOp::create(b, loc, wide, a),
                            arith::ExtFOp::create(b, loc, wide, w));
  SmallVector<int64_t> even, odd;
  for (int64_t j = 0; j < plan.lanes; ++j) {
    even.push_back(2 * j);
    odd.push_back(2 * j + 1);
  }
  Value sum = arith::AddFOp::create(
      b, loc, acc, vector::ShuffleOp::create(b, loc, products, products, odd));
  return arith::AddFOp::create(
      b, loc, sum, vector::ShuffleOp::create(b, loc, products, products, even));
}

Value KernelEmitter::broadcastGroup(const Dims &at, unsigned row, Value padding,
                                    bool maskedGroup) {
  const KernelInput &act = plan.inputs[plan.dot->activation];
  Type element = padding.getType();
  Type i32 = b.getI32Type();
  int64_t group = plan.dot->group();
  SmallVector<bool> inBounds{!maskedGroup};
  Value q = vector::TransferReadOp::create(
      b, loc, VectorType::get({group}, element), dotBroadcast,
      indices(act.map, at, row, 0), padding, inBounds);
  Value word = vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), q);
  Value scalar = vector::ExtractOp::create(b, loc, word, 0);
  Value splat = vector::BroadcastOp::create(b, loc, vec(i32), scalar);
  return vector::BitCastOp::create(
      b, loc, VectorType::get({plan.lanes * group}, element), splat);
}

std::pair<Value, Value> KernelEmitter::decodeNibblePair(Value packed) {
  auto type = cast<VectorType>(packed.getType());
  auto splat = [&](int8_t value) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getI8IntegerAttr(value)));
  };
  // Codes are stored + 8: a mask (low nibble) or a shift (high nibble), and
  // a subtraction of the offset.
  Value eight = splat(8);
  return {arith::SubIOp::create(
              b, loc, arith::AndIOp::create(b, loc, packed, splat(0xF)), eight),
          arith::SubIOp::create(
              b, loc, arith::ShRUIOp::create(b, loc, packed, splat(4)), eight)};
}

Value KernelEmitter::decodeDotTile(const Dims &dims) {
  const DotPlan &dot = *plan.dot;
  int64_t tile = plan.tile();
  int64_t registerBytes = plan.lanes * dot.group();
  int64_t step = tile * dot.group(); // bytes of one group of the tile
  int64_t steps = dot.layout.otherCount() * dot.layout.groups();
  auto i8 = b.getI8Type();
  auto byteVector = VectorType::get({registerBytes}, i8);
  Value buffer = tensor::EmptyOp::create(b, loc, {steps * step}, i8);
  // The tile's packed bytes start at tile * steps * step / 2.
  Value packedBase = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, dims[plan.vectorDim], index(tile)),
      index(steps * step / 2));
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(i8));
  SmallVector<bool> inBounds{true};
  auto loop = scf::ForOp::create(b, loc, index(0), index(steps), index(1),
                                 ValueRange{buffer});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value s = loop.getInductionVar();
  Value from = arith::AddIOp::create(
      b, loc, packedBase, arith::MulIOp::create(b, loc, s, index(step / 2)));
  Value to = arith::MulIOp::create(b, loc, s, index(step));
  Value decoded = loop.getRegionIterArgs()[0];
  unsigned loads = plan.chunks / 2;
  for (unsigned j = 0; j < loads; ++j) {
    Value packed = vector::TransferReadOp::create(
        b, loc, byteVector, dotWeights,
        ValueRange{
            arith::AddIOp::create(b, loc, from, index(registerBytes * j))},
        padding, inBounds);
    auto [low, high] = decodeNibblePair(packed);
    for (auto [chunk, value] : {std::pair(j, low), std::pair(j + loads, high)})
      decoded = vector::TransferWriteOp::create(
                    b, loc, value, decoded,
                    ValueRange{arith::AddIOp::create(
                        b, loc, to, index(registerBytes * chunk))},
                    inBounds)
                    .getResult();
  }
  scf::YieldOp::create(b, loc, decoded);
  return loop.getResult(0);
}

SmallVector<Value> KernelEmitter::dotStep(const Dims &at, Value g,
                                          Value otherLinear, unsigned rows,
                                          ArrayRef<Value> accs,
                                          bool maskedGroup) {
  const DotPlan &dot = *plan.dot;
  Type element = cast<ShapedType>(dotWeights.getType()).getElementType();
  int64_t group = dot.group();
  int64_t tile = plan.tile();
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  SmallVector<Value> bcast;
  for (unsigned row = 0; row < rows; ++row)
    bcast.push_back(broadcastGroup(at, row, padding, maskedGroup));
  auto packedType = VectorType::get({plan.lanes * group}, element);
  int64_t registerElements = plan.lanes * group;
  SmallVector<Value> weights(plan.chunks);
  auto read = [&](Value source, Value offset) -> Value {
    SmallVector<bool> inBounds{true};
    return vector::TransferReadOp::create(
        b, loc, packedType, source, ValueRange{offset}, padding, inBounds);
  };
  if (decodedWeights) {
    // The tile's codes decoded to bytes: [other][groups][tile][group].
    Value base = arith::MulIOp::create(
        b, loc,
        arith::AddIOp::create(b, loc,
                              arith::MulIOp::create(b, loc, otherLinear,
                                                    index(dot.layout.groups())),
                              g),
        index(tile * group));
    for (unsigned j = 0; j < plan.chunks; ++j)
      weights[j] = read(
          decodedWeights,
          arith::AddIOp::create(b, loc, base, index(registerElements * j)));
  } else {
    // Packed offset of [v0 / tile][other][g][0][0] in the layout
    // [tiles][other][groups][tile][group].
    AffineExpr tileExpr, otherExpr, groupExpr;
    bindDims(b.getContext(), tileExpr, otherExpr, groupExpr);
    SmallVector<int64_t> strides =
        computeStrides({dot.layout.tiles(), dot.layout.otherCount(),
                        dot.layout.groups(), tile * group});
    AffineExpr offsetExpr =
        linearize(b.getContext(), {tileExpr, otherExpr, groupExpr},
                  ArrayRef<int64_t>(strides).drop_back());
    Value tileIndex =
        arith::DivUIOp::create(b, loc, at[plan.vectorDim], index(tile));
    Value base = getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(
            b, loc, offsetExpr,
            getAsOpFoldResult(ValueRange{tileIndex, otherLinear, g})));
    // One register of packed groups per chunk: a load each, or for 4-bit
    // codes one load per two chunks, decoded into chunks j and
    // j + chunks / 2.
    unsigned loads = dot.nibbles ? plan.chunks / 2 : plan.chunks;
    if (dot.nibbles)
      base = arith::DivUIOp::create(b, loc, base, index(2));
    for (unsigned j = 0; j < loads; ++j) {
      Value loaded =
          read(dotWeights, arith::AddIOp::create(b, loc, base,
                                                 index(registerElements * j)));
      if (!dot.nibbles)
        weights[j] = loaded;
      else
        std::tie(weights[j], weights[j + loads]) = decodeNibblePair(loaded);
    }
  }
  SmallVector<Value> out;
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned j = 0; j < plan.chunks; ++j) {
      Value acc = accs[row * plan.chunks + j];
      if (dot.emulate)
        out.push_back(emulateDotBF16(acc, bcast[row], weights[j]));
      else if (dot.bf16)
        out.push_back(
            x86vector::DotBF16Op::create(b, loc, acc, bcast[row], weights[j])
                .getResult());
      else
        out.push_back(
            VNNIDotOp::create(b, loc, acc, bcast[row], weights[j]).getResult());
    }
  }
  return out;
}

SmallVector<Value> KernelEmitter::scaledGroupStep(
    const Dims &at, Value group, unsigned rows, ValueRange accs,
    function_ref<SmallVector<Value>(ValueRange)> reduce) {
  // [group][padded column] offset of the tile's column of chunk j.
  Value base = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, group,
                            index(plan.dot->layout.paddedColumns())),
      at[plan.vectorDim]);
  auto load = [&](Value source, Type element, unsigned chunk) -> Value {
    Value offset =
        arith::AddIOp::create(b, loc, base, index(chunk * plan.lanes));
    Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    SmallVector<bool> inBounds{true};
    return vector::TransferReadOp::create(
        b, loc, vec(element), source, ValueRange{offset}, padding, inBounds);
  };
  SmallVector<Value> starts;
  for (unsigned chunk = 0; chunk < plan.chunks; ++chunk)
    starts.push_back(load(groupSums, b.getI32Type(), chunk));
  SmallVector<Value> ints;
  for (unsigned row = 0; row < rows; ++row)
    ints.append(starts);
  ints = reduce(ints);
  SmallVector<Value> out(accs);
  Type scaleType = cast<ShapedType>(groupScales.getType()).getElementType();
  for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
    Value scale = load(groupScales, scaleType, chunk);
    if (!scaleType.isF32())
      scale = arith::ExtFOp::create(b, loc, vec(b.getF32Type()), scale);
    for (unsigned row = 0; row < rows; ++row) {
      unsigned i = row * plan.chunks + chunk;
      Value sum = arith::SIToFPOp::create(b, loc, vec(b.getF32Type()), ints[i]);
      out[i] = vector::FMAOp::create(b, loc, sum, scale, out[i]);
    }
  }
  return out;
}

SmallVector<Value> KernelEmitter::dotReduction(Dims dims, unsigned rows,
                                               ValueRange accs) {
  const DotPlan &dot = *plan.dot;
  int64_t group = dot.group();
  int64_t groupExtent = plan.ranges[dot.groupDim]; // static (planned)
  int64_t fullGroups = groupExtent / group;
  // The other reduction dims as loops (their linearized index locates the
  // packed weight's panel row), then the groups: whole ones in a loop, and
  // a masked last one.
  return buildNest(
      dot.otherReductions, accs,
      [&](ValueRange ivs, ValueRange args) -> SmallVector<Value> {
        SmallVector<OpFoldResult> basis;
        for (auto [dim, iv] : llvm::zip_equal(dot.otherReductions, ivs)) {
          dims[dim] = iv;
          basis.push_back(extents[dim]);
        }
        Value linear = getValueOrCreateConstantIndexOp(
            b, loc,
            affine::linearizeIndex(b, loc, getAsOpFoldResult(ivs), basis));
        auto reduce = [&](ValueRange start) -> SmallVector<Value> {
          SmallVector<Value> in(start);
          if (fullGroups > 0) {
            auto loop = scf::ForOp::create(b, loc, index(0), index(fullGroups),
                                           index(1), in);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(loop.getBody());
            Value g = loop.getInductionVar();
            dims[dot.groupDim] = arith::MulIOp::create(b, loc, g, index(group));
            scf::YieldOp::create(
                b, loc,
                dotStep(dims, g, linear, rows,
                        SmallVector<Value>(loop.getRegionIterArgs()), false));
            in = SmallVector<Value>(loop.getResults());
          }
          if (groupExtent % group != 0) {
            dims[dot.groupDim] = index(fullGroups * group);
            in = dotStep(dims, index(fullGroups), linear, rows, in, true);
          }
          return in;
        };
        if (dot.groupScale)
          return scaledGroupStep(dims, linear, rows, args, reduce);
        return reduce(args);
      });
}
