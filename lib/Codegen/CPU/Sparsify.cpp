//===- Sparsify.cpp - Matmuls on the nonzeros of sparse weights -----------===//
//
// Implements --compress-sparsify: a linalg.matmul with a constant weight
// that is mostly zeros becomes transpose -> compress.sparse_matmul ->
// transpose (Kernels/SparseColumns.h holds the storage, Kernels/
// SparseMatmul.cpp the kernel); convolutions become compress.sparse_conv.
// A weight-only int8 weight (compress.dequantize of constant codes) keeps
// its codes and scales. Which format and when: SparsePlan.h.
//
//===----------------------------------------------------------------------===//

#include "Kernels/SparseColumns.h"
#include "compress/Codegen/Passes.h"
#include "compress/Codegen/SparsePlan.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Utils/EnumOptionParser.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSSPARSIFYPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

using sparse::kBlockWidth;
using sparse::kGroup;

/// Whether `init` is a fill with +0.0.
static bool isZeroFill(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_PosZeroFloat());
}

/// A rank-1 constant of `values` as `elementType` elements.
template <typename T>
static Value listConstant(OpBuilder &b, Location loc, ArrayRef<T> values,
                          Type elementType) {
  auto type =
      RankedTensorType::get({static_cast<int64_t>(values.size())}, elementType);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// `value` with its dims permuted (result dim d is `value`'s dim
/// permutation[d]); 2-D transposed by default.
static Value transpose(OpBuilder &b, Location loc, Value value,
                       ArrayRef<int64_t> permutation = {1, 0}) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes;
  for (int64_t dim : permutation)
    sizes.push_back(tensor::getMixedSize(b, loc, value, dim));
  Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, empty, permutation)
      .getResult()[0];
}

struct CompressSparsifyPass
    : impl::CompressSparsifyPassBase<CompressSparsifyPass> {
  using CompressSparsifyPassBase::CompressSparsifyPassBase;

  /// The threads for the small-layer crossover (0: not raised).
  int64_t smallLayerThreads() const { return smallLayers ? threads : 0; }

  void runOnOperation() override {
    if (!(minBlockSparsity == -1 ||
          (minBlockSparsity >= 0 && minBlockSparsity <= 1))) {
      getOperation().emitError() << "compress-sparsify: min-block-sparsity "
                                    "must be in [0, 1] (or -1: the measured "
                                    "crossover), got "
                                 << spellNumber(minBlockSparsity);
      return signalPassFailure();
    }
    if (!(minSparsity == -1 || (minSparsity >= 0 && minSparsity <= 1))) {
      getOperation().emitError()
          << "compress-sparsify: min-sparsity must be in [0, 1] (or -1: "
             "the measured crossover), got "
          << spellNumber(minSparsity);
      return signalPassFailure();
    }
    if (!(minSharedPairs == -1 ||
          (minSharedPairs >= 0 && minSharedPairs <= 1))) {
      getOperation().emitError()
          << "compress-sparsify: min-shared-pairs must be in [0, 1] (or -1: "
             "the measured rule), got "
          << spellNumber(minSharedPairs);
      return signalPassFailure();
    }
    if (threads < 1 || threads > 1024) {
      getOperation().emitError()
          << "compress-sparsify: threads must be in [1, 1024], got "
          << static_cast<int64_t>(threads);
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp op : matmuls)
      sparsify(op);
    SmallVector<linalg::BatchMatmulOp> batchMatmuls;
    getOperation().walk(
        [&](linalg::BatchMatmulOp op) { batchMatmuls.push_back(op); });
    for (linalg::BatchMatmulOp op : batchMatmuls)
      sparsifyBatch(op);
    SmallVector<linalg::LinalgOp> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp,
              linalg::Conv2DNhwcFhwcOp, linalg::DepthwiseConv2DNchwChwOp,
              linalg::DepthwiseConv2DNhwcHwcOp>(op))
        convs.push_back(op);
    });
    for (linalg::LinalgOp op : convs)
      sparsifyConv(op);
  }

  /// A convolution with a constant f32 weight, or a weight-only int8 one
  /// (its codes and per-filter scales kept): sparse_conv (after a split
  /// into stride phases, or with transposes of an NHWC input and output)
  /// when the plan says so.
  void sparsifyConv(linalg::LinalgOp op) {
    std::optional<sparse::ConvShape> conv = sparse::matchSparseConv(op);
    if (!conv)
      return;
    Value weightValue = op.getDpsInputOperand(1)->get();
    std::optional<Int8Weight> int8 = readInt8Weight(
        weightValue, sparse::filterAxis(conv->layout), conv->filters);
    std::optional<std::vector<float>> weight =
        int8 ? std::vector<float>(int8->codes.begin(), int8->codes.end())
             : readF32Constant(weightValue);
    if (!weight || weight->empty())
      return;
    std::vector<float> columns;
    sparse::SparsePlan plan =
        sparse::planSparseConv(*conv, *weight, minSparsity, &columns,
                               /*valueBytes=*/int8 ? 1 : 4);
    if (plan.format != sparse::SparseFormat::Columns)
      return;
    if (!int8)
      return buildConv(op, *conv, plan, ArrayRef<float>(columns),
                       /*scales=*/{});
    // The columns hold the codes as floats.
    std::vector<int8_t> codes(columns.begin(), columns.end());
    buildConv(op, *conv, plan, ArrayRef<int8_t>(codes),
              ArrayRef<float>(int8->scales));
  }

  /// compress.sparse_conv in place of `op` with the weight's phased K x F
  /// `columns` (f32 values, or int8 codes with their F `scales`).
  template <typename T>
  void buildConv(linalg::LinalgOp op, const sparse::ConvShape &conv,
                 const sparse::SparsePlan &plan, ArrayRef<T> columns,
                 ArrayRef<float> scales) {
    sparse::ConvShape phased = conv.phased();
    int64_t k = phased.reduction();
    kernels::SparseColumns<T> packed = kernels::packSparseColumns(
        columns, k, conv.filters, plan.entryGroup, plan.rowsPerBlock);
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value offsets =
        listConstant(b, loc, ArrayRef<int32_t>(packed.offsets), b.getI32Type());
    Value rows = rowIndices(b, loc, packed.rows, k);
    Type valueType =
        std::is_same_v<T, float> ? Type(b.getF32Type()) : Type(b.getI8Type());
    Value values = listConstant(b, loc, ArrayRef<T>(packed.values), valueType);
    Value scaleList;
    if (!scales.empty())
      scaleList = listConstant(b, loc, scales, b.getF32Type());
    Value input = op.getDpsInputOperand(0)->get();
    if (conv.channelsLast())
      input = transpose(b, loc, input, {0, 3, 1, 2});
    if (conv.strided())
      input = splitPhases(b, loc, input, conv);
    else if (conv.height > phased.height || conv.width > phased.width)
      input = cropInput(b, loc, input, phased.height, phased.width);
    // The batch as the op's result has it (the input's may be dynamic).
    auto initType =
        cast<RankedTensorType>(op.getDpsInitOperand(0)->get().getType());
    auto resultType = RankedTensorType::get(
        {initType.getDimSize(0), conv.filters, conv.outHeight, conv.outWidth},
        b.getF32Type());
    Value y = SparseConvOp::create(
        b, loc, resultType, input, offsets, rows, values, scaleList,
        b.getDenseI64ArrayAttr({phased.kernelHeight, phased.kernelWidth}),
        b.getI64IntegerAttr(plan.entryGroup),
        b.getI64IntegerAttr(plan.rowsPerBlock),
        b.getDenseI64ArrayAttr({conv.dilationHeight, conv.dilationWidth}));
    if (conv.channelsLast())
      y = transpose(b, loc, y, {0, 2, 3, 1});
    Value weightValue = op.getDpsInputOperand(1)->get();
    replace(b, op, y);
    // The weight (or its decode) is dead now.
    if (Operation *producer = weightValue.getDefiningOp())
      eraseWithDeadProducers({producer});
  }

  /// The rows and columns of an NCHW `input` a stride-1 convolution reads
  /// (linalg allows an input larger than the output needs).
  static Value cropInput(OpBuilder &b, Location loc, Value input,
                         int64_t height, int64_t width) {
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, input, 0),
                                    b.getIndexAttr(type.getDimSize(1)),
                                    b.getIndexAttr(height),
                                    b.getIndexAttr(width)};
    SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
    return tensor::ExtractSliceOp::create(b, loc, input, offsets, sizes,
                                          strides);
  }

  /// The NCHW `input` of a strided convolution split into its stride
  /// phases (ConvShape::phased): N x (SH x SW x C) x H' x W' with channel
  /// (a x SW + b) x C + c holding input[n, c, y x SH + a, x x SW + b],
  /// zero-padded below and right where the phases reach past the input.
  static Value splitPhases(OpBuilder &b, Location loc, Value input,
                           const sparse::ConvShape &conv) {
    sparse::ConvShape phased = conv.phased();
    int64_t sh = conv.strideHeight, sw = conv.strideWidth;
    int64_t needHeight = phased.height * sh, needWidth = phased.width * sw;
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getDimSize(2) < needHeight || type.getDimSize(3) < needWidth) {
      SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
      SmallVector<OpFoldResult> high{
          b.getIndexAttr(0), b.getIndexAttr(0),
          b.getIndexAttr(std::max<int64_t>(0, needHeight - type.getDimSize(2))),
          b.getIndexAttr(std::max<int64_t>(0, needWidth - type.getDimSize(3)))};
      Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
      input = tensor::PadOp::create(b, loc, /*resultType=*/Type(), input, low,
                                    high, zero, /*nofold=*/false);
    }
    SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, input, 0),
                                    b.getIndexAttr(sh),
                                    b.getIndexAttr(sw),
                                    b.getIndexAttr(conv.channels),
                                    b.getIndexAttr(phased.height),
                                    b.getIndexAttr(phased.width)};
    Value empty = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    MLIRContext *context = b.getContext();
    AffineExpr n, a, bb, c, y, x;
    bindDims(context, n, a, bb, c, y, x);
    auto read = AffineMap::get(6, 0, {n, c, y * sh + a, x * sw + bb}, context);
    auto write = AffineMap::getMultiDimIdentityMap(6, context);
    SmallVector<utils::IteratorType> parallel(6, utils::IteratorType::parallel);
    Value phases =
        linalg::GenericOp::create(
            b, loc, TypeRange{empty.getType()}, ValueRange{input},
            ValueRange{empty}, ArrayRef<AffineMap>{read, write}, parallel,
            [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
              linalg::YieldOp::create(nested, nestedLoc, args[0]);
            })
            .getResult(0);
    return tensor::CollapseShapeOp::create(
        b, loc, phases,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
  }

  /// The int8 codes and the scales along `axis` of a weight-only int8
  /// weight: `compress.dequantize` of a constant i8 tensor, uniform,
  /// symmetric (zero points 0), per tensor or per channel along `axis`
  /// (of size `n`: a matmul's columns, a convolution's filters).
  struct Int8Weight {
    std::vector<int8_t> codes;
    std::vector<float> scales; // n
  };
  static std::optional<Int8Weight> readInt8Weight(Value w, int64_t axis,
                                                  int64_t n) {
    auto dequantize = w.getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return std::nullopt;
    QuantSpecAttr spec = dequantize.getSpec();
    if (!spec.isSymmetricInt8Along(axis))
      return std::nullopt;
    std::optional<std::vector<char>> bytes =
        readConstantBytes(dequantize.getInput());
    if (!bytes)
      return std::nullopt;
    Int8Weight weight;
    weight.codes.assign(bytes->begin(), bytes->end());
    ArrayRef<double> scales = spec.getScales().asArrayRef();
    for (int64_t col = 0; col < n; ++col)
      weight.scales.push_back(
          static_cast<float>(scales[spec.isPerAxis() ? col : 0]));
    return weight;
  }

  void sparsify(linalg::MatmulOp op) {
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() != op.getDefaultIndexingMaps(op.getContext()))
      return;
    Value x = op.getInputs()[0];
    Value w = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    auto wType = cast<RankedTensorType>(w.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (!wType.hasStaticShape() || !outType.getElementType().isF32() ||
        !getElementTypeOrSelf(x.getType()).isF32() ||
        !wType.getElementType().isF32())
      return;
    int64_t m = cast<RankedTensorType>(x.getType()).getDimSize(0);
    int64_t k = wType.getDimSize(0), n = wType.getDimSize(1);
    // The n:m op needs the reduction and the columns static on the
    // activation and the result too.
    bool useNM = nmKernel &&
                 !cast<RankedTensorType>(x.getType()).isDynamicDim(1) &&
                 !outType.isDynamicDim(1);
    std::optional<int64_t> rowCount =
        ShapedType::isDynamic(m) ? std::nullopt : std::optional(m);
    // A weight-only int8 weight keeps its codes (1 byte per nonzero) and
    // applies its scales to the sums.
    if (std::optional<Int8Weight> int8 = readInt8Weight(w, /*axis=*/1, n)) {
      std::vector<float> codes(int8->codes.begin(), int8->codes.end());
      sparse::SparsePlan plan = sparse::planSparseMatmul(
          codes, rowCount, k, n, minSparsity, minBlockSparsity,
          /*valueBytes=*/1, useNM, /*batches=*/1, smallLayerThreads(),
          minSharedPairs);
      if (plan.format == sparse::SparseFormat::NM) {
        OpBuilder b(op);
        Value scales = listConstant(
            b, op.getLoc(), ArrayRef<float>(int8->scales), b.getF32Type());
        return buildNM(op, ArrayRef<int8_t>(int8->codes), scales, k, n, plan);
      }
      if (plan.format != sparse::SparseFormat::Columns)
        return;
      kernels::SparseColumns<int8_t> columns = kernels::packSparseColumns(
          ArrayRef<int8_t>(int8->codes), k, n, kGroup, plan.rowsPerBlock,
          /*batches=*/1, plan.paired);
      OpBuilder b(op);
      Value values = listConstant(
          b, op.getLoc(), ArrayRef<int8_t>(columns.values), b.getI8Type());
      Value scales = listConstant(b, op.getLoc(), ArrayRef<float>(int8->scales),
                                  b.getF32Type());
      return buildColumns(op, columns.offsets, columns.rows, values, scales, k,
                          n, plan);
    }
    std::optional<std::vector<float>> values = readF32Constant(w);
    if (!values || values->empty())
      return;
    sparse::SparsePlan plan = sparse::planSparseMatmul(
        *values, rowCount, k, n, minSparsity, minBlockSparsity,
        /*valueBytes=*/4, useNM,
        /*batches=*/1, smallLayerThreads(), minSharedPairs);
    if (plan.format == sparse::SparseFormat::Blocks)
      return sparsifyBlocks(op, *values, k, n);
    if (plan.format == sparse::SparseFormat::NM)
      return buildNM(op, ArrayRef<float>(*values), /*scales=*/Value(), k, n,
                     plan);
    if (plan.format != sparse::SparseFormat::Columns)
      return;
    kernels::SparseColumns<float> columns = kernels::packSparseColumns(
        ArrayRef<float>(*values), k, n, kGroup, plan.rowsPerBlock,
        /*batches=*/1, plan.paired);
    OpBuilder b(op);
    Value nonzeroValues = listConstant(
        b, op.getLoc(), ArrayRef<float>(columns.values), b.getF32Type());
    buildColumns(op, columns.offsets, columns.rows, nonzeroValues,
                 /*scales=*/Value(), k, n, plan);
  }

  /// A batch_matmul with a constant B x K x N weight (f32, or weight-only
  /// int8 with per-column scales): one compress.sparse_matmul with the
  /// block-diagonal (B x K) x (B x N) weight of its batches (the blocks off
  /// the diagonal are not stored) on the activation transposed to B x K x M
  /// and seen as (B x K) x M; its (B x N) x M result read back as B x M x N.
  void sparsifyBatch(linalg::BatchMatmulOp op) {
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() != op.getDefaultIndexingMaps(op.getContext()))
      return;
    Value x = op.getInputs()[0], w = op.getInputs()[1];
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    auto outType = cast<RankedTensorType>(op.getOutputs()[0].getType());
    if (!wType.hasStaticShape() || !outType.getElementType().isF32() ||
        !xType.getElementType().isF32() || !wType.getElementType().isF32() ||
        xType.isDynamicDim(0) || xType.isDynamicDim(2))
      return;
    int64_t batches = wType.getDimSize(0), k = wType.getDimSize(1),
            n = wType.getDimSize(2), m = xType.getDimSize(1);
    std::optional<int64_t> rowCount =
        ShapedType::isDynamic(m) ? std::nullopt : std::optional(m);
    std::optional<Int8Weight> int8 = readInt8Weight(w, /*axis=*/2, n);
    std::optional<std::vector<float>> weight =
        int8 ? std::vector<float>(int8->codes.begin(), int8->codes.end())
             : readF32Constant(w);
    if (!weight || weight->empty())
      return;
    sparse::SparsePlan plan = sparse::planSparseMatmul(
        *weight, rowCount, k, n, minSparsity, minBlockSparsity,
        /*valueBytes=*/int8 ? 1 : 4, /*useNM=*/false, batches,
        smallLayerThreads(), minSharedPairs);
    if (plan.format != sparse::SparseFormat::Columns)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value values, scales;
    std::vector<int32_t> offsetList, rowList;
    // The f32 values or int8 codes by columns of the block-diagonal weight.
    auto pack = [&](auto weightValues, Type valueType) {
      auto packed = kernels::packSparseColumns(
          weightValues, k, n, kGroup, plan.rowsPerBlock, batches, plan.paired);
      values = listConstant(b, loc, ArrayRef(packed.values), valueType);
      offsetList = std::move(packed.offsets);
      rowList = std::move(packed.rows);
    };
    if (int8) {
      pack(ArrayRef<int8_t>(int8->codes), b.getI8Type());
      // Each batch's columns have the same scales.
      std::vector<float> scaleList;
      for (int64_t batch = 0; batch < batches; ++batch)
        llvm::append_range(scaleList, int8->scales);
      scales = listConstant(b, loc, ArrayRef<float>(scaleList), b.getF32Type());
    } else {
      pack(ArrayRef<float>(*weight), b.getF32Type());
    }
    Value offsets =
        listConstant(b, loc, ArrayRef<int32_t>(offsetList), b.getI32Type());
    Value rows = rowIndices(b, loc, rowList, batches * k);
    // x: B x M x K -> B x K x M -> (B x K) x M.
    Value xt = tensor::CollapseShapeOp::create(
        b, loc, transpose(b, loc, x, {0, 2, 1}),
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
    auto ytType = RankedTensorType::get({batches * n, m}, b.getF32Type());
    Value yt = SparseMatmulOp::create(
        b, loc, ytType, xt, offsets, rows, values, scales,
        b.getI64IntegerAttr(kGroup), b.getI64IntegerAttr(plan.rowsPerBlock),
        plan.paired ? b.getUnitAttr() : UnitAttr());
    // (B x N) x M -> B x N x M -> B x M x N.
    SmallVector<OpFoldResult> expandedSizes{
        b.getIndexAttr(batches), b.getIndexAttr(n),
        tensor::getMixedSize(b, loc, yt, 1)};
    Value expanded = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({batches, n, m}, b.getF32Type()), yt,
        SmallVector<ReassociationIndices>{{0, 1}, {2}}, expandedSizes);
    Value y = transpose(b, loc, expanded, {0, 2, 1});
    // The result as the op has it (its batch may be dynamic).
    if (y.getType() != outType)
      y = tensor::CastOp::create(b, loc, outType, y);
    replace(b, op, y);
    if (Operation *producer = w.getDefiningOp())
      eraseWithDeadProducers({producer});
  }

  /// compress.nm_sparse_matmul in place of `op`, on the activation as it
  /// is: the kept weights (f32 or int8 codes with their `scales`) and their
  /// 2-bit positions.
  template <typename T>
  void buildNM(linalg::MatmulOp op, ArrayRef<T> weight, Value scales, int64_t k,
               int64_t n, const sparse::SparsePlan &plan) {
    std::optional<kernels::NMWeight<T>> packed =
        kernels::packNMWeight(weight, k, n, plan.keep, plan.group);
    if (!packed)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    int64_t slots = k / plan.group * plan.keep, tiles = (n + 15) / 16;
    Type elementType =
        std::is_same_v<T, float> ? Type(b.getF32Type()) : Type(b.getI8Type());
    Value values = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({tiles, slots, 16}, elementType),
            ArrayRef<T>(packed->values)));
    Value indices = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({tiles, slots}, b.getI32Type()),
            ArrayRef<int32_t>(packed->words)));
    auto outType = cast<RankedTensorType>(op.getOutputs()[0].getType());
    Value y = NMSparseMatmulOp::create(
        b, loc, outType, op.getInputs()[0], values, indices, scales,
        b.getI64IntegerAttr(plan.keep), b.getI64IntegerAttr(plan.group));
    Value weightValue = op.getInputs()[1];
    replace(b, op, y);
    if (Operation *producer = weightValue.getDefiningOp())
      eraseWithDeadProducers({producer});
  }

  /// transpose -> compress.sparse_matmul -> transpose in place of `op`.
  void buildColumns(linalg::MatmulOp op, ArrayRef<int32_t> offsetList,
                    const std::vector<int32_t> &rowList, Value values,
                    Value scales, int64_t k, int64_t n,
                    const sparse::SparsePlan &plan) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value offsets = listConstant(b, loc, offsetList, b.getI32Type());
    Value rows = rowIndices(b, loc, rowList, k);
    Value xt = transpose(b, loc, op.getInputs()[0]);
    auto xtType = cast<RankedTensorType>(xt.getType());
    auto ytType =
        RankedTensorType::get({n, xtType.getDimSize(1)}, b.getF32Type());
    Value yt = SparseMatmulOp::create(
        b, loc, ytType, xt, offsets, rows, values, scales,
        b.getI64IntegerAttr(kGroup), b.getI64IntegerAttr(plan.rowsPerBlock),
        plan.paired ? b.getUnitAttr() : UnitAttr());
    Value y = transpose(b, loc, yt);
    Value weight = op.getInputs()[1];
    replace(b, op, y);
    // The weight (or its decode) is dead now.
    if (Operation *producer = weight.getDefiningOp())
      eraseWithDeadProducers({producer});
  }

  /// Replaces `op` by `y` plus the op's init unless that is a zero fill.
  static void replace(OpBuilder &b, linalg::LinalgOp op, Value y) {
    Value init = op.getDpsInitOperand(0)->get();
    Location loc = op.getLoc();
    if (!isZeroFill(init)) {
      // Accumulate into the op's init, as the op did.
      int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
      AffineMap id = AffineMap::getMultiDimIdentityMap(rank, op.getContext());
      SmallVector<utils::IteratorType> parallel(rank,
                                                utils::IteratorType::parallel);
      y = linalg::GenericOp::create(
              b, loc, TypeRange{init.getType()}, ValueRange{init, y},
              ValueRange{init}, SmallVector<AffineMap>(3, id), parallel,
              [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                Value sum =
                    arith::AddFOp::create(nested, nestedLoc, args[0], args[1]);
                linalg::YieldOp::create(nested, nestedLoc, sum);
              })
              .getResult(0);
    }
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
  }

  /// The block kernel on the activation as it is (vectors along the
  /// output columns).
  void sparsifyBlocks(linalg::MatmulOp op, ArrayRef<float> values, int64_t k,
                      int64_t n) {
    kernels::SparseBlocks blocks =
        kernels::packSparseBlocks(values, k, n, kBlockWidth, kGroup);
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto count = static_cast<int64_t>(blocks.rows.size());
    Value offsets =
        listConstant(b, loc, ArrayRef<int32_t>(blocks.offsets), b.getI32Type());
    Value rows = rowIndices(b, loc, blocks.rows, k);
    Value blockValues = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({count, kBlockWidth}, b.getF32Type()),
            ArrayRef<float>(blocks.values)));
    Value x = op.getInputs()[0];
    auto outType = cast<RankedTensorType>(op.getOutputs()[0].getType());
    Value y =
        BlockSparseMatmulOp::create(b, loc, outType, x, offsets, rows,
                                    blockValues, b.getI64IntegerAttr(kGroup));
    replace(b, op, y);
  }

  /// Row indices as i16 constants when every row fits, else i32.
  static Value rowIndices(OpBuilder &b, Location loc,
                          const std::vector<int32_t> &rows, int64_t k) {
    if (k <= 32768) {
      SmallVector<int16_t> narrow(rows.begin(), rows.end());
      return listConstant(b, loc, ArrayRef<int16_t>(narrow), b.getI16Type());
    }
    return listConstant(b, loc, ArrayRef<int32_t>(rows), b.getI32Type());
  }
};

} // namespace
} // namespace mlir::compress
